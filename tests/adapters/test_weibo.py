"""The Weibo adapter: ids, URL forms, API answers -> articles, walls (crawler.adapters.weibo),
and the crawl-time policy pieces that need no crawl (crawler.fetch.weibo_session)."""

from __future__ import annotations

import asyncio
import json
import pickle
import random

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.adapters import adapter_for, canonical_url
from crawler.adapters.base import PageUnavailable
from crawler.adapters.weibo import (
    StatusRef,
    WeiboAdapter,
    WeiboUnavailable,
    api_data,
    api_endpoint,
    article_from_status,
    bid_to_mid,
    mid_to_bid,
    parse_created_at,
    parse_status_url,
    status_text,
    with_long_text,
)
from crawler.demo.site.pages import fixtures_dir
from crawler.demo.site.weibo_posts import (
    MAIN_BID,
    MAIN_MID,
    MAIN_UID,
    REPOST_BID,
    REPOST_MAIN_BID,
    VIDEO_BID,
    VISITOR_BID,
    VISITOR_PAGE,
    long_text_html,
    statuses,
)
from crawler.extract import extract, extract_article
from crawler.fetch.weibo_session import WeiboGateMiddleware, WeiboSession

API = "http://127.0.0.1:8765"
MAIN_URL = f"https://weibo.com/{MAIN_UID}/{MAIN_BID}"


def show_body(status: dict) -> bytes:
    return json.dumps({"ok": 1, "data": status}, ensure_ascii=False).encode("utf-8")


def extend_body(html: str) -> bytes:
    return json.dumps({"ok": 1, "data": {"ok": 1, "longTextContent": html,
                                         "reposts_count": 24, "comments_count": 18,
                                         "attitudes_count": 190}},
                      ensure_ascii=False).encode("utf-8")


@pytest.fixture(scope="module")
def posts():
    return statuses()


# --- bid <-> mid -------------------------------------------------------------------------


@pytest.mark.parametrize("bid, mid", [("PqZVYv0xc", "5164346067390226"),
                                      ("z0JH2lOMb", "3501756485200075")])
def test_bid_mid_both_ways(bid, mid):
    assert bid_to_mid(bid) == mid
    assert mid_to_bid(mid) == bid
    assert mid_to_bid(int(mid)) == bid


def test_bid_mid_round_trips():
    rng = random.Random(42)
    for _ in range(500):
        mid = str(rng.randrange(10**15, 10**17))
        assert bid_to_mid(mid_to_bid(mid)) == mid
    # inner chunks keep their zero padding on both sides
    assert mid_to_bid("3500000000000001") == "z00000001"
    assert bid_to_mid(mid_to_bid("3500000000000001")) == "3500000000000001"
    assert bid_to_mid(mid_to_bid("5000000000000000")) == "5000000000000000"


def test_bad_ids_are_rejected():
    with pytest.raises(ValueError):
        bid_to_mid("Pq-ZV")
    with pytest.raises(ValueError):
        mid_to_bid("51643460x")


# --- URL forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("url, ref", [
    (MAIN_URL, StatusRef(MAIN_BID, str(MAIN_UID))),
    (f"https://www.weibo.com/{MAIN_UID}/{MAIN_BID}?refer_flag=1001030103_",
     StatusRef(MAIN_BID, str(MAIN_UID))),
    (f"http://weibo.com/{MAIN_UID}/{MAIN_MID}", StatusRef(MAIN_BID, str(MAIN_UID))),
    (f"https://m.weibo.cn/status/{MAIN_BID}", StatusRef(MAIN_BID)),
    (f"https://m.weibo.cn/status/{MAIN_MID}?sourceType=weixin", StatusRef(MAIN_BID)),
    (f"https://m.weibo.cn/detail/{MAIN_MID}", StatusRef(MAIN_BID)),
    (f"https://weibo.com/detail/{MAIN_MID}", StatusRef(MAIN_BID)),
    (f"https://m.weibo.cn/{MAIN_UID}/{MAIN_MID}", StatusRef(MAIN_BID, str(MAIN_UID))),
])  # fmt: skip
def test_status_url_forms(url, ref):
    assert parse_status_url(url) == ref
    assert ref.mid == MAIN_MID


@pytest.mark.parametrize("url", [
    f"https://weibo.com/u/{MAIN_UID}",
    "https://weibo.com/n/新智元",
    "https://s.weibo.com/weibo?q=Toloka",
    "https://weibo.com/ttarticle/p/show?id=2309404962",
    f"https://weibo.com/{MAIN_UID}/profile",
    f"https://example.com/{MAIN_UID}/{MAIN_BID}",
    "https://weibo.com/",
])  # fmt: skip
def test_other_urls_are_not_posts(url):
    assert parse_status_url(url) is None


def test_canonical_url_is_weibo_com_uid_bid():
    assert canonical_url(f"http://www.weibo.com/{MAIN_UID}/{MAIN_MID}?type=comment") == MAIN_URL
    # without a uid in the URL, the post's mobile address (the article itself carries the
    # weibo.com URL, from the API answer)
    assert canonical_url(f"https://m.weibo.cn/detail/{MAIN_MID}") == \
        f"https://m.weibo.cn/status/{MAIN_BID}"
    assert canonical_url(f"https://weibo.com/u/{MAIN_UID}") == f"https://weibo.com/u/{MAIN_UID}"


def test_adapter_claims_posts_and_api_answers_on_any_host():
    assert isinstance(adapter_for(MAIN_URL), WeiboAdapter)
    assert isinstance(adapter_for(f"{API}/statuses/show?id={MAIN_BID}", "application/json"),
                      WeiboAdapter)
    assert isinstance(adapter_for(f"{API}/statuses/extend?id={MAIN_MID}"), WeiboAdapter)
    assert api_endpoint(f"{API}/statuses/show?id={MAIN_BID}") == ("show", MAIN_BID)
    assert api_endpoint(f"https://weibo.com/ajax/statuses/longtext?id={MAIN_BID}") == \
        ("extend", MAIN_BID)
    assert adapter_for(f"{API}/statuses/show") is None  # no id
    assert adapter_for(f"{API}/statuses/show?id=1", "image/png") is None
    assert adapter_for(f"{API}/other?id=1", "application/json") is None
    assert adapter_for(f"https://weibo.com/u/{MAIN_UID}") is None


def test_start_request_goes_to_the_api():
    settings = Settings({"WEIBO_API_BASE": API + "/"})
    request = WeiboAdapter().start_request(f"https://m.weibo.cn/detail/{MAIN_MID}", settings)
    assert request.url == f"{API}/statuses/show?id={MAIN_BID}"
    assert request.meta["seed_url"] == f"https://m.weibo.cn/detail/{MAIN_MID}"
    assert request.meta["dont_obey_robotstxt"] is True
    assert request.meta["dont_redirect"] and request.meta["handle_httpstatus_all"]
    assert request.headers[b"Referer"] == b"https://m.weibo.cn/"
    assert request.headers[b"X-Requested-With"] == b"XMLHttpRequest"
    assert b"json" in request.headers[b"Accept"]
    assert WeiboAdapter().start_request(f"https://weibo.com/u/{MAIN_UID}", settings) is None
    obey = Settings({"WEIBO_API_BASE": API, "WEIBO_OBEY_ROBOTSTXT": True})
    assert WeiboAdapter().start_request(MAIN_URL, obey).meta["dont_obey_robotstxt"] is False


# --- answers -> articles -----------------------------------------------------------------


def test_created_at_keeps_its_offset():
    assert parse_created_at("Wed Oct 19 23:44:36 +0800 2022") == "2022-10-19T23:44:36+08:00"
    assert parse_created_at("Mon Jan 02 03:04:05 -0530 2023") == "2023-01-02T03:04:05-05:30"
    assert parse_created_at("2022-10-19T23:44:36+08:00") == "2022-10-19T23:44:36+08:00"
    assert parse_created_at("刚刚") is None
    assert parse_created_at(None) is None


def test_text_is_clean_plain_text():
    html = (
        '<a  href="https://m.weibo.cn/search?containerid=231522type%3D1%26q%3D%23AI%23" '
        'data-hide=""><span class="surl-text">#AI#</span></a>第一行<br />'
        "<a href='/n/新智元'>@新智元</a> 说得好"
        '<span class="url-icon"><img alt="[doge]" src="https://h5.sinaimg.cn/d_doge.png" '
        'style="width:1em; height:1em;" /></span><br><br>'
        '原文：<a data-url="http://t.cn/A6x" href="https://weibo.cn/sinaurl?u=https%3A%2F%2F'
        'example.com%2Fa%3Fb%3D1" data-hide=""><span class="url-icon"><img src="https://h5.'
        'sinaimg.cn/link.png"></span><span class="surl-text">网页链接</span></a>'
        '<img src="https://wx1.sinaimg.cn/large/abc.jpg">&amp; 结束\u200b'
    )
    pics: list[str] = []
    assert status_text(html, pics) == (
        "#AI#第一行\n@新智元 说得好[doge]\n原文：https://example.com/a?b=1& 结束"
    )
    assert pics == ["https://wx1.sinaimg.cn/large/abc.jpg"]


def test_main_post_from_show_answer(posts):
    body = show_body(posts[MAIN_BID])
    article = extract(body, f"{API}/statuses/show?id={MAIN_BID}", "application/json")
    assert article["url"] == MAIN_URL
    assert article["author"] == "新智元"
    assert article["published"] == "2025-05-09T10:58:34+08:00"
    assert article["sitename"] == "微博"
    assert article["language"] == "zh"
    assert article["text"].startswith("#贝索斯重金押注监督微调技术##贝索斯7200万领投AI数据公司#\n"
                                      "据路透社报道")
    assert "<" not in article["text"] and "全文" not in article["text"]
    assert article["tags"] == ["贝索斯重金押注监督微调技术", "贝索斯7200万领投AI数据公司"]
    extra = article["extra"]
    assert extra["adapter"] == "weibo"
    assert (extra["uid"], extra["bid"], extra["mid"]) == (str(MAIN_UID), MAIN_BID, MAIN_MID)
    assert (extra["reposts_count"], extra["comments_count"], extra["attitudes_count"]) == \
        (23, 17, 186)
    assert extra["is_long_text"] and extra["text_truncated"]
    assert len(extra["pics"]) == 4
    assert all("/large/" in url for url in extra["pics"])
    assert extra["is_repost"] is False and "retweeted" not in extra
    assert article["image"] == extra["pics"][0]


def test_long_text_replaces_the_truncated_text(posts):
    article = article_from_status(posts[MAIN_BID])
    full = with_long_text(article, extend_body(long_text_html()))
    assert full["extra"]["text_truncated"] is False
    assert full["extra"]["attitudes_count"] == 190
    assert full["text"].endswith("或将成为推动AI落地的关键。")
    assert "- Shopify CTO Mikhail Parakhin参投并将出任Toloka董事会执行主席；" in full["text"]
    # the title is the post's opening, as the saved seed text has it
    heading = (fixtures_dir() / "000_de978af1f6993ca8.txt").read_text(
        encoding="utf-8").split("\n", 1)[0][2:]
    assert full["title"] == heading
    assert (full["url"], full["author"], full["published"]) == \
        (article["url"], article["author"], article["published"])



def test_the_extend_answer_alone_is_the_whole_text_keyed_by_the_status_url(posts):
    whole = with_long_text(article_from_status(posts[MAIN_BID]), extend_body(long_text_html()))
    alone = extract(extend_body(long_text_html()), f"{API}/statuses/extend?id={MAIN_MID}",
                    "application/json")
    assert alone["text"] == whole["text"] and alone["title"] == whole["title"]
    assert alone["url"] == f"https://m.weibo.cn/status/{MAIN_BID}"
    assert (alone["author"], alone["published"]) == (None, None)
    assert alone["sitename"] == "微博" and alone["language"] == "zh"
    extra = alone["extra"]
    assert (extra["bid"], extra["mid"], extra["uid"]) == (MAIN_BID, MAIN_MID, None)
    assert extra["long_text_only"] and not extra["text_truncated"]
    assert extra["attitudes_count"] == 190
    # merged with the show answer, nothing of the extend-only form is left
    assert "long_text_only" not in whole["extra"]


def test_the_extend_answer_alone_is_keyed_by_its_seed(posts):
    from crawler.extract.articles import build_article

    row = build_article(extend_body(long_text_html()), f"{API}/statuses/extend?id={MAIN_MID}",
                        "application/json", MAIN_URL)
    assert row["url"] == MAIN_URL
    # a seed naming another post does not lend its key
    other = build_article(extend_body(long_text_html()), f"{API}/statuses/extend?id={MAIN_MID}",
                          "application/json", f"https://weibo.com/{MAIN_UID}/Q1xYzAbCd")
    assert other["url"] == f"https://m.weibo.cn/status/{MAIN_BID}"


def test_an_extend_wall_alone_is_no_article():
    with pytest.raises(WeiboUnavailable):
        extract_article(json.dumps({"ok": -100, "url": "https://passport.weibo.cn/x"}).encode(),
                        f"{API}/statuses/extend?id={MAIN_MID}", "application/json")


def test_repost_with_deleted_original(posts):
    article = article_from_status(posts[REPOST_BID])
    assert article["text"] == "转发微博"
    assert article["author"] == "机器之心"
    extra = article["extra"]
    assert extra["is_repost"] is True
    retweeted = extra["retweeted"]
    assert retweeted["author"] is None and retweeted["url"] is None
    assert retweeted["text"].startswith("抱歉，此微博已被作者删除。")


def test_repost_of_a_post_keeps_the_original_as_a_field(posts):
    extra = article_from_status(posts[REPOST_MAIN_BID])["extra"]
    assert extra["is_repost"] is True
    assert extra["retweeted"]["url"] == MAIN_URL
    assert extra["retweeted"]["author"] == "新智元"
    assert extra["retweeted"]["bid"] == MAIN_BID
    assert extra["retweeted"]["text"].startswith("#贝索斯重金押注监督微调技术#")


def test_video_post_with_pics_keyed_by_index(posts):
    status = posts[VIDEO_BID]
    assert isinstance(status["pics"], dict)
    article = article_from_status(status)
    assert article["extra"]["pics"] == [
        "https://wx2.sinaimg.cn/large/006qbitai0gy1video0001.jpg",
        "https://wx2.sinaimg.cn/large/006qbitai0gy1video0002.jpg",
    ]
    page = article["extra"]["page_info"]
    assert page["type"] == "video"
    assert page["url"] == "https://video.weibo.com/show?fid=1034:5164360000000001"
    assert page["media_url"].startswith("https://f.video.weibocdn.com/")
    assert article["tags"] == ["AI数据标注"]
    assert article["extra"]["source"] == "微博视频号"


def test_mention_emoji_and_web_link(posts):
    article = article_from_status(posts[VISITOR_BID])
    assert article["text"] == ("Toloka这轮融资的细节来了，@新智元 的解读很到位[doge]\n"
                               "原文：https://www.reuters.com/technology/toloka-2025-05-07/")


def test_minimal_answer_shape():
    status = {"id": 3501756485200075, "text": "短微博", "created_at":
              "Tue Oct 16 14:01:08 +0800 2012", "user": {"id": 1642909335, "screen_name": "X"}}
    article = article_from_status(status)
    assert article["url"] == "https://weibo.com/1642909335/z0JH2lOMb"
    assert article["extra"]["pics"] == [] and article["extra"]["page_info"] is None


# --- walls -------------------------------------------------------------------------------


@pytest.mark.parametrize("status, location, body, ctype, reason, kind", [
    (302, "https://passport.weibo.com/visitor/visitor?entry=miniblog&a=enter", b"", "text/html",
     "visitor_system", "blocked"),
    (200, None, VISITOR_PAGE.encode(), "text/html; charset=gb2312", "visitor_system", "blocked"),
    (200, None, b'{"ok":-100,"url":"https://passport.weibo.com/sso/signin"}', "application/json",
     "login_required", "blocked"),
    (200, None, b'{"ok":1}', "application/json", "no_data", "blocked"),
    (200, None, b'{"ok":1,"data":null}', "application/json", "no_data", "blocked"),
    (200, None, b"<html><title>502 Bad Gateway</title></html>", "text/html", "bad_json",
     "blocked"),
    (200, None, b'{"ok":0,"msg":"\xe8\xaf\xb7\xe6\xb1\x82\xe8\xbf\x87\xe4\xba\x8e\xe9\xa2\x91'
     b'\xe7\xb9\x81"}', "application/json", "too_frequent", "blocked"),
    (418, None, b"", "text/html", "rate_limited", "blocked"),
    (403, None, b"<h1>403 Forbidden</h1>", "text/html", "forbidden", "blocked"),
    (432, None, b"", "text/html", "ua_rejected", "blocked"),
    (302, "https://m.weibo.cn/login", b"", "text/html", "redirected", "blocked"),
    (200, None, b'{"ok":0,"errno":"20101","msg":"target weibo does not exist!"}',
     "application/json", "unavailable", "deleted"),
])  # fmt: skip
def test_walls(status, location, body, ctype, reason, kind):
    with pytest.raises(WeiboUnavailable) as caught:
        api_data(body, ctype, status, location)
    assert (caught.value.reason, caught.value.kind) == (reason, kind)
    assert isinstance(caught.value, PageUnavailable)
    # it crosses process pools intact
    again = pickle.loads(pickle.dumps(caught.value))
    assert (again.reason, again.kind, again.detail) == \
        (caught.value.reason, caught.value.kind, caught.value.detail)


def test_walled_bodies_raise_from_extract_and_are_never_articles():
    url = f"{API}/statuses/show?id={MAIN_BID}"
    for body, ctype in [(VISITOR_PAGE.encode(), "text/html"),
                        (b'{"ok":-100,"url":"x"}', "application/json"),
                        (b'{"ok":1}', "application/json")]:
        with pytest.raises(PageUnavailable) as caught:
            extract_article(body, url, ctype)
        assert caught.value.kind == "blocked"
        assert extract(body, url, ctype) is None
    # the visitor page at a post's own URL too
    with pytest.raises(PageUnavailable):
        extract_article(VISITOR_PAGE.encode(), MAIN_URL, "text/html")


# --- crawl-time policy -------------------------------------------------------------------


def test_backoff_is_exponential_with_bounded_jitter():
    crawler = get_crawler(settings_dict={"WEIBO_BACKOFF_BASE": 10, "WEIBO_BACKOFF_MAX": 50})
    session = WeiboSession(crawler)
    for attempt, low in [(1, 10), (2, 20), (3, 40), (4, 50), (9, 50)]:
        delay = session.backoff(attempt)
        assert low <= delay <= low + 5, (attempt, delay)


def test_418_pauses_weibo_then_gives_up_after_too_many_in_a_row():
    crawler = get_crawler(settings_dict={"WEIBO_BACKOFF_BASE": 1000, "WEIBO_BACKOFF_MAX": 10**5,
                                         "WEIBO_RETRY_TIMES": 2})
    crawler.stats = MemoryStatsCollector(crawler)
    session = WeiboSession(crawler)
    session.note_answer(f"{API}/statuses/show?id=a", 418)
    assert 1000 <= session.pause_left() <= 1500 and not session.rate_limited
    session.note_answer(f"{API}/statuses/show?id=b", 200)  # a success resets the count...
    session.note_answer(f"{API}/statuses/show?id=a", 418)
    session.note_answer(f"{API}/statuses/show?id=a", 418)
    assert not session.rate_limited
    session.note_answer(f"{API}/statuses/show?id=a", 418)  # ...three in a row is too many
    assert session.rate_limited
    assert crawler.stats.get_value("weibo/rate_limited") is True


def test_gate_drops_weibo_requests_once_given_up():
    crawler = get_crawler()
    crawler.stats = MemoryStatsCollector(crawler)
    session = WeiboSession(crawler)
    gate = WeiboGateMiddleware(session)
    weibo = Request(f"{API}/statuses/show?id=x", meta={"weibo": {"endpoint": "show"}})
    other = Request("https://example.com/")
    assert asyncio.run(gate.process_request(weibo)) is None
    session.rate_limited = True
    with pytest.raises(IgnoreRequest):
        asyncio.run(gate.process_request(weibo))
    assert asyncio.run(gate.process_request(other)) is None
