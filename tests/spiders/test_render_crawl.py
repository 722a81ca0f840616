"""Pages that need JavaScript, crawled for real (``scrapy crawl seeds`` in a subprocess)
against the rendering site (``tests.render_site``): shells whose text arrives by XHR or
fetch, beside ordinary pages. See the ``render_crawls`` fixture (``tests/conftest.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from crawler.replay import replay
from crawler.store.outcomes import EXIT_USAGE
from crawler.warc.capture import decoded_body, warc_fields
from crawler.warc.reader import StoredRecord, record_at
from tests.crawling import CrawlRun
from tests.render_site import INLINE, INLINE_TITLE, PLAIN_TITLE, STORY, STORY_TITLE

#: what the two shells' scripts fetch, besides the documents themselves
PAGE_OWN = {"/app/story.html", "/app/app.js", "/api/story.json", "/img/figure.png",
            "/api/moved", "/api/ping.json", "/app/inline.html", "/api/inline.json"}


def metadata_of(run: CrawlRun) -> dict[str, dict[str, str]]:
    """The crawl fields of each record, by the record id they are concurrent to."""
    return {record.header("WARC-Concurrent-To"): warc_fields(record)
            for record in run.records() if record.rec_type == "metadata"}


def browser_records(run: CrawlRun) -> list[tuple[StoredRecord, dict[str, str]]]:
    """The response, revisit and conversion records the browser made, with their fields."""
    fields = metadata_of(run)
    return [(record, fields[record.record_id]) for record in run.records()
            if record.rec_type in ("response", "revisit", "conversion")
            and fields.get(record.record_id, {}).get("recordedBy") == "browser"]


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_script_built_page_gets_its_article_from_the_rendered_dom(render_crawls):
    run = render_crawls.auto
    db = run.database()
    story = render_crawls.url("/app/story.html")
    article = db["articles"].get(story)
    assert article["title"] == STORY_TITLE
    for paragraph in STORY:
        assert paragraph in article["text"]
    capture = db["captures"].get(article["capture_id"])
    assert capture["record_type"] == "conversion" and capture["status"] is None
    record = record_at(run.warc_dir / capture["warc_file"], capture["warc_offset"])
    assert record.rec_type == "conversion"
    assert record.header("Content-Type").startswith("text/html")
    assert STORY[1] in record.payload.decode("utf-8")
    # It names the document response it was rendered from: the browser's, of this page.
    document = next(r for r in run.records() if r.record_id == record.header("WARC-Refers-To"))
    assert document.rec_type == "response" and document.target_uri == story
    assert STORY[1] not in decoded_body(document).decode("utf-8")  # the shell
    assert metadata_of(run)[document.record_id]["recordedBy"] == "browser"
    inline = db["articles"].get(render_crawls.url("/app/inline.html"))
    assert inline["title"] == INLINE_TITLE and INLINE[1] in inline["text"]


def test_the_xhr_answer_is_in_the_warc_as_decoded(render_crawls):
    run = render_crawls.auto
    story = render_crawls.url("/app/story.html")
    found = [(r, f) for r, f in browser_records(run) if path_of(r.target_uri) == "/api/story.json"]
    response, fields = next((r, f) for r, f in found if r.rec_type == "response")
    served = render_crawls.site.site["/api/story.json"].body
    assert response.payload == served
    assert json.loads(response.payload)["title"] == STORY_TITLE
    headers = {k.lower(): v for k, v in response.http_headers.headers}
    assert "content-encoding" not in headers and "transfer-encoding" not in headers
    assert headers["content-length"] == str(len(served))
    # The server gzipped it (the browser asked): the record says what was undone.
    assert response.header("WARC-Decoded-Content-Encoding") == "gzip"
    assert int(response.header("WARC-Original-Content-Length")) < len(served)
    assert fields["hopsFromSeed"] == "X" and fields["via"] == story
    assert fields["resourceType"] == "xhr" and "gzip" in fields["contentDecoded"]
    assert fields["seed"] == story
    # Asked for a second time by fetch(): the same payload, an identical-payload revisit.
    revisit, revisit_fields = next((r, f) for r, f in found if r.rec_type == "revisit")
    assert revisit.header("WARC-Refers-To") == response.record_id
    assert revisit_fields["resourceType"] == "fetch"
    by_path = {path_of(r.target_uri): f for r, f in browser_records(run)}
    assert by_path["/app/app.js"]["hopsFromSeed"] == "E"
    assert by_path["/img/figure.png"]["hopsFromSeed"] == "E"
    assert by_path["/api/moved"]["hopsFromSeed"] == "X"
    assert by_path["/api/ping.json"]["hopsFromSeed"] == "XR"
    assert by_path["/api/ping.json"]["via"] == render_crawls.url("/api/moved")
    # Every exchange has its request record, as the browser sent it.
    requests = {r.header("WARC-Concurrent-To"): r for r in run.records()
                if r.rec_type == "request"}
    sent = requests[response.record_id]
    assert sent.http_headers.protocol == "GET"
    names = {k.lower() for k, _ in sent.http_headers.headers}
    assert {"host", "user-agent", "referer", "accept-encoding"} <= names
    agent = dict((k.lower(), v) for k, v in sent.http_headers.headers)["user-agent"]
    assert "Chrome/" in agent and "seedcrawler/" in agent


def test_ordinary_pages_are_not_rendered(render_crawls):
    run = render_crawls.auto
    ordinary = {"/news/plain.html", "/news/index.html"}
    assert not [r for r, _ in browser_records(run) if path_of(r.target_uri) in ordinary]
    browser_asked = {path for path, agent in render_crawls.requests["auto"] if "Chrome/" in agent}
    assert browser_asked and not browser_asked & ordinary
    db = run.database()
    plain = db["articles"].get(render_crawls.url("/news/plain.html"))
    assert plain["title"] == PLAIN_TITLE
    assert db["captures"].get(plain["capture_id"])["record_type"] == "response"
    stats = json.loads(next(db.query("select stats from crawls"))["stats"])
    assert stats["render/pages"] == 2 and stats["render/doms"] == 2
    assert stats["render/browser_launches"] == 1


def test_no_browser_traffic_but_the_pages_own_reaches_the_warc(render_crawls):
    recorded = browser_records(render_crawls.auto)
    host = urlsplit(render_crawls.url("/")).netloc
    assert {urlsplit(r.target_uri).netloc for r, _ in recorded} == {host}
    assert {path_of(r.target_uri) for r, _ in recorded} == PAGE_OWN


def test_every_capture_of_the_browser_is_an_exchange_the_server_saw(render_crawls):
    """The cache is off: each request the browser sent is archived once, and nothing it
    did not send (a cached answer) is."""
    recorded = Counter(path_of(r.target_uri) for r, _ in browser_records(render_crawls.auto)
                       if r.rec_type != "conversion")
    asked = Counter(path for path, agent in render_crawls.requests["auto"]
                    if "Chrome/" in agent and path in PAGE_OWN)
    assert recorded == asked
    assert recorded["/api/story.json"] == 2


def test_every_warc_passes_warcio_check(render_crawls):
    files = [*render_crawls.auto.warc_files, *render_crawls.never.warc_files]
    assert files
    warcio = Path(sys.executable).with_name("warcio")
    done = subprocess.run([str(warcio), "check", "-v", *map(str, files)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conversion" in done.stdout


def test_replay_rebuilds_the_rendered_articles(render_crawls, tmp_path):
    run = render_crawls.auto
    result = replay([run.warc_dir], tmp_path / "rebuilt.db", workers=0)
    assert result.errors == 0
    rebuilt = {row["url"]: (row["title"], row["text"]) for row in
               sqlite_utils.Database(tmp_path / "rebuilt.db").query("select * from articles")}
    live = {row["url"]: (row["title"], row["text"]) for row in
            run.database().query("select * from articles")}
    assert rebuilt == live
    assert STORY[2] in rebuilt[render_crawls.url("/app/story.html")][1]


def test_render_never_leaves_the_shell_alone_but_a_seed_may_ask(render_crawls):
    run = render_crawls.never
    db = run.database()
    story = render_crawls.url("/app/story.html")
    assert db["articles"].count_where("url = ?", [story]) == 0
    recorded = {path_of(r.target_uri) for r, _ in browser_records(run)}
    assert "/app/story.html" not in recorded and "/api/story.json" not in recorded
    # "render=always" in the seed file: straight to the browser, extracted from its DOM.
    assert "/news/plain.html" in recorded
    plain = db["articles"].get(render_crawls.url("/news/plain.html"))
    assert plain["title"] == PLAIN_TITLE
    assert db["captures"].get(plain["capture_id"])["record_type"] == "conversion"
    asked = [(path, agent) for path, agent in render_crawls.requests["never"]
             if path == "/news/plain.html"]
    assert asked and all("Chrome/" in agent for _, agent in asked)  # no plain fetch first


def test_a_crawl_without_shells_starts_no_browser(crawled):
    db = crawled.database()
    stats = json.loads(next(db.query("select stats from crawls"))["stats"])
    assert not [key for key in stats if key.startswith(("render/", "playwright/"))]
    assert "Launching browser" not in crawled.log and "Starting download handler" not in \
        crawled.log


@pytest.mark.parametrize("argument, message", [
    ("render=sometimes", "RENDER='sometimes': use one of never, auto, always"),
])
def test_a_bad_render_option_stops_the_crawl_at_once(tmp_path, argument, message):
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", argument,
                           "-a", "urls=http://127.0.0.1:9/", "-s", f"ARCHIVE_DIR={tmp_path}"],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == EXIT_USAGE, done.stderr[-2000:]  # README: Exit status
    assert done.stderr.strip() == f"seedcrawler: {message}"  # one line
