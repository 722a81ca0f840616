"""Sohu (搜狐號) article pages: the body of article#mp-editor, not the promotion around it.

The page is written here in the layout of www.sohu.com/a/ pages."""

from __future__ import annotations

from crawler.adapters import adapter_for, canonical_url
from crawler.adapters.sohu import SohuAdapter
from crawler.extract import extract

URL = "https://www.sohu.com/a/780060546_458722?spm=smpc.content.news.1.1716521103420"
PARAGRAPHS = [
    "北京时间5月20日，NBA季后赛东部半决赛抢七大战，步行者130比109战胜尼克斯，晋级东部决赛。",
    "尼克斯官方宣布，球队核心布伦森在第三节遭遇左手骨折，本场比赛不会回归。",
    "布伦森全场出战29分钟，17投6中得到17分9次助攻，此前他在季后赛场均贡献超过30分。",
]
PROMOTION = ["搜狐号作者招募计划火热进行中", "24小时热文：暴雨预警持续发布", "点击领取会员优惠"]


def sohu_page() -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    recommended = "".join(
        f'<li><a href="https://www.sohu.com/a/78006{i}000_1{i}"><h4>{t}</h4></a>'
        f"<p>{t}，更多精彩内容请点击查看详情。</p></li>" for i, t in enumerate(PROMOTION))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>悲壮！布伦森遭遇左手骨折 第三节受伤提前离场_尼克斯_季后赛_步行者</title>
<meta property="og:url" content="www.sohu.com/a/780060546_458722">
<meta property="og:release_date" content="2024-05-20 06:48">
<meta name="mediaid" content="NBA广角"><meta name="keywords" content="尼克斯,季后赛,步行者">
</head><body><header class="groupnav"><a href="https://www.sohu.com/">搜狐首页</a>
<a href="https://sports.sohu.com/">体育</a></header>
<div class="article-page"><div class="text-title"><h1>悲壮！布伦森遭遇左手骨折 第三节受伤提前离场
<span class="article-tag"></span></h1><div class="article-info">
<span class="time" id="news-time" data-val="1716158886000">2024-05-20 06:48</span></div></div>
<article class="article" id="mp-editor">
<p data-role="original-title" style="display:none">原标题：布伦森骨折</p>{body}
<p>（编辑：小何）<a href="https://www.sohu.com/?strategyid=00001" id="backsohucom">
<span class="backword">返回搜狐，查看更多</span></a></p>
<p data-role="editor-name">责任编辑：<span></span></p></article>
<div class="statement">平台声明：该文观点仅代表作者本人，搜狐号系信息发布平台，
搜狐仅提供信息存储空间服务。</div>
<div class="god-article-bottom"><div class="god-title">搜狐推广</div><ul>{recommended}</ul></div>
<div class="more-article"><h2>推荐阅读</h2><ul>{recommended}</ul></div></div>
<div class="sidebar"><div class="user-info"><h4><a href="https://mp.sohu.com/profile?xpt=x">NBA广角</a>
</h4></div></div></body></html>""".encode()


def test_sohu_urls_are_keyed_without_tracking():
    assert isinstance(adapter_for(URL), SohuAdapter)
    assert canonical_url(URL) == "https://www.sohu.com/a/780060546_458722"
    assert canonical_url("https://m.sohu.com/a/780060546_458722") == \
        "https://www.sohu.com/a/780060546_458722"
    assert canonical_url("https://www.sohu.com/c/8/1437") == "https://www.sohu.com/c/8/1437"


def test_sohu_article_is_the_body_only():
    article = extract(sohu_page(), URL, "text/html; charset=utf-8")
    assert article["text"].splitlines() == PARAGRAPHS
    assert article["title"] == "悲壮！布伦森遭遇左手骨折 第三节受伤提前离场"
    assert article["author"] == "NBA广角"
    assert article["published"] == "2024-05-20T06:48:06+08:00"
    assert article["url"] == "https://www.sohu.com/a/780060546_458722"
    assert article["extra"]["adapter"] == "sohu"


def test_saved_copy_of_a_sohu_page_is_read_the_same_way():
    article = extract(sohu_page(), "https://archive.example.org/sohu.html", "text/html")
    assert article["text"].splitlines() == PARAGRAPHS
    assert article["extra"]["adapter"] == "sohu"
    assert "url" not in article  # a copy stays keyed by its own URL


def test_other_sohu_pages_take_the_generic_path():
    page = ("<html><head><meta charset='utf-8'><title>新闻频道_搜狐</title></head><body>"
            "<div class='news'><p>" + "。".join(PARAGRAPHS) + "</p></div></body></html>").encode()
    article = extract(page, "http://news.sohu.com/20150302/n409412345.shtml", "text/html")
    assert article is not None and "adapter" not in (article.get("extra") or {})
