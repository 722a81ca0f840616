"""`crawler browse` in a real browser: headless Chromium from Debian's packages, driven by
chromedriver through Selenium (no driver downloads), against the real server on 127.0.0.1.

Without chromium, chromedriver or selenium the tests skip with the reason, except under CI
(the CI environment variable set), where they fail: CI must not skip them silently.
`.ci/run` installs the `chromium`, `chromium-driver` and `fonts-wqy-microhei` packages.

What is drawn, not only what the page says: Chinese text must be drawn with a CJK font (the
platform fonts Chromium used for the text, asked over the DevTools protocol, and glyphs drawn
on a canvas compared with each other and with a missing character's box). A control run with
the CJK fonts hidden from Chromium shows the check fails then. Screenshots of the pages go to
``artifacts/screenshots/`` (git-ignored; CI keeps them).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.demo.site.pages import FRENCH_PATH, NETEASE_PATH, WEIBO_PATH
from crawler.text.fold import fold
from tests.browse.test_app import REPO, copy_archive, serve_archive

SCREENSHOTS = Path(os.environ.get("SEEDCRAWLER_SCREENSHOTS", REPO / "artifacts" / "screenshots"))
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


@contextlib.contextmanager
def chromium(profile: Path, env: dict[str, str] | None = None) -> Iterator[object]:
    """A headless Chromium driven by Debian's chromedriver; ``env`` for the browser."""
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
    options.add_argument(f"--user-data-dir={profile}")
    # An explicit driver path: Selenium Manager (which downloads drivers) is never run.
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(profile) + ".log",
                      env=env)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(tmp_path):
    with chromium(tmp_path / "chromium-profile") as driver:
        yield driver


# --- what is drawn ------------------------------------------------------------------------

# Each character drawn alone on a canvas in the element's fonts, as a hash of its pixels; and a
# code point no font has (U+10FFFD), which is drawn as the missing-glyph box ("tofu").
GLYPHS_JS = """
const element = document.querySelector(arguments[0]);
const canvas = document.createElement("canvas");
canvas.width = canvas.height = 48;
const context = canvas.getContext("2d");
context.font = "40px " + getComputedStyle(element).fontFamily;
context.textBaseline = "top";
const draw = (character) => {
  context.clearRect(0, 0, 48, 48);
  context.fillText(character, 2, 2);
  const pixels = context.getImageData(0, 0, 48, 48).data;
  let hash = 0;
  for (let i = 3; i < pixels.length; i += 4) hash = (hash * 31 + pixels[i]) >>> 0;
  return String(hash);
};
return {tofu: draw(String.fromCodePoint(0x10FFFD)), glyphs: Array.from(arguments[1]).map(draw)};
"""


def cjk_families() -> set[str]:
    """Font families installed here that cover Chinese (fontconfig's ``:lang=zh``)."""
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                 text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in listing.splitlines() for name in line.split(",")
            if name.strip()}


def platform_fonts(driver, selector: str) -> list[dict]:
    """The fonts Chromium drew the text of the first ``selector`` element with (DevTools
    ``CSS.getPlatformFontsForNode``): family names and glyph counts."""
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": 1})["root"]["nodeId"]
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})
    return driver.execute_cdp_cmd("CSS.getPlatformFontsForNode",
                                  {"nodeId": node["nodeId"]})["fonts"]


def chinese_drawing(driver, selector: str) -> tuple[list[str], bool]:
    """How the Chinese text of ``selector`` is drawn: the CJK font families among the fonts
    used for it, and whether its characters are real glyphs (each one different, none the
    missing-glyph box)."""
    text = driver.find_element("css selector", selector).text
    characters = sorted({c for c in text if "\u4e00" <= c <= "\u9fff"})[:12]
    assert len(characters) >= 4, f"no Chinese text to check in {selector}: {text[:80]!r}"
    drawn = driver.execute_script(GLYPHS_JS, selector, "".join(characters))
    real_glyphs = (len(set(drawn["glyphs"])) == len(characters)
                   and drawn["tofu"] not in drawn["glyphs"])
    installed = cjk_families()
    used = [font["familyName"] for font in platform_fonts(driver, selector)
            if font["glyphCount"] > 0 and font["familyName"] in installed]
    return used, real_glyphs


def assert_chinese_is_drawn(driver, selector: str) -> None:
    used, real_glyphs = chinese_drawing(driver, selector)
    assert used, (f"{selector}: Chinese is not drawn with a CJK font (installed: "
                  f"{sorted(cjk_families()) or 'none'}; .ci/run installs fonts-wqy-microhei)")
    assert real_glyphs, f"{selector}: Chinese characters are drawn as identical boxes"


def screenshot(driver, name: str) -> Path:
    """The whole page as ``artifacts/screenshots/NAME.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(600, min(int(height), 4000)))
    path = SCREENSHOTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), path
    driver.set_window_size(1280, 1024)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    return path


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


def test_plain_search_page_in_a_browser_draws_chinese_with_a_cjk_font(browser, crawled,
                                                                     fixture_site, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    netease = fixture_site.site[NETEASE_PATH].expected.title
    french = fixture_site.site[FRENCH_PATH].expected.title
    archive = copy_archive(crawled.db_path, tmp_path / "archive.db")
    wait = WebDriverWait(browser, 30)

    with serve_archive(archive) as base:
        # The home page's search box: Simplified words find the Traditional article.
        browser.get(f"{base}/")
        box = wait.until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, "form.seedcrawler-search-form input[name=q]")))
        box.send_keys("数据标注")
        browser.find_element(By.CSS_SELECTOR, "form.seedcrawler-search-form button").click()
        wait.until(ec.url_contains("/-/search?q="))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".search-result")))
        assert "SQL" not in browser.find_element(By.CSS_SELECTOR, "section.content").text
        titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".result-title a")]
        assert netease in titles
        marks = {fold(m.text) for m in browser.find_elements(By.CSS_SELECTOR, "mark")}
        assert marks == {"数据标注"}
        assert_chinese_is_drawn(browser, ".result-title a")
        assert_chinese_is_drawn(browser, ".result-snippet")
        screenshot(browser, "search")

        # Every word, in any order.
        box = browser.find_element(By.CSS_SELECTOR, "input[name=q]")
        box.clear()
        box.send_keys("Toloka Bezos")
        box.submit()
        wait.until(ec.url_contains("Toloka"))
        titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".result-title a")]
        assert french in titles

        # The article's page, from its title.
        browser.back()
        wait.until(ec.presence_of_element_located((By.LINK_TEXT, netease))).click()
        text = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".article-text")))
        assert "數據標注" in text.text
        assert_chinese_is_drawn(browser, ".article-text")
        assert_chinese_is_drawn(browser, ".seedcrawler-article h1")
        screenshot(browser, "article")

        # The articles table: a few short rows.
        browser.get(f"{base}/archive/articles")
        rows = browser.find_elements(By.CSS_SELECTOR, "table.seedcrawler-compact tbody tr")
        assert rows and max(row.size["height"] for row in rows) < 150
        headers = [th.get_attribute("data-column") for th in
                   browser.find_elements(By.CSS_SELECTOR, "table.seedcrawler-compact th")]
        assert headers == ["title", "sitename", "author", "published", "language"]
        assert not browser.find_element(By.CSS_SELECTOR, "details.seedcrawler-columns dl"
                                        ).is_displayed()
        assert_chinese_is_drawn(browser, "table.seedcrawler-compact td.col-title")
        screenshot(browser, "articles-table")


def test_the_font_check_sees_boxes_when_no_cjk_font_is_there(crawled, tmp_path):
    """The control: the same check with the CJK fonts hidden from Chromium must fail."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}\\n"], capture_output=True,
                                 text=True, check=True, timeout=30).stdout.split()
        cjk = set(subprocess.run(["fc-list", ":lang=zh", "--format", "%{file}\\n"],
                                 capture_output=True, text=True, check=True,
                                 timeout=30).stdout.split())
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"fontconfig's fc-list is not usable here: {exc}")
    others = [Path(f) for f in listing if f not in cjk and Path(f).is_file()]
    if not cjk or not others:
        pytest.skip("needs CJK fonts and others installed to hide the ones from the other")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for n, path in enumerate(others):
        (fonts / f"{n}-{path.name}").symlink_to(path)
    config = tmp_path / "fonts.conf"
    config.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>
""", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    archive = copy_archive(crawled.db_path, tmp_path / "archive.db")
    with serve_archive(archive) as base, chromium(tmp_path / "profile", env) as driver:
        driver.get(f"{base}/-/search?q=%E6%95%B8%E6%93%9A%E6%A8%99%E6%B3%A8")
        used, real_glyphs = chinese_drawing(driver, ".result-snippet")
        assert used == [] and not real_glyphs
