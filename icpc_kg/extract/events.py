"""Events: series, events and their parts, with their kind, name, edition, dates and place.

Where events come from, in a page's usual layout:

- the breadcrumb and title name the page's series when they are a qualified plural of an
  event kind ("Lunch Seminars", "Séminaires-midi", "Strategic Seminars"; a bare "Webinars" or
  "Colloquia" is only a section of the site);
- a heading that names an event kind is an event ("First seminar, Montreal (Canada), November
  1998", "3e édition : du 3 au 5 juin 2003, Querétaro (Mexique)"); a heading that names a
  plural kind with a qualifier, or a "series", is a series; under a listing heading ("Upcoming
  webinars") each line that starts with a date is an event of that kind;
- a sentence in which an organisation holds an event ("ICPC held a Mini-Conference on...",
  "le CIPC a organisé ... un séminaire-midi") or an event "was held" is an event, the same one
  as the heading's when their kind and dates agree;
- under an event, agenda lines that start with a time, and list items with a presenter or a
  part word ("Panel 1:", "Workshop A:"), are its parts.

Each event heading opens a *scope* that lasts until the next one; later steps use scopes to
tell which event "this seminar" or a presenter belongs to.
"""

from __future__ import annotations

from icpc_kg.extract.event_headings import HeadingRules
from icpc_kg.extract.event_kinds import KIND_RE, clean_heading, edition_of, find_kinds
from icpc_kg.extract.event_lists import ListRules
from icpc_kg.extract.event_mentions import MentionRules
from icpc_kg.extract.event_sentences import SentenceRules
from icpc_kg.extract.model import Extraction
from icpc_kg.extract.times import parse_clock


class EventFinder(HeadingRules, ListRules, SentenceRules, MentionRules):
    """The event rules of :mod:`.event_headings`, :mod:`.event_lists`,
    :mod:`.event_sentences` and :mod:`.event_mentions` over the shared state of
    :mod:`.event_state`."""


def add_events(extraction: Extraction) -> None:
    EventFinder(extraction).run()


__all__ = ["KIND_RE", "add_events", "clean_heading", "edition_of", "find_kinds", "parse_clock"]
