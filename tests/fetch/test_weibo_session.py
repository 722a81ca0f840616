"""End to end: `scrapy crawl seeds` with Weibo seeds against the fake m.weibo.cn API
(crawler.demo.site.weibo_api): posts through the JSON API, walls recorded as blocked."""

from __future__ import annotations

import gzip
import json

import pytest
import sqlite_utils

from crawler.demo.site.server import FixtureServer
from crawler.demo.site.weibo_api import WeiboApiServer
from crawler.demo.site.weibo_posts import MAIN_BID, MAIN_MID, MAIN_UID, VISITOR_BID, WALLED_UID
from crawler.extract import extract
from crawler.store.outcomes import EXIT_SOME_FAILED

MAIN_URL = f"https://weibo.com/{MAIN_UID}/{MAIN_BID}"
WALLED_BID = "Pr04jjajE"  # always the "Sina Visitor System" page, cookies or not
LOGIN_BID, LOGIN_MID = "Pr066nPlb", "5164352345678901"  # always {"ok": -100}
DELETED_BID = "Pr0f30w7e"
WALLED_URL = f"https://weibo.com/{WALLED_UID}/{WALLED_BID}"
VISITOR_SEED = f"https://m.weibo.cn/status/{VISITOR_BID}"  # walled until visitor cookies
LOGIN_SEED = f"https://m.weibo.cn/detail/{LOGIN_MID}"
DELETED_SEED = f"https://weibo.com/{WALLED_UID}/{DELETED_BID}"
RETRY_TIMES = 3


@pytest.fixture(scope="module")
def api():
    with WeiboApiServer() as server:
        yield server


@pytest.fixture(scope="module")
def run(api, crawl, tmp_path_factory):
    archive = tmp_path_factory.mktemp("weibo") / "archive"
    result = crawl(
        archive,
        urls=[MAIN_URL, WALLED_URL, VISITOR_SEED, LOGIN_SEED, DELETED_SEED],
        settings={
            "WEIBO_API_BASE": api.base_url,
            "WEIBO_PASSPORT_BASE": api.base_url,
            "WEIBO_BACKOFF_BASE": "0.05",
            "WEIBO_RETRY_TIMES": str(RETRY_TIMES),
        },
    )
    # walled, login-only and deleted posts are failed seeds: status 3 (README "Exit status")
    assert result.process.returncode == EXIT_SOME_FAILED, result.log[-5000:]
    return result


@pytest.fixture(scope="module")
def db(run):
    database = run.database()
    yield database
    database.close()


@pytest.fixture(scope="module")
def records(run):
    return run.records()


def test_post_is_stored_under_its_weibo_com_url(db):
    article = db["articles"].get(MAIN_URL)
    assert article["author"] == "新智元"
    assert article["published"] == "2025-05-09T10:58:34+08:00"
    assert article["sitename"] == "微博" and article["language"] == "zh"
    text = article["text"]
    assert text.startswith("#贝索斯重金押注监督微调技术##贝索斯7200万领投AI数据公司#\n据路透社报道")
    # the whole long text, from /statuses/extend
    assert text.endswith("专注人类协作与高质量数据处理的公司，或将成为推动AI落地的关键。")
    assert "<" not in text and "全文" not in text and "&amp;" not in text
    extra = json.loads(article["extra"])
    assert extra["bid"] == MAIN_BID and extra["mid"] == MAIN_MID
    assert extra["is_long_text"] and not extra["text_truncated"]
    assert len(extra["pics"]) == 4
    assert extra["reposts_count"] == 23
    assert article["final_url"].endswith(f"/statuses/show?id={MAIN_BID}")


def test_walled_seeds_are_blocked_not_stored(db):
    urls = {row["url"] for row in db["articles"].rows}
    for seed in (WALLED_URL, LOGIN_SEED, DELETED_SEED):
        assert seed not in urls
    assert not any(WALLED_BID in url or LOGIN_BID in url or DELETED_BID in url for url in urls)
    errors = {row["url"]: row for row in db["errors"].rows}
    walled = errors[WALLED_URL]
    assert (walled["stage"], walled["error"]) == ("blocked", "visitor_system")
    assert "Sina Visitor System" in walled["detail"]
    login = errors[LOGIN_SEED]
    assert (login["stage"], login["error"]) == ("blocked", "login_required")
    deleted = errors[DELETED_SEED]
    assert (deleted["stage"], deleted["error"]) == ("deleted", "unavailable")
    assert MAIN_URL not in errors


def test_visitor_cookies_are_fetched_once_and_open_the_wall(api, db):
    assert len(api.requests_to("/visitor/genvisitor")) == 1
    incarnate = [r for r in api.requests_to("/visitor/visitor") if r.query.get("a") == "incarnate"]
    assert len(incarnate) == 1
    article = db["articles"].get(f"https://weibo.com/5703921756/{VISITOR_BID}")
    assert article["author"] == "量子位"
    assert "@新智元" in article["text"] and "[doge]" in article["text"]
    shows = [r for r in api.requests_to("/statuses/show") if r.query["id"] == VISITOR_BID]
    assert len(shows) == 2
    assert "SUB=" not in (shows[0].headers.get("Cookie") or "")
    assert "SUB=" in shows[1].headers["Cookie"]


def test_walls_are_retried_with_backoff_then_given_up(api, run):
    shows = [r for r in api.requests_to("/statuses/show") if r.query["id"] == WALLED_BID]
    # the first answer, once with visitor cookies, then WEIBO_RETRY_TIMES retries
    assert len(shows) == 1 + 1 + RETRY_TIMES
    assert "Retrying" in run.log


def test_api_requests_look_like_the_web_app(api):
    for request in api.requests_to("/statuses/show"):
        assert request.headers["Referer"] == "https://m.weibo.cn/"
        assert request.headers["X-Requested-With"] == "XMLHttpRequest"
        assert "json" in request.headers["Accept"]
        # a mobile browser's user agent (432 otherwise), naming the crawler
        assert "Mobile" in request.headers["User-Agent"]
        assert "seedcrawler/" in request.headers["User-Agent"]
    for request in api.requests_to("/visitor/genvisitor"):
        assert "seedcrawler/" in request.headers["User-Agent"]
    # robots.txt of the API host is not consulted (WEIBO_OBEY_ROBOTSTXT is off)
    assert not api.requests_to("/robots.txt")


def test_every_api_exchange_is_archived(db, records, api):
    # a retry answered with the same bytes is archived as a revisit (crawler.fetch.conditional)
    responses = [r for r in records if r.rec_type in ("response", "revisit")]
    archived = [r.target_uri for r in responses]
    assert len(archived) == len(api.requests)
    assert f"{api.base_url}/statuses/show?id={MAIN_BID}" in archived
    assert f"{api.base_url}/statuses/extend?id={MAIN_MID}" in archived
    assert any(uri.endswith("/visitor/genvisitor") for uri in archived)
    captured = [row["url"] for row in db["captures"].rows]
    assert sorted(captured) == sorted(archived)
    # every exchange is tied to its seed by a metadata record
    seeds = {}
    for record in records:
        if record.rec_type == "metadata":
            fields = dict(line.split(": ", 1) for line in record.payload.decode().splitlines())
            seeds.setdefault(record.target_uri, set()).add(fields["seed"])
    assert seeds[f"{api.base_url}/statuses/show?id={MAIN_BID}"] == {MAIN_URL}
    assert seeds[f"{api.base_url}/statuses/show?id={WALLED_BID}"] == {WALLED_URL}


def test_article_points_at_the_show_capture_and_replays_from_it(db, records, api):
    article = db["articles"].get(MAIN_URL)
    capture = db["captures"].get(article["capture_id"])
    assert capture["url"] == f"{api.base_url}/statuses/show?id={MAIN_BID}"
    record = next(r for r in records if r.rec_type == "response"
                  and r.record_id == capture["warc_record_id"])
    body = record.payload
    if record.http_headers.get_header("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    replayed = extract(body, record.target_uri, capture["content_type"])
    assert replayed["url"] == MAIN_URL
    assert (replayed["author"], replayed["published"]) == (article["author"],
                                                           article["published"])


def test_run_statistics(db):
    (crawl,) = db["crawls"].rows
    stats = json.loads(crawl["stats"])
    assert stats["weibo/blocked/visitor_system"] == 1
    assert stats["weibo/blocked/login_required"] == 1
    assert stats["weibo/visitor/attempts"] == 1
    assert stats["weibo/long_text"] == 1
    assert stats["articles/stored"] == 2


# --- HTTP 418 ----------------------------------------------------------------------------


def test_repeated_418_stops_weibo_for_the_run_and_the_run_goes_on(crawl, tmp_path):
    # a fixture site of its own: the session's counts its requests
    with WeiboApiServer() as api, FixtureServer() as fixture_site:
        bids = [MAIN_BID, VISITOR_BID, WALLED_BID, LOGIN_BID, DELETED_BID, "Pr0iEevgF"]
        for bid in bids:
            api.walls[bid] = "rate_limited"
        seeds = [f"https://m.weibo.cn/status/{bid}" for bid in bids]
        other = fixture_site.seed_urls()[1]  # an ordinary page on another host
        run = crawl(tmp_path / "archive", urls=[*seeds, other], settings={
            "WEIBO_API_BASE": api.base_url, "WEIBO_PASSPORT_BASE": api.base_url,
            "WEIBO_BACKOFF_BASE": "0.05", "WEIBO_RETRY_TIMES": "1",
            "CONCURRENT_REQUESTS": "1",
        })
        # the Weibo posts are blocked, the other page is fetched: some seeds failed
        assert run.process.returncode == EXIT_SOME_FAILED, run.log[-5000:]
        shows = api.requests_to("/statuses/show")
        assert not api.requests_to("/visitor/genvisitor")  # cookies do not cure a 418
    # two 418 in a row (more than WEIBO_RETRY_TIMES) and Weibo is given up
    assert len(shows) == 2
    db = sqlite_utils.Database(run.db_path)
    errors = {row["url"]: (row["stage"], row["error"]) for row in db["errors"].rows}
    for seed in seeds:
        assert errors[seed] == ("blocked", "rate_limited"), seed
    assert db["articles"].count_where("url like '%weibo%'") == 0
    assert db["articles"].count_where("final_url = ?", [other]) == 1
    assert "no more Weibo requests in this run" in run.log


def test_post_without_its_long_text_keeps_the_truncated_text(crawl, tmp_path):
    with WeiboApiServer() as api:
        api.extend_walls[MAIN_BID] = "no_data"
        run = crawl(tmp_path / "archive", urls=[MAIN_URL], settings={
            "WEIBO_API_BASE": api.base_url, "WEIBO_PASSPORT_BASE": api.base_url,
            "WEIBO_BACKOFF_BASE": "0.01", "WEIBO_RETRY_TIMES": "1",
        })
        assert run.process.returncode == 0, run.log[-5000:]
        assert len(api.requests_to("/statuses/extend")) == 2
    db = sqlite_utils.Database(run.db_path)
    article = db["articles"].get(MAIN_URL)
    assert json.loads(article["extra"])["text_truncated"] is True
    assert article["text"].endswith("...") and "全文" not in article["text"]
    assert article["author"] == "新智元"
    # the seed is stored, so the wall is recorded under the long-text request
    (error,) = db["errors"].rows
    assert error["url"].endswith(f"/statuses/extend?id={MAIN_MID}")
    assert (error["stage"], error["error"]) == ("blocked", "no_data")
