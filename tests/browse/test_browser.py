"""`crawler browse` in a real browser: headless Chromium from Debian's packages, driven by
chromedriver through Selenium (no driver downloads), against the real server on 127.0.0.1.

Without chromium, chromedriver or selenium the test skips with the reason, except under CI
(the CI environment variable set), where it fails: CI must not skip it silently.
`.ci/run` installs the `chromium` and `chromium-driver` packages.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from crawler.demo.site.pages import NETEASE_PATH, WEIBO_PATH
from crawler.text.fold import fold
from tests.browse.test_app import copy_archive, serve_archive

CHROMIUM = Path(os.environ.get("SEEDCRAWLER_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("SEEDCRAWLER_CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,1024",
]


def missing_browser() -> str | None:
    """Why the browser test cannot run here, or None."""
    for path, package in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")]:
        if not (path.is_file() and os.access(path, os.X_OK)):
            return f"{path} not found: apt-get install chromium chromium-driver (package {package})"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed: pip install -e '.[test]'"
    return None


@pytest.fixture
def browser(tmp_path):
    reason = missing_browser()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the browser test may not skip: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    # An explicit driver path: Selenium Manager (which downloads drivers) is never run.
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(tmp_path / "driver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def test_search_page_finds_chinese_articles_in_a_browser(browser, crawled, fixture_site,
                                                         tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    netease = fixture_site.site[NETEASE_PATH].expected.title
    weibo = fixture_site.site[WEIBO_PATH].expected.title
    archive = copy_archive(crawled.db_path, tmp_path / "archive.db")
    wait = WebDriverWait(browser, 30)

    with serve_archive(archive) as base:
        browser.get(f"{base}/archive/search")
        assert "Search articles" in browser.page_source

        # Type a Traditional Chinese query, submit the form, see the article.
        box = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "input[name=q]")))
        box.clear()
        box.send_keys("數據標注")
        box.submit()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "td.col-title a")))
        links = browser.find_elements(By.CSS_SELECTOR, "td.col-title a")
        assert netease in [link.text for link in links]
        marks = browser.find_elements(By.CSS_SELECTOR, "td.col-snippet mark")
        # the query, or its other forms (數據標註, 数据标注): the same words once folded
        assert marks and {fold(mark.text) for mark in marks} == {"数据标注"}
        assert "數據標注" in {mark.text for mark in marks}
        assert "q=%E6%95%B8%E6%93%9A%E6%A8%99%E6%B3%A8" in browser.current_url

        # A two-character Simplified word, which the trigram index alone cannot find.
        box = browser.find_element(By.CSS_SELECTOR, "input[name=q]")
        box.clear()
        box.send_keys("领投")
        box.submit()
        wait.until(ec.url_contains("q=%E9%A2%86%E6%8A%95"))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "td.col-title a")))
        titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "td.col-title a")]
        assert weibo in titles

        # The article's own page: its text, readable, and a link to the original.
        browser.find_element(By.LINK_TEXT, weibo).click()
        article = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "article")))
        text = article.find_element(By.CSS_SELECTOR, ".article-text")
        assert "领投了7200万美元" in text.text
        assert text.value_of_css_property("white-space") == "pre-wrap"
        original = article.find_element(By.CSS_SELECTOR, "a.article-url")
        assert original.get_attribute("href").startswith("http")
