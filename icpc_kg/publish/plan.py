"""``--dry-run``: how many triples each graph would gain and lose, computed by reading the
live graph back and comparing it with the build, without writing anything.

Comparing a million triples: each N-Triples line is reduced to a 16-byte blake2b digest and
the two sides are compared as multisets of digests, so neither side's text is held in
memory, and the store's answer is parsed as it streams in.

Blank nodes have one label in the build and another in the store, so lines that mention one
are compared after relabelling every blank node from its surroundings: a colour refinement
(Weisfeiler-Lehman). A node starts from the predicates and non-blank terms around it, then
takes in its blank neighbours' colours, round after round, until the partition stops
splitting; its colour is its label. Two graphs that are the same up to blank node labels get
the same lines. Nodes that no refinement tells apart are interchangeable in every pattern
the build produces (selectors, memberships), so the counts stay exact there; in general this
is a close estimate, not an RDFC-1.0 canonical form, which costs far more on large graphs.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

_ROUNDS = 6


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def line_digests(triples: Iterable[ox.Triple]) -> Counter[bytes]:
    """The multiset of canonical line digests of ``triples``."""
    counts: Counter[bytes] = Counter()
    blank_triples: list[tuple[str, str, str, bool, bool]] = []
    blank = ox.BlankNode
    for triple in triples:
        s, o = triple.subject, triple.object
        sb, ob = type(s) is blank, type(o) is blank
        if not sb and not ob:
            counts[_digest(f"{s} {triple.predicate} {o} .")] += 1
            continue
        blank_triples.append((str(s), str(triple.predicate), str(o), sb, ob))
    if blank_triples:
        colours = _refine(blank_triples)
        for subject, predicate, obj, sb, ob in blank_triples:
            left = f"_:{colours[subject]}" if sb else subject
            right = f"_:{colours[obj]}" if ob else obj
            counts[_digest(f"{left} {predicate} {right} .")] += 1
    return counts


def _refine(triples: list[tuple[str, str, str, bool, bool]]) -> dict[str, str]:
    """A colour per blank node label, refined until the partition is stable."""
    colours: dict[str, str] = {}
    for s, _p, o, sb, ob in triples:
        if sb:
            colours[s] = ""
        if ob:
            colours[o] = ""
    distinct = 1
    for _ in range(_ROUNDS):
        parts: defaultdict[str, list[str]] = defaultdict(list)
        for s, p, o, sb, ob in triples:
            if sb:
                parts[s].append(f">{p} {'_:' + colours[o] if ob else o}")
            if ob:
                parts[o].append(f"<{'_:' + colours[s] if sb else s} {p}")
        colours = {
            label: hashlib.sha256(
                (colours[label] + "\n" + "\n".join(sorted(parts[label]))).encode("utf-8")
            ).hexdigest()[:24]
            for label in colours
        }
        now = len(set(colours.values()))
        if now == distinct:
            break
        distinct = now
    return colours


def diff_counts(local: Counter[bytes], live: Counter[bytes]) -> tuple[int, int]:
    """(triples only in ``local``, triples only in ``live``)."""
    added = sum((local - live).values())
    removed = sum((live - local).values())
    return added, removed
