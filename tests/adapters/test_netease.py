from __future__ import annotations

import pytest

from crawler.adapters import adapter_for, canonical_url
from crawler.adapters.netease import NetEaseAdapter, unwrap_image_url
from crawler.demo.site.pages import NETEASE_PATH, build_site
from crawler.extract import extract

WWW_URL = "https://www.163.com/dy/article/K4EJ8Q3L0519DTSV.html"


@pytest.fixture(scope="module")
def page():
    return build_site()[NETEASE_PATH]


@pytest.fixture(scope="module")
def article(page):
    return extract(page.body, WWW_URL, page.content_type)


# --- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (WWW_URL, WWW_URL),
        ("http://www.163.com/dy/article/K4EJ8Q3L0519DTSV.html?spss=adap_pc#post_comment_area",
         WWW_URL),
        ("https://3g.163.com/dy/article/K4EJ8Q3L0519DTSV.html", WWW_URL),
        ("https://m.163.com/dy/article/K4EJ8Q3L0519DTSV.html?referFrom=", WWW_URL),
        ("https://3g.163.com/news/article/K5A1B2C3D0001234.html",
         "https://www.163.com/news/article/K5A1B2C3D0001234.html"),
        ("https://c.m.163.com/news/a/K4EJ8Q3L0519DTSV.html?spss=newsapp", WWW_URL),
        # older pages and anything that is not an article keep their URL
        ("http://news.163.com/15/0312/10/AKJ2V9RP00014JB5.html",
         "http://news.163.com/15/0312/10/AKJ2V9RP00014JB5.html"),
        ("https://www.163.com/", "https://www.163.com/"),
        ("https://www.163.com/dy/media/T1593394069599.html",
         "https://www.163.com/dy/media/T1593394069599.html"),
    ],
)  # fmt: skip
def test_canonical_url(url, canonical):
    assert NetEaseAdapter().canonical_url(url) == canonical
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("url", "matches"),
    [
        (WWW_URL, True),
        ("https://3g.163.com/dy/article/K4EJ8Q3L0519DTSV.html", True),
        ("https://c.m.163.com/news/a/K4EJ8Q3L0519DTSV.html", True),
        ("http://news.163.com/15/0312/10/AKJ2V9RP00014JB5.html", True),
        ("https://money.163.com/25/0723/20/K4EJ8Q3L002580PP.html", True),
        ("https://163.com/", True),
        ("https://not163.com/dy/article/K4EJ8Q3L0519DTSV.html", False),
        ("https://www.163.com.evil.example/dy/article/K4EJ8Q3L0519DTSV.html", False),
        ("http://127.0.0.1:8000/dy/article/K4EJ8Q3L0519DTSV.html", False),
    ],
)
def test_matches_netease_hosts(url, matches):
    adapter = adapter_for(url)
    assert (adapter is not None and adapter.name == "netease") is matches


@pytest.mark.parametrize(
    ("src", "original"),
    [
        ("https://nimg.ws.126.net/?url=http%3A%2F%2Fdingyue.ws.126.net%2F2025%2F0723%2Fa.jpeg"
         "&thumbnail=660x2147483647&quality=80&type=jpg", "http://dingyue.ws.126.net/2025/0723/a.jpeg"),
        ("//nimg.ws.126.net/?url=https://cms-bucket.ws.126.net/b.png&type=webp",
         "https://cms-bucket.ws.126.net/b.png"),
        ("https://cms-bucket.ws.126.net/c.png", "https://cms-bucket.ws.126.net/c.png"),
        ("https://nimg.ws.126.net/?thumbnail=1x1", "https://nimg.ws.126.net/?thumbnail=1x1"),
    ],
)  # fmt: skip
def test_unwrap_image_url(src, original):
    assert unwrap_image_url(src, "https://www.163.com/dy/article/X.html") == original


# --- the fixture's NetEase page, at its real URL ----------------------------------------------


def test_body_only(article, page):
    expected = page.expected
    assert article["title"] == expected.title
    text = article["text"]
    assert [s for s in expected.body if s not in text] == []
    assert [s for s in expected.boilerplate if s in text] == []
    # the statement under the body, its English notice and the cover credit stay out
    for noise in ("特別聲明", "Notice:", "NetEase Hao", "封面來源", "熱點推薦", "相關推薦"):
        assert noise not in text
    assert text.startswith("最新估值2000億")
    assert text.endswith("這場大戰還遠遠沒有迎來拐點。")


def test_account_date_and_site_fields(article, page):
    assert article["author"] == page.expected.author == "雪豹財經社"
    assert article["published"] == "2025-07-23T20:03:00+08:00"
    assert article["sitename"] == "網易"
    assert article["language"] == "zh"
    assert article["encoding"] == "utf-8"
    assert article["url"] == WWW_URL
    extra = article["extra"]
    assert extra["adapter"] == "netease"
    assert extra["account"] == "雪豹財經社"
    assert extra["source"] == "雪豹財經社"
    assert extra["article_id"] == "K4EJ8Q3L0519DTSV"
    assert extra["published_time"] == "2025-07-23T20:03:00+08:00"
    images = extra["images"]
    assert len(images) == 7
    assert all(i.startswith("http://dingyue.ws.126.net/2025/0723/") for i in images)


def test_same_article_from_every_host(page, article):
    for url in (
        "https://3g.163.com/dy/article/K4EJ8Q3L0519DTSV.html",
        "https://c.m.163.com/news/a/K4EJ8Q3L0519DTSV.html",
    ):
        other = extract(page.body, url, page.content_type)
        assert other["text"] == article["text"]
        assert other["url"] == WWW_URL


def test_page_claimed_by_its_markup_at_an_unknown_host(page, article):
    local = "http://127.0.0.1:8000" + NETEASE_PATH
    assert adapter_for(local) is None
    result = extract(page.body, local, page.content_type)
    assert result["extra"]["adapter"] == "netease"
    assert result["text"] == article["text"]
    # a copy keeps its own key: no canonical URL taken from the page
    assert "url" not in result


def test_markup_alone_is_not_enough():
    # A blog theme with the same class names, and nothing of NetEase about it.
    html = (
        "<html><head><title>My trip</title></head><body><h1 class='post_title'>My trip</h1>"
        "<div class='post_body'><p>" + "We walked along the river for hours. " * 5 + "</p>"
        "</div><ul><li><a href='/other'>Another post about another walk</a></li></ul>"
        "</body></html>"
    )
    result = extract(html.encode(), "https://blog.example/my-trip", "text/html")
    assert result is not None and "adapter" not in result.get("extra", {})


# --- other NetEase layouts -------------------------------------------------------------------

NEWS_PAGE = """<!DOCTYPE html>
<html id="ne_wrap" data-publishtime="2025-07-22 09:41:27"><head><meta charset="utf-8">
<title>今年夏粮总产量2994.8亿斤_网易新闻</title>
<meta name="keywords" content="夏粮,小麦">
<link rel="canonical" href="https://www.163.com/news/article/K5A1B2C3D0001234.html">
</head><body>
<h1 class="post_title">今年夏粮总产量2994.8亿斤</h1>
<div class="post_info">2025-07-22 09:41:27　来源: <a href="https://www.chinanews.com.cn/">中国新闻网</a>
<a class="post_report" href="#">举报</a></div>
<div class="post_content"><div class="post_body">
<p class="otitle">（原标题：全国夏粮产量再创新高）</p>
<p>中新网7月22日电 国家统计局网站22日发布关于2025年夏粮产量数据的公告，全国夏粮总产量比上年增长0.5%。</p>
<p class="f_center"><img src="https://nimg.ws.126.net/?url=http%3A%2F%2Fcms-bucket.ws.126.net%2F2025%2F0722%2Fa.jpg&amp;type=jpg"><br>河南省滑县农民驾驶收割机抢收小麦。</p>
<p>各地认真落实藏粮于地、藏粮于技战略，持续推进高标准农田建设，良种良法良机良田协同发力。</p>
</div>
<div class="post_author">本文来源：中国新闻网 责任编辑：王晓_NF5619</div></div>
<div class="post_recommends"><ul><li class="post_recommend"><a href="https://www.163.com/news/article/K5A1B2C3D0001299.html">农业农村部：秋粮面积稳中有增</a></li></ul></div>
</body></html>
"""  # noqa: E501


def test_news_layout_without_account():
    url = "https://www.163.com/news/article/K5A1B2C3D0001234.html"
    result = extract(NEWS_PAGE.encode(), url, "text/html; charset=utf-8")
    assert result["title"] == "今年夏粮总产量2994.8亿斤"
    assert result["text"] == (
        "中新网7月22日电 国家统计局网站22日发布关于2025年夏粮产量数据的公告，"
        "全国夏粮总产量比上年增长0.5%。\n"
        "河南省滑县农民驾驶收割机抢收小麦。\n"
        "各地认真落实藏粮于地、藏粮于技战略，持续推进高标准农田建设，良种良法良机良田协同发力。"
    )
    assert result["author"] is None
    assert result["published"] == "2025-07-22T09:41:27+08:00"
    assert result["tags"] == ["夏粮", "小麦"]
    extra = result["extra"]
    assert extra["source"] == "中国新闻网"
    assert "account" not in extra
    assert extra["published_time"] == "2025-07-22T09:41:27+08:00"
    assert extra["images"] == ["http://cms-bucket.ws.126.net/2025/0722/a.jpg"]


def test_canonical_link_names_the_section_of_a_cm_url():
    result = extract(
        NEWS_PAGE.encode(), "https://c.m.163.com/news/a/K5A1B2C3D0001234.html", "text/html"
    )
    assert result["url"] == "https://www.163.com/news/article/K5A1B2C3D0001234.html"


OLD_PAGE = """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>北京地铁7号线东延段今日开通_网易新闻中心</title></head><body>
<div class="ep-crumb"><a href="http://www.163.com/">网易首页</a> &gt; 正文</div>
<div id="epContentLeft">
<h1 id="h1title">北京地铁7号线东延段今日开通</h1>
<div class="ep-time-soure cDGray">2015-03-12 10:30:15　来源: <a id="ne_article_source" href="http://www.xinhuanet.com/">新华网</a></div>
<div id="endText">
<p class="otitle">（原标题：7号线东延12日开通）</p>
<p>　　新华网北京3月12日电 北京地铁7号线东延段12日上午开通试运营，全长16.6公里，共设车站9座。</p>
<div class="gg200x300"><iframe src="http://g.163.com/r?site=netease"></iframe>广告</div>
<p>　　东延段开通后，通州区南部的居民乘坐地铁到达国贸地区的时间将缩短约30分钟。</p>
<div class="ep-source cDGray"><span class="left">本文来源：新华网</span><span class="ep-editor">责任编辑：王晓_NN1234</span></div>
</div></div>
<div class="related-news"><h3>相关新闻</h3><ul><li><a href="http://news.163.com/15/0310/08/AKE1T2CK00014AED.html">北京地铁票价调整满百天</a></li></ul></div>
</body></html>
"""  # noqa: E501


def test_old_layout_in_gbk():
    url = "http://news.163.com/15/0312/10/AKJ2V9RP00014JB5.html"
    result = extract(OLD_PAGE.encode("gbk"), url, "text/html")
    assert result["encoding"] == "gb18030"
    assert result["title"] == "北京地铁7号线东延段今日开通"
    assert result["text"] == (
        "新华网北京3月12日电 北京地铁7号线东延段12日上午开通试运营，全长16.6公里，共设车站9座。\n"
        "东延段开通后，通州区南部的居民乘坐地铁到达国贸地区的时间将缩短约30分钟。"
    )
    assert result["published"] == "2015-03-12T10:30:15+08:00"
    assert result["extra"]["published_time"] == "2015-03-12T10:30:15+08:00"
    assert result["extra"]["source"] == "新华网"
    assert result["extra"]["article_id"] == "AKJ2V9RP00014JB5"
    assert "url" not in result  # the page names no canonical URL; the old URL is the key


def test_other_163_pages_fall_back_to_the_generic_path():
    html = (
        "<html><head><title>网易财经</title></head><body><div class='index'><p>"
        + "今日财经要闻汇总，市场整体平稳运行，成交量较上周有所放大。" * 3
        + "</p></div></body></html>"
    )
    result = extract(html.encode(), "https://money.163.com/", "text/html")
    assert result is not None
    assert "adapter" not in result.get("extra", {})


@pytest.mark.parametrize("bad", ["http://[broken", "http://[::1", "https://例子：测试.html/x"])
def test_a_link_python_refuses_costs_the_page_nothing(page, article, bad):
    # hrefs, image sources and a canonical link that urllib refuses (ValueError) are skipped
    body = page.body.decode("utf-8")
    body = body.replace("<img ", f'<a href="{bad}">x</a><img data-src="{bad}" ', 3)
    body = body.replace("</head>", f'<link rel="canonical" href="{bad}"></head>', 1)
    again = extract(body.encode("utf-8"), WWW_URL, page.content_type)
    assert again is not None and again["extra"]["adapter"] == "netease"
    assert again["text"] == article["text"]
