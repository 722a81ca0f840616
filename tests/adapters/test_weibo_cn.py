"""weibo.cn post pages (the older HTML mobile site): the post, not the menus and comments.

The pages below are written here in weibo.cn's markup (``div.c#M_<bid>`` holding
``span.ctt`` and ``span.ct``; comments in ``div.c#C_<id>``)."""

from __future__ import annotations

import pytest

from crawler.adapters import adapter_for, canonical_url
from crawler.adapters.weibo import WeiboAdapter, bid_to_mid
from crawler.extract import extract

BID = "Mp3kXv9aQ"
UID = "1642512402"
POST = ("【专家提醒：高温天气注意防暑】入伏以来，多地最高气温突破40℃。医生提醒，"
        "中暑严重时可导致热射病，户外工作者、老人和儿童应尽量避开正午外出，"
        "少量多次补充水分。#高温天气# <a href='/n/健康时报'>@健康时报</a>")
COMMENTS = ["说得对，今年夏天实在太热了。", "转发给家里的老人看看，谢谢提醒！",
            "我们这里已经连续一周四十度了，出门就像进了蒸笼。"]


def comment_page(post_html: str = POST, time: str = "2024-07-16 09:30:12&nbsp;来自微博 weibo.com",
                 before: str = "", reason: str = "") -> bytes:
    comments = "".join(
        f'<div class="c" id="C_{4900000000000000 + i}"><a href="/u/{2000000000 + i}">网友{i}</a>'
        f':<span class="ctt">{text}</span>&nbsp;<span class="cc"><a href="/spam">举报</a></span>'
        f'&nbsp;<span class="ct">07月16日 10:0{i}&nbsp;来自iPhone客户端</span></div>'
        for i, text in enumerate(COMMENTS))
    return (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html PUBLIC "-//WAPFORUM//DTD '
            f'XHTML Mobile 1.0//EN" "http://www.wapforum.org/DTD/xhtml-mobile10.dtd">'
            f'<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" '
            f'content="text/html; charset=utf-8"/><title>评论列表</title></head><body>'
            f'<div class="n" style="padding: 6px 4px;"><a href="https://weibo.cn/?tf=5_009" '
            f'class="nl">首页</a>|<a href="/msg/?tf=5_010" class="nl">消息</a>|<a '
            f'href="/find" class="nl">发现</a>|<a href="/home" class="nl">我的</a></div>'
            f'<div class="c" id="M_{BID}"><div><a href="/u/{UID}">健康时报网</a>'
            f'<img src="https://h5.sinaimg.cn/upload/2016/05/26/319/5338.gif" alt="V"/>'
            f'{before}:<span class="ctt">{post_html}</span></div>'
            f'<div>{reason}<a href="/attitude/{BID}">赞[1289]</a>&nbsp;'
            f'<a href="/repost/{BID}">转发[356]</a>'
            f'&nbsp;<a href="/fav/addFav/{BID}">收藏</a>&nbsp;<span class="ct">{time}</span></div>'
            f'</div><div class="s"></div><div class="pms">&nbsp;评论[87]&nbsp;<span class="pms">'
            f'&nbsp;<a href="/repost/{BID}">转发[356]</a>&nbsp;</span></div>{comments}'
            f'<div class="pa" id="pagelist"><form><div>下页&nbsp;1/9页</div></form></div>'
            f'<div class="pm"><a href="/">首页</a>.<a href="/topic/240489">反馈</a>'
            f'.<a href="/page/91">帮助</a></div><div class="c">设置:皮肤.图片.条数.隐私</div>'
            f'</body></html>').encode()


def test_status_urls_of_weibo_cn_name_the_post():
    for path in ("status", "comment", "repost", "attitude"):
        url = f"https://weibo.cn/{path}/{BID}?uid={UID}&rl=0"
        assert isinstance(adapter_for(url), WeiboAdapter)
        assert canonical_url(url) == f"https://m.weibo.cn/status/{BID}"
    # not on weibo.com, where /comment/inbox is a page of the site
    assert not isinstance(adapter_for("https://weibo.com/comment/inbox"), WeiboAdapter)


def test_comment_page_gives_the_post_not_the_comments():
    article = extract(comment_page(), f"https://weibo.cn/comment/{BID}?uid={UID}", "text/html")
    assert article["text"] == (
        "【专家提醒：高温天气注意防暑】入伏以来，多地最高气温突破40℃。医生提醒，中暑严重时可导致"
        "热射病，户外工作者、老人和儿童应尽量避开正午外出，少量多次补充水分。#高温天气# @健康时报")
    assert not any(comment[:8] in article["text"] for comment in COMMENTS)
    assert article["url"] == f"https://weibo.com/{UID}/{BID}"
    assert article["author"] == "健康时报网"
    assert article["published"] == "2024-07-16T09:30:12+08:00"
    assert article["title"].startswith("【专家提醒：高温天气注意防暑】")
    assert article["tags"] == ["高温天气"]
    extra = article["extra"]
    assert extra["adapter"] == "weibo" and extra["page"] == "weibo.cn"
    assert (extra["bid"], extra["mid"], extra["uid"]) == (BID, bid_to_mid(BID), UID)
    assert (extra["attitudes_count"], extra["reposts_count"]) == (1289, 356)
    assert extra["source"] == "微博 weibo.com" and extra["is_repost"] is False


def test_relative_times_are_kept_as_shown_not_guessed():
    article = extract(comment_page(time="今天 09:30&nbsp;来自iPhone客户端"),
                      f"https://weibo.cn/status/{BID}", "text/html")
    assert article["published"] is None
    assert article["extra"]["time_text"] == "今天 09:30"


def test_repost_page():
    original = ('<span class="cmt">转发了&nbsp;<a href="/u/1974576991">环球时报</a>&nbsp;的微博'
                "</span>")
    reason = ('<span class="cmt">转发理由:</span>这条提醒很及时，大家出门一定要做好防晒。'
              "&nbsp;&nbsp;")
    article = extract(comment_page(before=original, reason=reason),
                      f"https://weibo.cn/repost/{BID}", "text/html")
    assert article["text"] == "这条提醒很及时，大家出门一定要做好防晒。"
    assert article["author"] == "健康时报网"
    retweeted = article["extra"]["retweeted"]
    assert article["extra"]["is_repost"] and retweeted["author"] == "环球时报"
    assert retweeted["uid"] == "1974576991"
    assert retweeted["text"].startswith("【专家提醒：高温天气注意防暑】")


@pytest.mark.parametrize("url", ["https://archive.example.org/saved/weibo-cn.html", ""])
def test_a_saved_copy_elsewhere_is_read_the_same_way(url):
    article = extract(comment_page(), url, "text/html")
    assert article["text"].startswith("【专家提醒：高温天气注意防暑】")
    assert article["url"] == f"https://weibo.com/{UID}/{BID}"
