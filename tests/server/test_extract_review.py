"""``/extract`` on a real server: the review page of a pasted page, its limits, and what a
person sees in a real browser (headless Chromium) on it and on the page ``icpc-kg extract
--review`` writes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.server.test_browser import browser  # noqa: F401  (the headless Chromium fixture)
from tests.support.icpc_server import REPO, IcpcServer, running_server

pytestmark = [pytest.mark.server]

MAX_BODY = 200_000
PAGE = (
    "News\n\n"
    "ICPC at the Safer Harbours Summit\n\n"
    "On 4 June 2024, ICPC took part in the Safer Harbours Summit organised by the City of "
    "Porto Alegre. Marta Ruiz, Director of Programmes at ICPC, presented the Harbour Safety "
    "Handbook. The Golden Tide Parade closed the day.\n"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IcpcServer]:
    folder = tmp_path_factory.mktemp("extract-server")
    args = ["--workers", "1", "--timeout", "60", "--max-body", str(MAX_BODY)]
    with running_server(args, folder / "log") as server:
        yield server


def test_post_a_page_and_get_its_review(served: IcpcServer) -> None:
    response = httpx.post(
        served.base_url + "/extract",
        data={"page": PAGE, "format": "text", "lang": "en"},
        timeout=90,
    )
    assert response.status_code == 200, response.text
    body = response.text
    assert 'class="ent ent-person' in body and "Marta Ruiz" in body
    assert 'class="ent ent-event' in body and "Safer Harbours Summit" in body
    raw = httpx.post(
        served.base_url + "/extract",
        content=PAGE.encode(),
        headers={"Content-Type": "text/plain"},
        timeout=90,
    )
    assert raw.status_code == 200 and 'class="ent ent-org' in raw.text


def test_limits_and_bad_input(served: IcpcServer) -> None:
    too_big = httpx.post(
        served.base_url + "/extract",
        content=b"x" * (MAX_BODY + 10),
        headers={"Content-Type": "text/plain"},
        timeout=30,
    )
    assert too_big.status_code == 413
    empty = httpx.post(served.base_url + "/extract", data={"page": "  "}, timeout=30)
    assert empty.status_code == 400
    binary = httpx.post(
        served.base_url + "/extract",
        content=b"%PDF-1.7 ...",
        headers={"Content-Type": "application/pdf"},
        timeout=30,
    )
    assert binary.status_code == 400


@pytest.mark.browser
def test_a_person_pastes_a_page_and_sees_the_highlights(
    browser: WebDriver,  # noqa: F811
    served: IcpcServer,
) -> None:
    browser.get(served.base_url + "/extract?lang=en")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Extract"
    browser.find_element(By.ID, "page").send_keys(PAGE)
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "extract-submit").click()
    WebDriverWait(browser, 90).until(ec.staleness_of(old))
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".review-text .ent")
    )
    people = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".review-text .ent-person")]
    assert any(text.startswith("Marta Ruiz") and text.endswith("PERSON") for text in people)
    summit = browser.find_element(By.CSS_SELECTOR, ".review-text .ent-event")
    assert summit.text.startswith("Safer Harbours Summit")
    # The highlight is coloured by the stylesheet, and its title tells the class.
    assert summit.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    assert summit.get_attribute("title").startswith("Conference: Safer Harbours Summit")
    # Following a highlight leads to the entity's row with its facts.
    summit.click()
    row = browser.find_element(By.CSS_SELECTOR, "tr.ent-event")
    assert "Safer Harbours Summit" in row.text and "2024-06-04" in row.text
    missed = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".review-text .unextracted")]
    assert "Golden Tide Parade" in " ".join(missed)


@pytest.mark.browser
def test_the_review_file_from_the_command(
    browser: WebDriver,  # noqa: F811
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE.replace(" 2024", ""), encoding="utf-8")
    review = tmp_path / "review.html"
    subprocess.run(
        [sys.executable, "-m", "icpc_kg", "extract", str(page), "--no-validate",
         "-o", str(tmp_path / "draft.ttl"), "--review", str(review)],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    browser.get(review.as_uri())
    doubtful = browser.find_elements(By.CSS_SELECTOR, ".review-text .ent.doubtful")
    assert any("Safer Harbours Summit" in e.text and "?" in e.text for e in doubtful)
    assert browser.find_element(By.CSS_SELECTOR, "tr.doubtful").text
