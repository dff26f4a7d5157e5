"""Sentences and language: where a sentence ends (not after "Dr." or "p.m."), and whether a
page is English or French."""

from __future__ import annotations

import re

from icpc_kg.extract.lexicon import word_set

_ABBREVIATIONS = word_set("abbreviations")


_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)\s+(?=[\"'(\[]?[A-ZÀ-Ý0-9])")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside [start, end) of ``text`` (a flat copy), newlines always split."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[cursor : match.start()].rsplit(None, 1)
        last = before[-1].lower().rstrip(".") if before else ""
        last = last.lstrip("(\"'")
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        spans.append((cursor, match.start() + 1))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


_FRENCH = word_set("language-words-fr")


_ENGLISH = word_set("language-words-en")


def detect_language(text: str) -> str:
    tokens = re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", text.lower())
    french = sum(1 for t in tokens if t in _FRENCH)
    english = sum(1 for t in tokens if t in _ENGLISH)
    return "fr" if french > english else "en"
