"""Relations the text states, with the subject the clause names and qualified involvements."""

from __future__ import annotations

from collections.abc import Callable

from icpc_kg.extract.model import Extraction
from tests.extract.conftest import entity_named, related

PAGE = (
    "Seminars\n\nThe ICPC Policing seminars\n\n"
    'ICPC joined a series of "Policing" seminars which began in 1998. This series was '
    "co-sponsored by the Solicitor General of Canada with additional support from the "
    "Province of Quebec's ministère de la Sécurité publique (Ministry of Public Security) for "
    "the first phase.\n\nThird seminar, Washington DC, September 2001\n\nThis seminar was "
    "co-organized with the International Association of Chiefs of Police (IACP), America's "
    "Office of Community Oriented Policing Services (COPS), and Washington DC's Metropolitan "
    "Police Department. The Tool Kit called The Role of Police was developed based on "
    "comments collected following the Washington seminar.\n"
)


def test_co_sponsor_and_qualified_support(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(PAGE)
    assert related(x, "Policing seminars", "icpc:coSponsor") == ["Solicitor General of Canada"]
    assert related(x, "Policing seminars", "icpc:supporter") == ["Ministry of Public Security"]
    [involvement] = x.involvements
    assert (involvement.predicate, involvement.scope) == ("icpc:supporter", "for the first phase")
    assert x.entities[involvement.subject].name == "Policing seminars"


def test_a_list_of_co_organisers(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(PAGE)
    assert related(x, "Third seminar", "icpc:coOrganizer") == [
        "International Association of Chiefs of Police",
        "Metropolitan Police Department",
        "Office of Community Oriented Policing Services",
    ]


def test_based_on_an_event_named_by_its_place(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(PAGE)
    assert related(x, "The Role of Police", "icpc:basedOn") == ["Third seminar"]
    assert related(x, "The Role of Police", "icpc:followsEvent") == []


def test_a_funder_of_a_publication_not_of_the_event(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Seminar\n\nICPC Lunch Seminar on 3 May 2018\n\nIn 2015, ICPC carried out a study on "
        "coordination. It led to the development of a coordination guide, funded by the Motorola "
        "Solutions Foundation.\n"
    )
    assert related(x, "Coordination guide", "icpc:funder") == ["Motorola Solutions Foundation"]
    assert related(x, "ICPC Lunch Seminar on 3 May 2018", "icpc:funder") == []


def test_the_list_stops_at_the_next_clause(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Formation\n\nFormation sur la radicalisation, le 4 octobre 2022\n\n"
        "Cette formation, financée "
        "par le ministère de la Sécurité publique du Québec, sera animée par M. Paul Girard, "
        "conseiller principal au CIPC, et Mme Nadia Belkacem, chercheuse à l'Université Laval.\n",
        lang="fr",
    )
    event = "Formation sur la radicalisation"
    assert related(x, event, "icpc:funder") == ["ministère de la Sécurité publique du Québec"]
    # "animée par" a training: its trainers present it.
    assert related(x, event, "icpc:presenter") == ["Nadia Belkacem", "Paul Girard"]
    assert related(x, event, "icpc:moderator") == []


def test_hosts_collaborators_and_series(extract_text: Callable[..., Extraction]) -> None:
    x = extract_text(
        "Lunch Seminars\n\nCIPC » Events » Lunch Seminars\n\nICPC Lunch Seminar: Trust\n\n"
        "Date: 21 March 2019\n\nThe seminar was organised in collaboration with the European Forum "
        "for Urban Security (Efus) and hosted by the City of Montreal. This seminar is part of "
        "the ICPC Lunch Seminars series.\n"
    )
    event = "ICPC Lunch Seminar: Trust"
    assert related(x, event, "icpc:collaborator") == ["European Forum for Urban Security"]
    assert related(x, event, "icpc:host") == ["City of Montreal"]
    assert related(x, event, "icpc:inSeries") == ["Lunch Seminars"]
    assert len(x.of_class("EventSeries")) == 1
    assert entity_named(x, event).fact("startDate").lexical == "2019-03-21"


def test_a_facilitator_moderates_a_workshop_or_webinar_and_teaches_a_training(
    extract_text: Callable[..., Extraction],
) -> None:
    workshop = extract_text(
        "Events\n\nWorkshop on park design\n\n"
        "The Workshop on park design was held in Lyon in May 2016. "
        "It was facilitated by Ms. Irene Vidal, Planner at the City of Lyon.\n"
    )
    assert related(workshop, "Workshop on park design", "icpc:moderator") == ["Irene Vidal"]
    assert related(workshop, "Workshop on park design", "icpc:presenter") == []
    webinaire = extract_text(
        "Événements\n\nWebinaire sur les parcs\n\n"
        "Le Webinaire sur les parcs a eu lieu en mai 2016. "
        "Il a été animé par M. Hugo Petit, chercheur à l'Université Laval.\n"
    )
    assert related(webinaire, "Webinaire sur les parcs", "icpc:moderator") == ["Hugo Petit"]
    formation = extract_text(
        "Événements\n\nFormation sur les parcs\n\n"
        "La Formation sur les parcs a eu lieu en mai 2016. "
        "Elle a été animée par M. Hugo Petit, chercheur à l'Université Laval.\n"
    )
    assert related(formation, "Formation sur les parcs", "icpc:presenter") == ["Hugo Petit"]
