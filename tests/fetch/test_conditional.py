"""Repeated runs into one ARCHIVE_DIR: conditional requests, revisit records, versions."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlite_utils

from crawler.demo.site.pages import FRENCH_PATH, NETEASE_PATH, build_site
from crawler.demo.site.server import FixtureServer
from crawler.store.outcomes import EXIT_SOME_FAILED
from crawler.warc.reader import iter_records
from crawler.warc.records import PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED

NEW_SENTENCE = "Mise à jour : Toloka annonce un second tour de table de 40 millions de dollars."


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory, crawl):
    """Three crawls of the same seeds; the French article changes before the third."""
    archive = tmp_path_factory.mktemp("incremental") / "archive"
    with FixtureServer(build_site()) as server:
        seeds = server.seed_urls()
        runs = [crawl(archive, urls=seeds)]
        runs.append(crawl(archive, urls=seeds))
        page = server.site[FRENCH_PATH]
        marker = b"</p>"
        # after the body paragraph holding the first expected phrase (not the cookie banner)
        anchor = page.body.index(b"<p>" + page.expected.body[0].encode())
        first_p_end = page.body.index(marker, anchor)
        changed = (page.body[:first_p_end] + marker + f"<p>{NEW_SENTENCE}</p>".encode()
                   + page.body[first_p_end + len(marker):])
        server.site[FRENCH_PATH] = dataclasses.replace(page, body=changed)
        runs.append(crawl(archive, urls=seeds))
        for run in runs:
            # the site's 404 page is a failed seed: status 3 (README "Exit status")
            assert run.process.returncode == EXIT_SOME_FAILED, run.log[-3000:]
        yield server, archive, runs


def _records_by_run(archive):
    records = []
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        records += list(iter_records(path))
    return records


def test_second_run_sends_conditional_requests(three_runs):
    server, archive, runs = three_runs
    db = sqlite_utils.Database(archive / "archive.db")
    second_crawl_id = 2
    request_ids = [row["warc_request_record_id"] for row in db["captures"].rows_where(
        "crawl_id = ? and status in (200, 304) and url not like '%robots.txt'",
        [second_crawl_id])]
    requests = {r.record_id: r for r in _records_by_run(archive) if r.rec_type == "request"}
    assert request_ids
    for record_id in request_ids:
        headers = requests[record_id].http_headers
        assert headers.get_header("If-None-Match", "").startswith('"')
        assert headers.get_header("If-Modified-Since")


def test_not_modified_pages_become_revisit_records(three_runs):
    server, archive, runs = three_runs
    records = _records_by_run(archive)
    by_id = {r.record_id: r for r in records}
    revisits = [r for r in records if r.rec_type == "revisit"]
    assert revisits
    for revisit in revisits:
        assert revisit.header("WARC-Profile") == PROFILE_NOT_MODIFIED
        assert revisit.http_headers.statusline == "304 Not Modified"
        original = by_id[revisit.header("WARC-Refers-To")]
        assert original.rec_type == "response"
        assert original.target_uri == revisit.header("WARC-Refers-To-Target-URI")
        assert original.header("WARC-Date") == revisit.header("WARC-Refers-To-Date")
        assert original.header("WARC-Payload-Digest") == revisit.header("WARC-Payload-Digest")
        assert revisit.payload == b""
    db = sqlite_utils.Database(archive / "archive.db")
    (second,) = db["crawls"].rows_where("id = 2")
    assert second["revisits"] == db["captures"].count_where(
        "crawl_id = 2 and record_type = 'revisit'") > 0
    assert second["articles_unchanged"] == 5 and second["articles_new"] == 0


def test_warc_files_stay_valid(three_runs):
    server, archive, runs = three_runs
    for path in (archive / "warc").glob("*.warc.gz"):
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)])
        assert check.returncode == 0


def test_changed_text_updates_the_article_and_adds_a_version(three_runs):
    server, archive, runs = three_runs
    db = sqlite_utils.Database(archive / "archive.db")
    french = server.url("/r/toloka")
    assert NEW_SENTENCE in db["articles"].get(french)["text"]
    versions = list(db["article_versions"].rows_where("url = ?", [french], order_by="version"))
    assert [v["version"] for v in versions] == [1, 2]
    assert NEW_SENTENCE not in versions[0]["text"] and NEW_SENTENCE in versions[1]["text"]
    assert versions[1]["chars_added"] >= len(NEW_SENTENCE)
    # unchanged articles have exactly one version; no duplicates anywhere
    (netease,) = db["articles"].rows_where("final_url = ?", [server.url(NETEASE_PATH)])
    assert db["article_versions"].count_where("url = ?", [netease["url"]]) == 1
    assert db["articles"].count == 5
    crawls = list(db["crawls"].rows)
    assert len(crawls) == 3
    assert [c["articles_new"] for c in crawls] == [5, 0, 0]
    assert crawls[2]["articles_changed"] == 1
    assert all(c["finished_at"] and c["requests"] > 0 for c in crawls)


class _NoValidators(BaseHTTPRequestHandler):
    """A page served without ETag or Last-Modified: only its digest can tell it is unchanged."""

    body = ("<html><head><title>Sans validateurs</title></head><body><article><h1>Sans "
            "validateurs</h1><p>" + "Une page servie sans ETag ni Last-Modified. " * 20
            + "</p></article></body></html>").encode()

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def test_identical_payload_becomes_an_identical_digest_revisit(tmp_path, crawl):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _NoValidators)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_port}/page.html"
    try:
        first = crawl(tmp_path / "a", urls=[url], settings={"ROBOTSTXT_OBEY": "False"})
        second = crawl(tmp_path / "a", urls=[url], settings={"ROBOTSTXT_OBEY": "False"})
    finally:
        httpd.shutdown()
    assert first.process.returncode == 0 and second.process.returncode == 0, second.log[-2000:]
    records = _records_by_run(tmp_path / "a")
    responses = [r for r in records if r.rec_type == "response"]
    revisits = [r for r in records if r.rec_type == "revisit"]
    assert len(responses) == 1 and len(revisits) == 1
    assert revisits[0].header("WARC-Profile") == PROFILE_IDENTICAL
    assert revisits[0].header("WARC-Refers-To") == responses[0].record_id
    assert revisits[0].payload == b""  # the payload is not stored twice
    db = sqlite_utils.Database(tmp_path / "a" / "archive.db")
    assert [r["record_type"] for r in db["captures"].rows] == ["response", "revisit"]
    assert db["article_versions"].count == 1
