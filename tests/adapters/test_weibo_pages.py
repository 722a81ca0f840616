# ruff: noqa: E501  (markup of the test pages)
"""Weibo post pages that carry the post in a script (crawler.adapters.weibo_pages): m.weibo.cn's
``$render_data`` and older weibo.com's ``FM.view`` pagelets, and weibo.com's ajax answers.

The pages are built in the shapes the sites serve (the script, its JSON, the markup in the
pagelet's ``html``) around the fake API's posts, themselves built from the bundled seed text.
"""

from __future__ import annotations

import json
import re

import pytest

from crawler.adapters.weibo import api_data, article_from_status
from crawler.adapters.weibo_pages import page_post
from crawler.demo.site.weibo_posts import (
    MAIN_BID,
    MAIN_MID,
    MAIN_UID,
    REPOST_MAIN_BID,
    long_text_html,
    statuses,
)
from crawler.extract import extract

MAIN_URL = f"https://weibo.com/{MAIN_UID}/{MAIN_BID}"
_PARAGRAPH_RE = re.compile(r"(?:<br\s*/?>)+")


@pytest.fixture(scope="module")
def posts():
    return statuses()


def _plain(html: str) -> list[str]:
    lines = (re.sub(r"<[^>]+>", "", part).strip() for part in _PARAGRAPH_RE.split(html))
    return [line for line in lines if line]


def mobile_page(status: dict) -> bytes:
    """m.weibo.cn/detail/<mid> as served: a shell, the post in ``$render_data``."""
    render_data = json.dumps(
        [{"status": status, "call": 1, "hotScheme": "https://m.weibo.cn/p/index?containerid=106003"}],
        ensure_ascii=False, indent=4)
    return f"""<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, minimum-scale=1, user-scalable=no">
    <title>微博</title>
    <link href="https://h5.sinaimg.cn/marvel/v1.4.5/css/card/cards.css" rel="stylesheet">
</head>
<body>
<div id="app" class="m-container-max"><div class="m-box"></div></div>
<script>
    var config = {{
        env: 'prod',
        version: '2.12.6',
        login: [][0],
        st: '',
        uid: '',
        pageConfig: [null][0] || {{}},
        preferQuickapp: '0',
        wm: ''
    }};
    var $render_data = {render_data}[0] || {{}};
    var __wb_performance_data = {{v: "v8", m: "mainShell", pwa: 1, sw: 0}};
</script>
<script src="https://h5.sinaimg.cn/m/weibo-lite/js/manifest.3f3aa37b.js"></script>
</body>
</html>
""".encode()


def _pagelet(ns: str, domid: str, html: str) -> str:
    view = json.dumps({"ns": ns, "domid": domid, "css": [], "js": [f"home/js/pl/{ns}.js"],
                       "html": html}, ensure_ascii=False).replace("/", "\\/")
    return f"<script>FM.view({view})</script>\n"


def desktop_page(status: dict, full_html: str | None = None) -> bytes:
    """weibo.com/<uid>/<bid> before 2020: a shell filled by FM.view pagelets."""
    user = status["user"]
    text = status["text"]
    full = (f'<div class="WB_text W_f14" node-type="feed_list_content_full" '
            f'nick-name="{user["screen_name"]}" style="display:none">\n{full_html}</div>\n'
            if full_html else "")
    forward = ""
    original = status.get("retweeted_status")
    if original:
        ouser = original["user"]
        forward = f"""<div class="WB_feed_expand"><div class="WB_expand S_bg1" node-type="feed_list_forwardContent">
<div class="WB_info"><a suda-uatrack="key=feed_headnick" class="W_fb S_txt1" nick-name="{ouser['screen_name']}" href="/{ouser['id']}" title="{ouser['screen_name']}" usercard="id={ouser['id']}&amp;refer_flag=1005055013_">@{ouser['screen_name']}</a></div>
<div class="WB_text" node-type="feed_list_reason">{original['text']}</div>
<div class="WB_func clearfix"><div class="WB_from S_txt2"><a target="_blank" href="/{ouser['id']}/{original['bid']}" title="2025-05-09 10:58" date="1746759514000" class="S_txt2" node-type="feed_list_item_date">5月9日 10:58</a></div></div>
</div></div>"""
    detail = f"""<div class="WB_feed WB_feed_v3 WB_feed_v4" pagenum="" node-type="feed_list">
<div tbinfo="ouid={user['id']}" class="WB_cardwrap WB_feed_type S_bg2 WB_feed_like" mid="{status['mid']}" action-type="feed_list_item">
<div class="WB_feed_detail clearfix" node-type="feed_content">
<div class="WB_face W_fl"><div class="face"><a target="_blank" class="W_face_radius" href="/{user['id']}" title="{user['screen_name']}"><img usercard="id={user['id']}" title="{user['screen_name']}" alt="" width="50" height="50" src="//tva1.sinaimg.cn/crop.0.0.180.180.50/avatar.jpg" class="W_face_radius"></a></div></div>
<div class="WB_detail">
<div class="WB_info"><a suda-uatrack="key=feed_headnick" target="_blank" class="W_f14 W_fb S_txt1" nick-name="{user['screen_name']}" title="{user['screen_name']}" href="/{user['id']}?refer_flag=1005055013_" usercard="id={user['id']}&amp;refer_flag=1005055013_">{user['screen_name']}</a></div>
<div class="WB_from S_txt2"><a target="_blank" href="/{user['id']}/{status['bid']}?from=page_1005056105753431_profile&amp;wvr=6&amp;mod=weibotime" title="2025-05-09 10:58" date="1746759514000" class="S_txt2" node-type="feed_list_item_date">5月9日 10:58</a> 来自 <a class="S_txt2" rel="nofollow">微博 weibo.com</a></div>
<div class="WB_text W_f14" node-type="feed_list_content" nick-name="{user['screen_name']}">
{text}</div>
{full}{forward}
</div></div>
<div class="WB_feed_handle"><div class="WB_handle"><ul class="WB_row_line WB_row_r4 clearfix S_line2">
<li><a class="S_txt2" action-type="fl_favorite"><span class="pos"><span class="line S_line1"><span><em class="W_ficon ficon_favorite S_ficon">û</em><em>收藏</em></span></span></span></a></li>
<li><a class="S_txt2" action-type="fl_forward"><span class="pos"><span class="line S_line1"><span><em class="W_ficon ficon_forward S_ficon"></em><em>23</em></span></span></span></a></li>
<li><a class="S_txt2" action-type="fl_comment"><span class="pos"><span class="line S_line1"><span><em class="W_ficon ficon_repeat S_ficon"></em><em>17</em></span></span></span></a></li>
<li><a class="S_txt2" action-type="fl_like"><span class="pos"><span class="line S_line1"><span><em class="W_ficon ficon_praised S_txt2">ñ</em><em>186</em></span></span></span></a></li>
</ul></div></div>
</div></div>"""
    nav = '<div class="WB_left_nav"><a href="/">首页</a><a href="/hot">热门微博</a><a href="/video">视频</a></div>'
    profile = f'<div class="PCD_person_info"><h1 class="username">{user["screen_name"]}</h1><p>关注 391 粉丝 97.8万 微博 41237</p></div>'
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{user['screen_name']}的微博_微博</title>
<script type="text/javascript">var $CONFIG = {{}}; $CONFIG['oid']='{user['id']}'; $CONFIG['page_id']='1005056105753431';</script>
</head>
<body class="B_page S_page">
<div class="WB_miniblog"><div class="WB_frame"><div id="plc_frame"></div></div></div>
<script>FM.view({{"ns":"","domid":"plc_frame","css":[],"js":[],"html":"<div id=\\"Pl_Core_T8CustomTriColumn__3\\"><\\/div><div id=\\"Pl_Official_WeiboDetail__73\\"><\\/div>"}})</script>
{_pagelet("pl.leftNav.index", "plc_leftnav", nav)}{_pagelet("pl.header.head.index", "Pl_Official_Headerv6__1", profile)}{_pagelet("pl.content.weiboDetail.index", "Pl_Official_WeiboDetail__73", detail)}
</body></html>
""".encode()


def test_mobile_page_gives_the_whole_long_post(posts):
    status = dict(posts[MAIN_BID], text=long_text_html())  # the page shows the whole text
    article = extract(mobile_page(status), f"https://m.weibo.cn/detail/{MAIN_MID}", "text/html")
    assert article is not None
    assert article["extra"]["adapter"] == "weibo"
    assert article["url"] == MAIN_URL
    assert article["text"].splitlines() == _plain(long_text_html())
    assert article["author"] == "新智元"
    assert article["published"] == "2025-05-09T10:58:34+08:00"
    assert article["extra"]["is_long_text"] and not article["extra"]["text_truncated"]
    assert article["extra"]["pics"] == [p["large"]["url"] for p in posts[MAIN_BID]["pics"]]


def test_mobile_page_with_the_opening_only_says_it_is_truncated(posts):
    article = extract(mobile_page(posts[MAIN_BID]), f"https://m.weibo.cn/status/{MAIN_BID}")
    assert article["extra"]["text_truncated"]
    assert "全文" not in article["text"]
    long_text = dict(posts[MAIN_BID], longText={"longTextContent": long_text_html()})
    article = extract(mobile_page(long_text), f"https://m.weibo.cn/status/{MAIN_BID}")
    assert article["text"].splitlines() == _plain(long_text_html())
    assert not article["extra"]["text_truncated"]


def test_saved_mobile_page_on_any_host_is_the_post(posts):
    status = dict(posts[MAIN_BID], text=long_text_html())
    article = extract(mobile_page(status), "file:///home/me/saved/weibo.html")
    assert article is not None and article["url"] == MAIN_URL
    assert article["text"].splitlines() == _plain(long_text_html())


def test_desktop_pagelet_page_gives_the_post_not_the_chrome(posts):
    status = posts[MAIN_BID]
    opening = status["text"].replace(
        f'...<a href="/status/{MAIN_MID}">全文</a>',
        '...<a target="_blank" href="/6105753431/PqZVYv0xc" class="WB_text_opt" '
        f'action-type="fl_unfold" action-data="mid={MAIN_MID}">展开全文<i class="W_ficon">c</i></a>')
    page = desktop_page(dict(status, text=opening), full_html=long_text_html())
    article = extract(page, MAIN_URL, "text/html; charset=utf-8")
    assert article is not None and article["extra"]["adapter"] == "weibo"
    assert article["url"] == MAIN_URL
    assert article["text"].splitlines() == _plain(long_text_html())
    assert article["author"] == "新智元"
    assert article["published"] == "2025-05-09T10:58:34+08:00"
    assert not article["extra"]["text_truncated"]
    for chrome in ("热门微博", "收藏", "粉丝", "展开全文"):
        assert chrome not in article["text"]
    # without the full text the opening is kept and said to be truncated
    article = extract(desktop_page(dict(status, text=opening)), MAIN_URL)
    assert article["extra"]["text_truncated"]
    assert article["text"].splitlines()[0] == _plain(opening)[0]
    assert "展开全文" not in article["text"]


def test_desktop_repost_keeps_the_original(posts):
    repost = posts[REPOST_MAIN_BID]
    original = dict(posts[MAIN_BID], text=long_text_html())
    page = desktop_page(dict(repost, retweeted_status=original))
    article = extract(page, f"https://weibo.com/{repost['user']['id']}/{REPOST_MAIN_BID}")
    assert article["extra"]["is_repost"]
    retweeted = article["extra"]["retweeted"]
    assert retweeted["author"] == "新智元"
    assert retweeted["url"] == MAIN_URL
    assert retweeted["text"].splitlines() == _plain(long_text_html())
    assert retweeted["text"] not in article["text"]


def test_pages_without_a_post_are_left_to_the_generic_path(posts):
    assert page_post("<html><script>var $render_data = [{}][0] || {};</script></html>") is None
    assert page_post("<script>var $render_data = [{\"status\": </script>") is None
    nav_only = '<script>FM.view({"ns":"pl.leftNav.index","html":"<a>首页<\\/a>"})</script>'
    assert page_post(nav_only) is None
    assert page_post(desktop_page(posts[MAIN_BID]).decode().replace(
        "feed_list_content", "something_else")) is None


def test_weibo_com_ajax_answer_is_the_status_itself(posts):
    # weibo.com/ajax/statuses/show answers with the status object, "ok" among its fields
    status = dict(posts[MAIN_BID], ok=1, mblogid=MAIN_BID, idstr=MAIN_MID)
    del status["bid"]
    body = json.dumps(status, ensure_ascii=False).encode()
    assert api_data(body)["idstr"] == MAIN_MID
    article = extract(body, f"https://weibo.com/ajax/statuses/show?id={MAIN_BID}",
                      "application/json")
    assert article is not None and article["url"] == MAIN_URL
    assert article["extra"]["text_truncated"]
    assert article == {**article_from_status(api_data(body)), "extra": article["extra"]}
