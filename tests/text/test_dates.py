from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.text.dates import parse_date, published_on_page

# Thursday 24 July 2025, 09:30 in Beijing
NOW = datetime(2025, 7, 24, 9, 30, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年7月23日 20:03", "2025-07-23T20:03:00+08:00"),
        ("2025年07月23日20:03:15", "2025-07-23T20:03:15+08:00"),
        ("2025年7月23日", "2025-07-23"),
        ("2025年7月23日 星期三 20:03", "2025-07-23T20:03:00+08:00"),
        ("2025年6月9日 上午9:03", "2025-06-09T09:03:00+08:00"),
        ("2025年6月10日 下午1:15", "2025-06-10T13:15:00+08:00"),
        ("2025年7月23日 20时03分", "2025-07-23T20:03:00+08:00"),
        ("2025-07-23 20:03:00", "2025-07-23T20:03:00+08:00"),
        ("2025-07-23 20:03", "2025-07-23T20:03:00+08:00"),
        ("2025-07-23", "2025-07-23"),
        ("2025/07/23", "2025-07-23"),
        ("2025/7/23 8:05", "2025-07-23T08:05:00+08:00"),
        ("2025.07.23", "2025-07-23"),
        ("２０２５－０７－２３　２０：０３", "2025-07-23T20:03:00+08:00"),
        ("2025-07-23 20:03:00\u3000来源: 雪豹财经社", "2025-07-23T20:03:00+08:00"),
        ("发布时间：2025-07-23 20:03 来源：新华社", "2025-07-23T20:03:00+08:00"),
        ("2025-07-23T12:03:00Z", "2025-07-23T12:03:00+00:00"),
        ("2025-07-23T20:03:00+08:00", "2025-07-23T20:03:00+08:00"),
        ("2025-05-13T08:30:00+02:00", "2025-05-13T08:30:00+02:00"),
        ("2025-07-23 20:03:00.000", "2025-07-23T20:03:00+08:00"),
        # the current year; last year when that day is still to come
        ("07-23 20:03", "2025-07-23T20:03:00+08:00"),
        ("7月23日 20:03", "2025-07-23T20:03:00+08:00"),
        ("7月23日", "2025-07-23"),
        ("12-31 23:59", "2024-12-31T23:59:00+08:00"),
        ("25-5-8 22:17", "2025-05-08T22:17:00+08:00"),
        # relative
        ("昨天 12:30", "2025-07-23T12:30:00+08:00"),
        ("昨天12:30", "2025-07-23T12:30:00+08:00"),
        ("前天", "2025-07-22"),
        ("前天 08:00", "2025-07-22T08:00:00+08:00"),
        ("今天", "2025-07-24"),
        ("今天 09:15", "2025-07-24T09:15:00+08:00"),
        ("刚刚", "2025-07-24T09:30:00+08:00"),
        ("剛剛", "2025-07-24T09:30:00+08:00"),
        ("5分钟前", "2025-07-24T09:25:00+08:00"),
        ("15分鐘前", "2025-07-24T09:15:00+08:00"),
        ("3小时前", "2025-07-24T06:30:00+08:00"),
        ("半小时前", "2025-07-24T09:00:00+08:00"),
        ("10小時前", "2025-07-23T23:30:00+08:00"),
        ("3天前", "2025-07-21"),
        ("2 hours ago", "2025-07-24T07:30:00+08:00"),
        ("20:03", "2025-07-24T20:03:00+08:00"),
        # Taiwan
        ("民國114年7月23日", "2025-07-23"),
        ("114年7月23日 下午3:00", "2025-07-23T15:00:00+08:00"),
        ("114/07/23", "2025-07-23"),
        # English, French, RFC 2822, Weibo
        ("July 23, 2025", "2025-07-23"),
        ("Jul 23, 2025 8:03 PM", "2025-07-23T20:03:00+08:00"),
        ("23 July 2025", "2025-07-23"),
        ("13 mai 2025 à 8h30", "2025-05-13T08:30:00+08:00"),
        ("Wed, 23 Jul 2025 12:03:00 GMT", "2025-07-23T12:03:00+00:00"),
        ("Wed Oct 19 23:44:36 +0800 2022", "2022-10-19T23:44:36+08:00"),
        # unix timestamps, seconds and milliseconds
        ("1753272180", "2025-07-23T20:03:00+08:00"),
        ("1751523960000", "2025-07-03T14:26:00+08:00"),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "没有日期", "3个月前", "ID 12345", "1970-01-01", "2025-13-40", "0", "07-23"],
)
def test_not_a_date(text):
    assert parse_date(text, now=NOW) is None


def test_site_timezone():
    assert parse_date("2025-07-23 20:03", tz="Asia/Taipei") == "2025-07-23T20:03:00+08:00"
    assert parse_date("2025-01-23 20:03", tz="Europe/Paris") == "2025-01-23T20:03:00+01:00"
    assert parse_date("1753272180", tz="UTC") == "2025-07-23T12:03:00+00:00"


def test_naive_and_foreign_now():
    assert parse_date("昨天 12:30", now=datetime(2025, 7, 24, 9, 30)) == "2025-07-23T12:30:00+08:00"
    # 23:00 UTC on the 23rd is already the 24th in Beijing
    now = datetime(2025, 7, 23, 23, 0, tzinfo=UTC)
    assert parse_date("昨天", now=now) == "2025-07-23"


def test_default_now_is_the_current_time():
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert parse_date("今天") == today


# --- dates on pages --------------------------------------------------------------------------


def page(head: str = "", body: str = "") -> object:
    from trafilatura.utils import load_html

    return load_html(f"<html><head>{head}</head><body>{body}</body></html>")


def test_published_from_meta_tags_first():
    tree = page(
        '<meta property="article:published_time" content="2025-07-23T20:03:00+08:00">',
        "<h1>标题</h1><p>发布时间：2024-01-01 08:00</p>",
    )
    assert published_on_page(tree, fallback="2020-01-01") == "2025-07-23T20:03:00+08:00"
    gov = page('<meta name="firstpublishedtime" content="2025-07-22-18:30:05">')
    assert published_on_page(gov) == "2025-07-22"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<div>发布时间：2025-07-23 10:00 来源：某某日报</div>", "2025-07-23T10:00:00+08:00"),
        ("<td>發布單位：教育局　發布日期：103-10-21　點閱次數：1532</td>", "2014-10-21"),
        # a forum: the registration date comes first, the labelled post date wins
        ("<dl><dt>注册时间</dt><dd>2009-3-12</dd></dl><div>发表于 2013-8-20 22:15</div>",
         "2013-08-20T22:15:00+08:00"),
    ],
)  # fmt: skip
def test_published_from_a_label(body, expected):
    assert published_on_page(page(body=body), fallback="2009-03-12") == expected


def test_a_place_after_a_label_is_no_date():
    tree = page(body="<h1>标题</h1><span>发布于北京</span><p>新华社广州7月18日电 正文。</p>")
    assert published_on_page(tree, fallback="2025-07-18") == "2025-07-18"


def test_published_after_the_title_last():
    tree = page(body="<h1>标题</h1><div class='info'>2019年06月15日 11:42</div><p>正文</p>")
    assert published_on_page(tree) == "2019-06-15T11:42:00+08:00"
    assert published_on_page(page(body="<p>没有日期</p>")) is None
