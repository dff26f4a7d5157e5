"""A person with a real browser (headless Chromium through chromedriver): follow links, switch
language, run a query from the query page, and read what is on the screen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.server.conftest import HOSTILE_NAME
from tests.support.icpc_server import IcpcServer

pytestmark = [pytest.mark.server, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    if not (CHROMIUM and CHROMEDRIVER):
        message = "Debian chromium and chromium-driver are needed for the browser tests"
        if os.environ.get("ICPC_KG_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    profile: Path = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
        "--lang=en-GB",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def heading(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def click_link(driver: WebDriver, text: str) -> None:
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.LINK_TEXT, text).click()
    WebDriverWait(driver, 10).until(ec.staleness_of(old))


def test_follow_links_from_home_to_an_organiser_and_back(
    browser: WebDriver, server: IcpcServer
) -> None:
    browser.get(server.base_url + "/?lang=en")
    assert heading(browser) == "ICPC knowledge graph"
    click_link(browser, "Events")
    assert heading(browser) == "Events timeline"
    assert "1998" in browser.find_element(By.CLASS_NAME, "timeline").text
    click_link(browser, "First Policing for Prevention seminar")
    assert heading(browser) == "First Policing for Prevention seminar"
    assert browser.current_url.endswith("/id/event/policing-for-prevention-1998-montreal")
    quote = browser.find_element(By.CSS_SELECTOR, ".passage blockquote").text
    assert quote  # the source passage is on the page
    properties = browser.find_element(By.CLASS_NAME, "properties").text
    assert "organiser" in properties and "start date" in properties
    click_link(browser, "International Centre for the Prevention of Crime")
    assert heading(browser) == "International Centre for the Prevention of Crime"
    assert "ICPC" in browser.find_element(By.CLASS_NAME, "properties").text
    browser.back()
    WebDriverWait(browser, 10).until(
        lambda d: heading(d) == "First Policing for Prevention seminar"
    )


def test_switch_language_and_keep_it(browser: WebDriver, server: IcpcServer) -> None:
    browser.get(server.base_url + "/id/event/policing-for-prevention-1998-montreal?lang=en")
    assert browser.find_element(By.ID, "lang-switch").text == "Français"
    click_link(browser, "Français")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Propriétés" in page and "organisateur" in page and "Cité par" in page
    click_link(browser, "Événements")
    assert heading(browser) == "Chronologie des événements"
    click_link(browser, "English")
    assert heading(browser) == "Events timeline"


def test_run_a_query_from_the_query_page(browser: WebDriver, server: IcpcServer) -> None:
    browser.get(server.base_url + "/sparql?lang=en")
    text = browser.find_element(By.ID, "query-text")
    # With JavaScript, picking an example fills the form in place.
    Select(browser.find_element(By.ID, "example-picker")).select_by_value("events-by-year")
    assert "SELECT ?event ?name ?kind" in text.get_attribute("value")
    text.clear()
    text.send_keys(
        "PREFIX schema: <http://schema.org/>\n"
        "SELECT ?name WHERE { <https://w3id.org/icpc-kg/id/org/icpc> schema:name ?name }"
    )
    Select(browser.find_element(By.ID, "query-format")).select_by_value("html")
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "run-query").click()
    WebDriverWait(browser, 15).until(ec.staleness_of(old))
    table = browser.find_element(By.CSS_SELECTOR, "#results table.results")
    assert "International Centre for the Prevention of Crime" in table.text
    assert browser.find_element(By.CSS_SELECTOR, "#results .count").text == "1 rows"
    # The query is still in the form, ready to edit.
    assert "schema:name ?name" in browser.find_element(By.ID, "query-text").get_attribute("value")


def test_a_hostile_label_is_text_on_screen(browser: WebDriver, server: IcpcServer) -> None:
    browser.get(server.base_url + "/id/org/hostile-test?lang=en")
    assert heading(browser) == HOSTILE_NAME
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is the check
