"""End to end: `scrapy crawl seeds` against the local fixture site, checked against the
WARC files and the SQLite archive it leaves."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from crawler.store.outcomes import EXIT_SOME_FAILED
from crawler.warc.reader import iter_records, record_at


def sha1_digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


@pytest.fixture(scope="module")
def records(crawled):
    return crawled.records()


@pytest.fixture(scope="module")
def responses(records):
    """Response records by target URI (the last one, should a URL be fetched twice)."""
    return {r.target_uri: r for r in records if r.rec_type == "response"}


@pytest.fixture(scope="module")
def db(crawled):
    database = crawled.database()
    yield database
    database.close()


@pytest.fixture(scope="module")
def site(fixture_site):
    return fixture_site.site


def article_pages(site):
    return {path: page for path, page in site.items() if page.expected is not None}


# --- the run ---------------------------------------------------------------------------


def test_run_ends_with_a_summary_naming_the_bad_seed(crawled):
    assert "=== seedcrawler run finished (finished) ===" in crawled.log
    assert "bad seed" in crawled.log
    assert "seeds.txt:" in crawled.log and "'not-a-url'" in crawled.log


def test_duplicate_seed_is_fetched_once(crawled, fixture_site):
    netease = urlsplit(fixture_site.seed_urls()[1]).path
    gets = [r for r in fixture_site.requests if r.method == "GET" and r.path == netease]
    assert len(gets) == 1


def test_crawls_row_records_the_run(db):
    (crawl,) = db["crawls"].rows
    assert crawl["finished_at"] and crawl["finish_reason"] == "finished"
    stats = json.loads(crawl["stats"])
    assert stats["articles/stored"] == crawl["articles"] == db["articles"].count
    assert crawl["captures"] == db["captures"].count
    assert crawl["seeds"] == 7


# --- WARC validity -----------------------------------------------------------------------


def test_warc_files_are_closed_and_valid(crawled):
    assert crawled.warc_files
    assert not list(crawled.warc_dir.glob("*.open"))
    for path in crawled.warc_files:
        assert subprocess.run(["gzip", "-t", str(path)]).returncode == 0
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "digest pass" in check.stdout


def test_every_file_opens_with_warcinfo(crawled):
    for path in crawled.warc_files:
        first = next(iter_records(path))
        assert first.rec_type == "warcinfo"
        assert first.header("WARC-Filename") == path.name
        info = first.payload.decode()
        assert "software: seedcrawler/" in info
        assert "robots: obey" in info
        assert "http-header-user-agent: seedcrawler/" in info
        assert "format: WARC File Format 1.1" in info
        assert "hostname: " in info


def test_records_are_warc_1_1_with_microsecond_dates(records):
    for record in records:
        assert record.rec_headers.protocol == "WARC/1.1"
        assert len(record.header("WARC-Date")) == len("2025-07-23T12:03:04.567890Z")


# --- record fidelity ---------------------------------------------------------------------


def test_every_exchange_is_archived_with_its_status_line(responses, fixture_site):
    expected = {
        "/robots.txt": "200 OK",
        "/r/toloka": "301 Moved Permanently",
        "/missing.html": "404 Not Found",
        "/files/toloka-report.pdf": "200 OK",
    }
    for path, status_line in expected.items():
        record = responses[fixture_site.url(path)]
        assert record.http_headers.statusline == status_line
        assert record.http_headers.protocol == "HTTP/1.1"
    for url in fixture_site.seed_urls():
        assert url in responses


def test_payload_is_stored_as_received(responses, fixture_site, site):
    for path, page in site.items():
        record = responses.get(fixture_site.url(path))
        if record is None or page.status != 200:
            continue
        if record.http_headers.get_header("Content-Encoding") == "gzip":
            assert record.payload[:2] == b"\x1f\x8b", path  # still compressed
            assert gzip.decompress(record.payload) == page.body, path
        else:
            assert record.payload == page.body, path
        assert record.header("WARC-Payload-Digest") == sha1_digest(record.payload)
        assert record.header("WARC-IP-Address") == "127.0.0.1"


def test_html_was_served_and_kept_gzipped(responses, fixture_site, site):
    gzipped = [p for p in article_pages(site)
               if responses[fixture_site.url(p)].http_headers.get_header("Content-Encoding")]
    assert len(gzipped) == len(article_pages(site))


def test_repeated_headers_stay_repeated(responses, fixture_site, site):
    netease = fixture_site.seed_urls()[1]
    page = site[urlsplit(netease).path]
    sent = [v for k, v in page.headers if k.lower() == "set-cookie"]
    assert len(sent) == 2
    archived = [v for k, v in responses[netease].http_headers.headers if k == "Set-Cookie"]
    assert archived == sent


def test_request_records_hold_what_was_sent(records, fixture_site):
    by_id = {r.record_id: r for r in records}
    requests = [r for r in records if r.rec_type == "request"]
    assert len(requests) == sum(r.rec_type == "response" for r in records)
    host = urlsplit(fixture_site.base_url).netloc
    received = {(r.method, r.path): r for r in fixture_site.requests}
    for request in requests:
        response = by_id[request.header("WARC-Concurrent-To")]
        assert response.rec_type == "response"
        assert response.target_uri == request.target_uri
        assert request.header("WARC-Date") == response.header("WARC-Date")
        line = request.http_headers.to_str().split("\r\n", 1)[0]
        parts = urlsplit(request.target_uri)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        assert line == f"GET {target} HTTP/1.1"
        assert request.http_headers.get_header("Host") == host
        # every header the server received is in the record, with the same value
        got = received[("GET", target)]
        archived = {k.lower(): v for k, v in request.http_headers.headers}
        for name, value in got.headers:
            if name.lower() in ("connection", "content-length"):
                continue
            assert archived.get(name.lower()) == value, (target, name)


def test_query_string_reaches_the_request_line(records):
    lines = [r.http_headers.to_str().split("\r\n", 1)[0]
             for r in records if r.rec_type == "request"]
    assert "GET /a/909412345_473283?spm=smpc.content.news.1 HTTP/1.1" in lines


# --- the database ------------------------------------------------------------------------


def test_every_exchange_has_a_capture_row(db, responses):
    captured = {row["url"] for row in db["captures"].rows}
    assert captured == set(responses)


def test_redirect_hops_each_get_a_capture(db, fixture_site):
    hop = db.execute("select status, location from captures where url = ?",
                     [fixture_site.url("/r/toloka")]).fetchall()
    assert len(hop) == 1 and hop[0][0] == 301
    target = fixture_site.url(urlsplit(hop[0][1]).path) if hop[0][1].startswith("/") \
        else hop[0][1]
    assert db.execute("select status from captures where url = ?",
                      [target]).fetchone()[0] == 200
    article = db["articles"].get(fixture_site.url("/r/toloka"))
    assert article["final_url"] == target


def test_captures_point_at_their_warc_records(db, crawled):
    for row in db["captures"].rows:
        record = record_at(crawled.warc_dir / row["warc_file"], row["warc_offset"])
        assert record.rec_type == "response"
        assert record.record_id == row["warc_record_id"]
        assert record.target_uri == row["url"]
        assert record.length == row["warc_length"]
        assert record.header("WARC-Payload-Digest") == row["payload_digest"]
        assert record.http_headers.statusline.startswith(str(row["status"]))
        assert row["fetched_at"].endswith("Z")


def test_articles_point_at_the_capture_they_came_from(db, crawled):
    rows = list(db.query(
        "select a.url, a.final_url, c.url as captured, c.status, c.warc_file, c.warc_offset "
        "from articles a join captures c on c.id = a.capture_id"))
    assert len(rows) == db["articles"].count
    for row in rows:
        assert row["captured"] == row["final_url"] and row["status"] == 200
        record = record_at(crawled.warc_dir / row["warc_file"], row["warc_offset"])
        assert record.target_uri == row["final_url"]


def test_404_and_pdf_are_archived_but_not_articles(db, fixture_site):
    missing, pdf = fixture_site.url("/missing.html"), fixture_site.url("/files/toloka-report.pdf")
    assert db["articles"].count_where("url in (?, ?)", [missing, pdf]) == 0
    (pdf_row,) = db["captures"].rows_where("url = ?", [pdf])
    assert pdf_row["content_type"] == "application/pdf" and pdf_row["status"] == 200
    errors = list(db["errors"].rows_where("url = ?", [missing]))
    assert [(e["stage"], e["error"]) for e in errors] == [("fetch", "HTTP 404")]
    (seed_error,) = db["errors"].rows_where("stage = 'seed'")
    assert seed_error["url"] == "not-a-url" and seed_error["detail"].endswith("seeds.txt:9")


# --- extraction --------------------------------------------------------------------------


def _article_for(db, fixture_site, path):
    url = fixture_site.url(path)
    rows = list(db["articles"].rows_where("url = ? or final_url = ?", [url, url]))
    assert len(rows) == 1, f"expected one article for {path}, found {len(rows)}"
    return rows[0]


def test_every_article_page_becomes_an_article(db, site, fixture_site):
    assert db["articles"].count == len(article_pages(site))


@pytest.mark.parametrize("index", range(5))
def test_article_text_has_the_body_and_none_of_the_boilerplate(db, site, fixture_site, index):
    path, page = sorted(article_pages(site).items())[index]
    article = _article_for(db, fixture_site, path)
    text = article["text"]
    assert "\ufffd" not in text and "\ufffd" not in article["title"]
    missing = [phrase for phrase in page.expected.body if phrase not in text]
    assert not missing, f"{path}: body phrases missing: {missing}"
    leaked = [phrase for phrase in page.expected.boilerplate if phrase in text]
    assert not leaked, f"{path}: boilerplate in text: {leaked}"
    assert article["title"] == page.expected.title
    assert article["language"] == page.expected.language


def test_gbk_and_big5_pages_are_decoded(db, site, fixture_site):
    encodings = {}
    for path, page in article_pages(site).items():
        charset = page.content_type.lower().rsplit("charset=", 1)[-1]
        encodings[charset] = _article_for(db, fixture_site, path)["encoding"]
    assert encodings["gbk"] == "gb18030"
    assert encodings["big5"] == "big5hkscs"


def test_trigram_search_finds_a_chinese_phrase(db, fixture_site):
    # keyed by the URL the NetEase adapter names canonical, found by its final URL
    article = _article_for(db, fixture_site, urlsplit(fixture_site.seed_urls()[1]).path)
    phrase = "數據標注公司"
    assert phrase in article["text"]
    hits = [row["url"] for row in db.query(
        "select articles.url from articles_fts join articles "
        "on articles.rowid = articles_fts.rowid where articles_fts match ?", [f'"{phrase}"'])]
    assert article["url"] in hits


# --- rollover ----------------------------------------------------------------------------


def test_small_warc_max_size_rolls_over_and_stays_consistent(crawl, fixture_site, tmp_path):
    run = crawl(tmp_path / "archive", urls=fixture_site.seed_urls(),
                    settings={"WARC_MAX_SIZE": "20000", "WARC_PREFIX": "ROLL"})
    assert run.process.returncode == EXIT_SOME_FAILED, run.log[-3000:]  # the 404 page
    assert len(run.warc_files) > 1
    assert all(path.name.startswith("ROLL-") for path in run.warc_files)
    db = sqlite_utils.Database(run.db_path)
    for row in db["captures"].rows:
        record = record_at(run.warc_dir / row["warc_file"], row["warc_offset"])
        assert record.record_id == row["warc_record_id"]


def test_metadata_records_link_each_capture_to_its_seed(records, fixture_site):
    by_id = {r.record_id: r for r in records}
    metadata = [r for r in records if r.rec_type == "metadata"]
    fields = {}
    for record in metadata:
        response = by_id[record.header("WARC-Concurrent-To")]
        assert response.rec_type == "response" and response.target_uri == record.target_uri
        fields[record.target_uri] = dict(
            line.split(": ", 1) for line in record.payload.decode().splitlines()
        )
    hop = fixture_site.url("/r/toloka")
    target = next(uri for uri, f in fields.items() if f.get("via") == hop)
    assert fields[target] == {"seed": hop, "via": hop, "hopsFromSeed": "R"}
    assert fields[hop] == {"seed": hop, "hopsFromSeed": ""}
    assert fixture_site.url("/robots.txt") not in fields  # no seed led there
