"""Themes are matched to the project's scheme; others are listed as candidates, never made up."""

from __future__ import annotations

from collections.abc import Callable

from icpc_kg.extract.model import Extraction
from icpc_kg.vocab import ID


def test_labels_of_the_scheme_in_english_and_french(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text("Page\n\nICPC Lunch Seminar on local safety audits, 3 May 2018\n")
    assert {t.theme for t in x.themes} == {str(ID["theme/local-safety-audit"])}
    y = extract_text(
        "Page\n\nSéminaire-midi sur la prévention de la délinquance, le 3 mai 2018\n", lang="fr"
    )
    assert str(ID["theme/delinquency-prevention"]) in {t.theme for t in y.themes}


def test_listed_themes_that_the_scheme_lacks_are_candidates(
    extract_text: Callable[..., Extraction],
) -> None:
    x = extract_text(
        "Page\n\nICPC organized the seminar around three central themes:\n\n"
        "• Cybercrime and youth.\n• Partnership\n"
    )
    assert [text for text, _ in x.candidate_themes] == ["Cybercrime and youth"]
