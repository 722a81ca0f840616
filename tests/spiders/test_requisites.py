"""Page requisites in a real crawl: default settings, two hosts, two runs into one archive
(the ``requisite_crawls`` fixture, ``tests/requisites_site.py``)."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from crawler.replay import replay
from crawler.warc.capture import decoded_body, warc_fields
from crawler.warc.records import PROFILE_IDENTICAL
from tests.requisites_site import CDN_HOST


def _by_type(records, rec_type):
    return [r for r in records if r.rec_type == rec_type]


def _metadata_by_url(records):
    return {r.target_uri: warc_fields(r) for r in _by_type(records, "metadata")}


@pytest.fixture(scope="module")
def first_records(requisite_crawls):
    return requisite_crawls.first.records()


@pytest.fixture(scope="module")
def second_records(requisite_crawls):
    return requisite_crawls.second.records()


def test_every_requisite_is_archived_once(requisite_crawls, first_records):
    site = requisite_crawls.site
    responses = Counter(r.target_uri for r in _by_type(first_records, "response"))
    assert {url for url in site.requisites if responses[url] != 1} == set(), responses
    # Both hosts were crawled for them, the second (CDN) one included.
    assert any(CDN_HOST in url for url in site.requisites)
    # Nothing else was fetched: the pages, their requisites, robots.txt of each host.
    expected = set(site.requisites) | set(site.seeds) | {
        site.main.url("/robots.txt"), site.cdn.url("/robots.txt")}
    assert set(responses) == expected
    assert site.main.url("/img/commented-out.png") not in responses


def test_payloads_are_the_bytes_served(requisite_crawls, first_records):
    for record in _by_type(first_records, "response"):
        body = requisite_crawls.site.requisites.get(record.target_uri)
        if body is not None:
            assert decoded_body(record) == body, record.target_uri


def test_metadata_records_say_embed_hops_and_via(requisite_crawls, first_records):
    site = requisite_crawls.site
    metadata = _metadata_by_url(first_records)
    for url, hops in site.hops.items():
        fields = metadata[url]
        assert fields["hopsFromSeed"] == hops, (url, fields)
        assert fields["seed"] in site.seeds
        assert fields["via"], fields
    # via names the page, or the stylesheet, that embeds the resource
    index = site.main.url("/index.html")
    assert metadata[site.cdn.url("/img/cdn-photo.png")]["via"] == index
    assert metadata[site.main.url("/css/base.css")]["via"] == site.main.url("/css/main.css")
    assert metadata[site.cdn.url("/img/bandeau.png")]["via"] == site.main.url("/css/base.css")
    assert metadata[site.main.url("/fonts/titre.woff2")]["via"] == site.main.url(
        "/css/main.css")
    # the pages themselves are seeds: no hops
    assert metadata[index]["hopsFromSeed"] == ""


def test_requisites_are_captures_not_pages(requisite_crawls):
    db = requisite_crawls.first.database()
    site = requisite_crawls.site
    assert sorted(row["final_url"] for row in db["articles"].rows) == sorted(site.seeds)
    assert list(db["errors"].rows) == []
    captures = {row["url"]: row for row in db["captures"].rows_where("crawl_id = 1")}
    for url, hops in site.hops.items():
        assert captures[url]["hops"] == hops
        assert captures[url]["via"]
    assert captures[site.seeds[0]]["hops"] == ""
    stats = json.loads(db["crawls"].get(1)["stats"])
    assert stats["requisites/fetched"] == len(site.requisites)
    assert stats["articles/stored"] == len(site.seeds)
    assert "articles/not_html" not in stats  # requisites are not counted as pages
    assert stats["requisites/duplicate"] >= 2  # the photo and stylesheet of both pages
    assert "requisites   " + str(len(site.requisites)) + " fetched" in \
        requisite_crawls.first.log


def test_second_run_writes_revisits_for_unchanged_requisites(requisite_crawls,
                                                             second_records):
    site = requisite_crawls.site
    revisits = {r.target_uri: r for r in _by_type(second_records, "revisit")}
    assert set(site.requisites) <= set(revisits), set(site.requisites) - set(revisits)
    assert not {r.target_uri for r in _by_type(second_records, "response")} & set(
        site.requisites)
    first = {r.target_uri: r for r in _by_type(requisite_crawls.first.records(), "response")}
    for url in site.requisites:
        # Asked for whole, so that every replay tool resolves the revisit to its payload.
        assert revisits[url].header("WARC-Profile") == PROFILE_IDENTICAL
        assert revisits[url].header("WARC-Refers-To") == first[url].record_id
    requests = [r for r in site.main.requests + site.cdn.requests
                if r.path in {"/" + url.split("/", 3)[3] for url in site.requisites}]
    assert len(requests) >= 2 * len(site.requisites)
    assert not any(r.header("If-None-Match") or r.header("If-Modified-Since") for r in requests)
    # The pages came back 304: their requisites were found again in the archive.
    metadata = _metadata_by_url(second_records)
    assert metadata[site.cdn.url("/img/bandeau.png")]["hopsFromSeed"] == "EEE"
    db = requisite_crawls.second.database()
    stats = json.loads(db["crawls"].get(2)["stats"])
    assert stats["pages/not_modified"] == len(site.seeds)
    assert stats["requisites/fetched"] == len(site.requisites)
    assert db["errors"].count == 0


def test_replay_rebuilds_the_articles_without_the_requisites(requisite_crawls, tmp_path):
    result = replay([requisite_crawls.archive_dir / "warc"], tmp_path / "rebuilt.db",
                    workers=0)
    assert result.errors == 0
    import sqlite_utils

    db = sqlite_utils.Database(tmp_path / "rebuilt.db")
    assert sorted(row["url"] for row in db["articles"].rows) == sorted(
        requisite_crawls.site.seeds)
    hops = {row["url"]: row["hops"] for row in db["captures"].rows}
    assert hops[requisite_crawls.site.cdn.url("/img/bandeau.png")] == "EEE"


def test_compressible_requisites_are_kept_as_sent(requisite_crawls, first_records):
    # The fixture server gzips CSS and JS: the WARC keeps the gzip bytes, as sent.
    css = next(r for r in _by_type(first_records, "response")
               if r.target_uri.endswith("/css/main.css"))
    assert css.http_headers.get_header("Content-Encoding") == "gzip"
    assert gzip.decompress(css.payload) == requisite_crawls.site.requisites[css.target_uri]


def test_limits_exclusions_and_robots(crawl, tmp_path):
    from crawler.demo.site.pages import Page
    from tests.requisites_site import start_requisite_site

    site = start_requisite_site()
    site.cdn.site["/robots.txt"] = Page(path="/robots.txt", body=b"User-agent: *\nDisallow: /js/\n",
                                        content_type="text/plain")
    try:
        run = crawl(tmp_path / "archive", urls=site.seeds, settings={
            "PAGE_REQUISITES_MAX_SIZE": "1000",  # the font is 1032 bytes
            "PAGE_REQUISITES_MAX_PER_PAGE": "4",
            "PAGE_REQUISITES_EXCLUDE": r"/inline\.png$",
        })
    finally:
        site.stop()
    assert run.process.returncode == 0, run.log[-3000:]
    asked = {r.path for r in site.main.requests + site.cdn.requests}
    # index.html embeds main.css, favicon, the CDN's lib.js and inline.png first, in that
    # order: nothing after them is fetched for it (second.html embeds the photo itself)
    assert {"/css/main.css", "/favicon.png", "/img/photo.png", "/img/second.png"} <= asked
    assert not asked & {"/img/photo-1x.png", "/img/lazy.png", "/img/poster.png"}
    assert "/img/inline.png" not in asked  # PAGE_REQUISITES_EXCLUDE
    assert "/js/lib.js" not in asked  # the CDN's robots.txt
    # Over the size limit: what came is archived, cut at the limit and marked (issue 12).
    font = site.main.url("/fonts/titre.woff2")
    (font_record,) = [r for r in run.records() if r.rec_type == "response"
                      and r.target_uri == font]
    assert font_record.header("WARC-Truncated") == "length"
    assert len(font_record.payload) <= 1000
    db = run.database()
    errors = {row["url"]: row for row in db["errors"].rows}
    assert errors[font]["stage"] == "requisite"
    assert errors[font]["error"] == "truncated: length"
    stats = json.loads(db["crawls"].get(1)["stats"])
    assert stats["requisites/over_max_per_page"] == 13 - 4  # index.html embeds 13
    assert stats["requisites/excluded"] == 1
    assert stats["robotstxt/forbidden"] == 1
    assert stats["articles/stored"] == 2
