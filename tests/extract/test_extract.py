from __future__ import annotations

import json
import logging
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

from crawler.extract import extract, extract_html, is_html
from crawler.text.language import detect_language, normalize_language

# --- sample pages ---------------------------------------------------------------------------
# Shaped like the pages the crawler meets: a NetEase-style news page whose <title> was hijacked
# by spam, with navigation, breadcrumbs, share bar, recommendations, a hot list and a footer
# padded with spam; a Taiwanese government page in Big5; a French news page with a cookie
# banner; a Chinese blog post with reader comments.

URL_ZH = "https://www.163.com/dy/article/J7QK5PLM0519QIKK.html"
TITLE_ZH = "前两月规模以上工业增加值同比增长6.2%"
BODY_ZH = [
    "本报北京3月12日电（记者王海涛）国家统计局今天发布数据显示，今年前两个月全国规模以上工业"
    "增加值同比增长百分之六点二，增速比去年全年加快零点四个百分点。",
    "分行业看，四十一个大类行业中有三十五个行业增加值保持增长，其中电子设备制造业和汽车制造业"
    "增长较快，分别增长百分之十三点八和百分之九点一。",
    "国家统计局新闻发言人表示，从先行指标看，制造业采购经理指数连续两个月位于扩张区间，市场预期"
    "有所改善，企业生产经营活动总体回升。",
    "专家认为，随着一系列稳增长政策持续发力，消费需求逐步恢复，工业生产有望继续保持平稳增长态势，"
    "但外部环境仍然复杂严峻，需要密切关注。",
    "数据还显示，前两个月社会消费品零售总额同比增长百分之五点五，其中餐饮收入增长百分之十二点一，"
    "网上零售额增长百分之十四点三。",
]
RECOMMENDED_ZH = [
    "央行宣布下调金融机构存款准备金率零点五个百分点",
    "多地出台新政支持首套住房购房需求",
    "春季招聘会现场火爆 高校毕业生就业形势总体稳定",
    "气象台发布寒潮蓝色预警 北方地区将有大风降温",
]
HOT_ZH = [
    ("财经要闻", "律师解析遗产案：遗嘱是最大变数"),
    ("体育要闻", "英格兰最红球星也是加勒比岛国骄傲"),
    ("科技要闻", "AI眼镜只有5岁智商？业内人士这样说"),
]
SPAM_TITLE = "最新免费在线观看高清视频,国产精品一区二区,永久免费看片网站入口"
SPAM_FOOTER = "主站蜘蛛池模板: 乌审旗| 西吉县| 特克斯县| 比如县| 泌阳县| 喀什市| 东丰县| 淄博市"
FOOTER_ZH = "©1997-2024 网易公司版权所有 About NetEase | 公司简介 | 联系方法 | 招聘信息 | 网站地图"
NOISE_ZH = [
    *RECOMMENDED_ZH,
    *(title for _, title in HOT_ZH),
    SPAM_TITLE,
    SPAM_FOOTER,
    FOOTER_ZH,
    "无障碍浏览",
    "网易首页",
    "分享至",
    "注册免费邮箱",
    "文章数",
]


def news_zh(meta: str = '<meta charset="utf-8">') -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in BODY_ZH[:3])
    paras += (
        '\n<p class="f_center"><img src="https://nimg.ws.126.net/?url=http%3A%2F%2Fcms-bucket.'
        'ws.126.net%2F2024%2F0312%2Fa.png"><br>国家统计局新闻发布会现场</p>\n'
    )
    paras += "\n".join(f"<p>{p}</p>" for p in BODY_ZH[3:])
    recommended = "\n".join(
        f'<li class="post_recommend"><a href="https://www.163.com/dy/article/J{i}QK5PLM0519QIKK.html">'
        f'<h3>{title}</h3></a><div class="post_recommend_info"><span>华夏财经</span> '
        f"<span>{i + 1}小时前</span> <span>{(i + 3) * 17}跟贴</span></div></li>"
        for i, title in enumerate(RECOMMENDED_ZH)
    )
    hot = "\n".join(
        f'<div class="mod_hot"><h4>{heading}</h4><ul><li><a href="/hot/{i}.html">{title}</a></li>'
        "</ul></div>"
        for i, (heading, title) in enumerate(HOT_ZH)
    )
    return f"""<!DOCTYPE HTML>
<html id="ne_wrap" lang="zh-CN" data-publishtime="2024-03-12 10:30:15">
<head>
{meta}
<title>{SPAM_TITLE}</title>
<meta name="keywords" content="工业增加值,国家统计局，经济数据">
<meta name="description"
 content="国家统计局今天发布数据显示，今年前两个月全国规模以上工业增加值同比增长6.2%。">
<meta property="og:title" content="{TITLE_ZH}">
<meta property="og:site_name" content="华夏财经">
<meta property="og:image" content="https://nimg.ws.126.net/?url=http%3A%2F%2Fcms-bucket.ws.126.net%2F2024%2F0312%2Fa.png">
<meta property="article:published_time" content="2024-03-12T10:30:15+08:00">
<script>var _hmt = _hmt || []; window.adConfig = {{"pos": "article_top"}};</script>
<style>.post_main {{ width: 680px; }}</style>
</head>
<body>
<div class="ne_wrap_header"><ul class="ntes_nav">
<li><a href="https://news.163.com/">新闻</a></li><li><a href="https://sports.163.com/">体育</a></li>
<li><a href="https://money.163.com/">财经</a></li><li><a href="https://tech.163.com/">科技</a></li>
</ul><a href="https://reg.163.com/">登录</a> <a href="https://mail.163.com/">注册免费邮箱</a></div>
<div class="post_crumb"><a href="https://www.163.com/">网易首页</a> &gt;
<a href="https://www.163.com/dy/">网易号</a> &gt; 正文</div>
<div class="post_main">
<h1 class="post_title">{TITLE_ZH}</h1>
<div class="post_info">2024-03-12 10:30:15　来源: <a href="#">华夏财经</a></div>
<div class="post_top_share">0 <span>分享至</span></div>
<div class="post_body">
{paras}
</div>
<div class="post_recommends"><h2>相关推荐</h2><ul>
{recommended}
</ul></div>
</div>
<div class="post_side">
<div class="wemedia_info"><a href="#">华夏财经</a> <span>577文章数 11881关注度</span></div>
{hot}
</div>
<div class="ntes_foot">
<p><a href="#">无障碍浏览</a> <a href="#">进入关怀版</a></p>
<p>{SPAM_FOOTER}</p>
<p>{FOOTER_ZH}</p>
</div>
</body>
</html>
"""


URL_TW = "https://www.ey.gov.tw/Page/9277F759E41CCD91/7b4c1f4e-2d0b-4a5a-9f4e-1c2b3d4e5f60"
TITLE_TW = "行政院會通過再生能源發展條例修正草案"
BODY_TW = [
    "行政院今日召開院會，通過「再生能源發展條例」部分條文修正草案，將於近期送請立法院審議，"
    "以加速推動綠色能源轉型。",
    "經濟部表示，修正草案明定一定規模以上之用電大戶應設置再生能源發電設備，並提高太陽光電與"
    "離岸風電之躉購費率，鼓勵民間投資。",
    "根據統計，去年全國再生能源發電量占總發電量比例已達百分之九點五，較前年成長一點二個百分點，"
    "其中太陽光電成長最為顯著。",
    # 〇 is in Big5-HKSCS only: a plain Big5 decoder turns it into ま.
    "行政院發言人指出，政府將持續與地方政府及產業界溝通，兼顧電網穩定與環境保護，逐步達成"
    "二〇五〇年淨零排放目標。",
]
NOISE_TW = ["回首頁", "網站導覽", "版權所有", "最佳瀏覽解析度"]


def news_tw() -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in BODY_TW)
    return f"""<html lang="zh-TW"><head>
<meta http-equiv="Content-Type" content="text/html; charset=big5">
<title>{TITLE_TW} - 行政院全球資訊網</title></head>
<body>
<div id="menu"><a href="/">回首頁</a> | <a href="/news">新聞與公告</a> |
<a href="/sitemap">網站導覽</a> | <a href="/en">English</a></div>
<div id="content">
<h2>{TITLE_TW}</h2>
<div class="date">發布日期：2024-05-16</div>
{paras}
</div>
<div id="footer">行政院 版權所有 地址：10058臺北市中正區忠孝東路1段1號 最佳瀏覽解析度1024x768</div>
</body></html>
"""


URL_FR = "https://www.journal-du-numerique.fr/ia/bezos-toloka-72-millions"
TITLE_FR = "Jeff Bezos mise 72 millions de dollars sur Toloka"
BODY_FR = [
    "Le fonds personnel de Jeff Bezos, Bezos Expeditions, vient d’investir 72 millions de dollars "
    "dans Toloka, une entreprise basée à Amsterdam spécialisée dans les données pour "
    "l’intelligence artificielle.",
    "L’opération, annoncée début mai, marque une étape importante pour cette société encore peu "
    "connue du grand public mais déjà active auprès de clients tels que Microsoft ou Amazon.",
    "Fondée par Olga Megorskaya, Toloka veut fournir aux entreprises technologiques des données "
    "humaines de qualité pour entraîner et évaluer leurs modèles de langage.",
    "Selon la direction, les fonds serviront à recruter des experts en médecine, en droit ou en "
    "programmation, afin d’annoter des tâches de plus en plus complexes.",
]
COOKIE_FR = (
    "Nous utilisons des cookies pour améliorer votre expérience de navigation, mesurer "
    "l’audience et vous proposer des publicités personnalisées. Vous pouvez accepter ou refuser "
    "ces cookies à tout moment."
)
NOISE_FR = [COOKIE_FR[:40], "Tout accepter", "Paramétrer", "Nvidia dépasse", "Mentions légales"]
BANNER_CMP = '<div id="cookie-banner" class="cookie-consent" role="dialog">'
# Class names trafilatura does not know, and no <article> around the text.
BANNER_PLAIN = '<div id="rgpd" class="bandeau-rgpd">'


def news_fr(banner_open: str = BANNER_CMP, semantic: bool = True) -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in BODY_FR)
    article, main = ("article", "main") if semantic else ("div", "div")
    return f"""<!doctype html>
<html lang="fr-FR"><head><meta charset="utf-8">
<title>{TITLE_FR} | Le Journal du Numérique</title>
<meta property="og:site_name" content="Le Journal du Numérique">
<meta property="article:published_time" content="2025-05-12T08:15:00+02:00">
<meta name="author" content="Claire Dupont">
<meta property="article:tag" content="Intelligence artificielle">
<meta property="article:tag" content="Startups">
</head>
<body>
{banner_open}
<p>{COOKIE_FR}</p>
<button>Tout accepter</button> <button>Tout refuser</button>
<a href="/confidentialite">Paramétrer</a>
</div>
<header><nav><a href="/">Accueil</a> <a href="/tech">Tech</a> <a href="/ia">IA</a></nav></header>
<{main} id="page">
<{article} class="contenu">
<h1>{TITLE_FR}</h1>
<p class="byline">Par Claire Dupont</p>
{paras}
</{article}>
<aside><h3>À lire aussi</h3><ul>
<li><a href="/a1">Nvidia dépasse les attentes au premier trimestre</a></li>
<li><a href="/a2">Mistral AI lève 600 millions d’euros</a></li>
</ul></aside>
</{main}>
<footer><p>© 2025 Le Journal du Numérique – Mentions légales – Contact</p></footer>
</body></html>
"""


URL_BLOG = "https://xingzhe.blog.example.cn/2024/04/huangshan.html"
TITLE_BLOG = "黄山三日游记：云海与日出"
BODY_BLOG = [
    "上周末我们一家人去了黄山，虽然天气预报说有雨，但山上的云海实在太壮观了，完全值得这一趟辛苦的攀登。",
    "我们从南大门出发，坐缆车到了云谷寺，然后沿着步道一路走到始信峰。沿途的松树造型奇特，很多游客都停下来拍照。",
    "第二天清晨五点起床看日出，光明顶上已经站满了人。太阳从云层后面慢慢升起的那一刻，整个山谷都被染成了金色。",
    "给准备去黄山的朋友几点建议：一定要带好雨衣和防滑鞋，山上住宿提前一个月预订，另外体力不好的话尽量多坐缆车。",
]
COMMENTS_BLOG = [
    "看了你的游记好想去啊！请问山上的酒店多少钱一晚？",
    "照片拍得真漂亮，我去年去的时候一直下雨什么都没看到。",
    "谢谢楼主分享，收藏了，下个月准备带父母去。",
]


def blog_zh() -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in BODY_BLOG)
    comments = "\n".join(
        f'<li class="comment"><div class="comment-author">网友{i}</div>'
        f'<div class="comment-body"><p>{c}</p></div>'
        f'<span class="comment-date">2024-04-0{i + 2}</span></li>'
        for i, c in enumerate(COMMENTS_BLOG, 1)
    )
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{TITLE_BLOG} - 行者的博客</title></head>
<body>
<div id="header"><a href="/">行者的博客</a> <a href="/archives">归档</a>
<a href="/about">关于</a></div>
<div id="post">
<h2 class="post-title">{TITLE_BLOG}</h2>
<div class="post-meta">发表于 2024-04-01 | 分类：旅行</div>
<div class="post-content">
{paras}
</div>
</div>
<div id="comments"><h3>3 条评论</h3><ol class="comment-list">
{comments}
</ol>
<form id="commentform"><textarea name="comment"></textarea><button>发表评论</button></form>
</div>
<div id="footer">© 2024 行者的博客 · Powered by WordPress</div>
</body></html>
"""


def assert_clean(result: dict, body: list[str], noise: list[str]) -> None:
    text = result["text"]
    assert "\ufffd" not in text
    for paragraph in body:
        assert paragraph in text
    for junk in noise:
        assert junk not in text, junk


# --- Chinese news, every way it is encoded ---------------------------------------------------

GBK_HEADER = "text/html; charset=gbk"


@pytest.mark.parametrize(
    ("body", "content_type", "encoding"),
    [
        pytest.param(news_zh().encode(), "text/html; charset=utf-8", "utf-8", id="utf-8"),
        pytest.param(news_zh("").encode("gb18030"), GBK_HEADER, "gb18030", id="gbk-header-only"),
        pytest.param(
            news_zh('<meta http-equiv="Content-Type" content="text/html; charset=gbk">').encode(
                "gb18030"
            ),
            "text/html",
            "gb18030",
            id="gbk-meta-only",
        ),
        pytest.param(
            news_zh('<meta charset="gb2312">').encode(), "text/html", "utf-8", id="gb2312-lie"
        ),
        pytest.param(
            b"\xef\xbb\xbf" + news_zh("").encode(), "text/html; charset=gbk", "utf-8", id="bom"
        ),
        pytest.param(news_zh("").encode("gb18030"), "text/html", "gb18030", id="gbk-undeclared"),
        pytest.param(news_zh("").encode("gb18030"), None, "gb18030", id="gbk-no-content-type"),
    ],
)
def test_chinese_news(body, content_type, encoding):
    result = extract(body, URL_ZH, content_type)
    assert result is not None
    assert result["encoding"] == encoding
    assert result["title"] == TITLE_ZH
    assert result["language"] == "zh"
    assert result["published"] == "2024-03-12T10:30:15+08:00"
    assert result["sitename"] == "华夏财经"
    assert result["tags"] == ["工业增加值", "国家统计局", "经济数据"]
    assert result["description"].startswith("国家统计局今天发布数据")
    assert result["image"].startswith("https://nimg.ws.126.net/")
    assert_clean(result, BODY_ZH, NOISE_ZH)
    assert not result["text"].startswith(TITLE_ZH)


def test_encodings_give_the_same_article():
    utf8 = extract(news_zh().encode(), URL_ZH, "text/html")
    gbk = extract(news_zh("").encode("gb18030"), URL_ZH, GBK_HEADER)
    assert utf8 is not None and gbk is not None
    assert {k: v for k, v in utf8.items() if k != "encoding"} == {
        k: v for k, v in gbk.items() if k != "encoding"
    }


def test_big5_page():
    result = extract(news_tw().encode("big5hkscs"), URL_TW, "text/html")
    assert result is not None
    assert result["encoding"] == "big5hkscs"
    assert result["title"] == TITLE_TW
    assert result["language"] == "zh"
    assert result["published"] == "2024-05-16"
    assert_clean(result, BODY_TW, NOISE_TW)


# --- French news with a cookie banner --------------------------------------------------------


@pytest.mark.parametrize(
    ("banner", "semantic"),
    [
        pytest.param(BANNER_CMP, True, id="cmp-classes"),
        pytest.param(BANNER_PLAIN, True, id="plain-classes"),
        pytest.param(BANNER_PLAIN, False, id="plain-classes-no-article"),
    ],
)
def test_french_news_without_cookie_banner(banner, semantic):
    result = extract(news_fr(banner, semantic).encode(), URL_FR, "text/html; charset=utf-8")
    assert result is not None
    assert result["title"] == TITLE_FR
    assert result["language"] == "fr"
    assert result["author"] == "Claire Dupont"
    assert result["published"] == "2025-05-12"
    assert result["sitename"] == "Le Journal du Numérique"
    assert result["tags"] == ["Intelligence artificielle", "Startups"]
    assert_clean(result, BODY_FR, NOISE_FR)
    assert "cookie" not in result["text"].lower()


def test_article_about_cookies_is_kept():
    # The banner heuristic must not eat an article that talks about cookies.
    body = [
        "La CNIL a sanctionné plusieurs sites qui déposaient des cookies publicitaires sans "
        "recueillir le consentement des internautes, rappelant que refuser doit être aussi simple "
        "qu’accepter.",
        "Selon l’autorité, le bouton « Tout refuser » doit figurer au même niveau que le bouton "
        "« Tout accepter » dans chaque bandeau cookie.",
    ]
    html = news_fr("<div>", semantic=False).replace(
        "\n".join(f"<p>{p}</p>" for p in BODY_FR),
        "\n".join(f"<p>{p}</p>" for p in body) + '\n<a href="/partager">Partager</a>',
    )
    result = extract_html(html, URL_FR)
    assert result is not None
    for paragraph in body:
        assert paragraph in result["text"]


def test_a_code_listing_about_a_cookie_header_is_no_consent_banner():
    # "// body OK to log" in a listing is a comment, not a banner's OK button
    listing = ('<div class="listing"><pre><code><span class="s">"Cookie"</span>\n'
               '<span class="c">// Response body OK to log</span></code></pre></div>')
    section = ('<div class="section"><h3>Redacting headers</h3><p>REDACTED: sensitive headers '
               "are redacted by default, so credentials never reach the logs.</p>"
               f"{listing}</div>")
    paragraphs = "".join(f"<p>Part {i}: the client writes each request and response to the log "
                         "as it went over the wire.</p>" for i in range(4))
    page = ("<html><head><title>Logging raw HTTP</title></head><body><article>"
            f"<h1>Logging raw HTTP</h1>{paragraphs}{section}</article></body></html>")
    result = extract_html(page, "https://blog.example.com/raw-http")
    assert result is not None
    assert "REDACTED: sensitive headers" in result["text"]


@pytest.mark.parametrize("close", ["</body></html>", "</html>", "</BODY>\n</HTML>"])
def test_an_article_after_an_early_end_of_document_is_read(close):
    # a header partial that ends the document, the article after it: a browser shows it
    paragraphs = "".join(f"<p>Step {i}: the agency takes over payroll, benefits and the filings "
                         "that an in-house team would otherwise handle every month.</p>"
                         for i in range(5))
    page = ("<html><head><title>Types of HR outsourcing</title></head><body><header><nav>"
            '<a href="/">Home</a> <a href="/blog">Blog</a></nav></header>'
            f"{close}\n<main><article><h1>Types of HR outsourcing</h1>{paragraphs}</article>"
            "</main><footer>Copyright Example Ltd</footer></body></html>")
    result = extract(page.encode(), "https://example.com/blog/hr", "text/html; charset=utf-8")
    assert result is not None
    assert result["title"] == "Types of HR outsourcing"
    assert "Step 0: the agency takes over payroll" in result["text"]
    assert "Step 4: the agency" in result["text"]


# --- blog with reader comments ---------------------------------------------------------------


def test_blog_comments_left_out():
    result = extract(blog_zh().encode(), URL_BLOG, "text/html; charset=UTF-8")
    assert result is not None
    assert result["title"] == TITLE_BLOG
    assert result["language"] == "zh"
    assert result["published"] == "2024-04-01"
    assert_clean(result, BODY_BLOG, [*COMMENTS_BLOG, "发表评论", "网友1", "Powered by"])


# --- not articles ----------------------------------------------------------------------------

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
JSON = json.dumps({"ok": 1, "data": {"text": "<p>" + BODY_ZH[0] + "</p>"}}, ensure_ascii=False)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(PDF, "application/pdf", id="pdf"),
        pytest.param(PDF, None, id="pdf-no-type"),
        pytest.param(PDF, "text/html", id="pdf-as-html"),
        pytest.param(JSON.encode(), "application/json; charset=utf-8", id="json"),
        pytest.param(JSON.encode(), None, id="json-no-type"),
        pytest.param(JSON.encode(), "text/html; charset=utf-8", id="json-as-html"),
        pytest.param(PNG, "image/png", id="png"),
        pytest.param(PNG, "application/octet-stream", id="png-octet-stream"),
        pytest.param("\n\n".join(BODY_ZH).encode(), "text/plain; charset=utf-8", id="text"),
        pytest.param(news_zh().encode(), "text/plain", id="html-as-text"),
        pytest.param(b"", "text/html", id="empty"),
        pytest.param(b"   \n", "text/html", id="blank"),
    ],
)
def test_non_html_bodies(body, content_type):
    assert extract(body, URL_ZH, content_type) is None


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>首页</title></head><body><ul><li><a href='/a'>新闻</a></li>"
        "<li><a href='/b'>体育</a></li></ul></body></html>",
        "<html><body><div></div></body></html>",
        "<html><body><p>404 Not Found</p></body></html>",
        "<p>a fragment</p>",
    ],
)
def test_pages_without_article(html, caplog):
    caplog.set_level(logging.WARNING)
    assert extract(html.encode(), "https://www.example.cn/", "text/html") is None
    assert extract_html(html, "https://www.example.cn/") is None
    # trafilatura's routine "discarding data" reports stay below WARNING.
    assert [r for r in caplog.records if r.name.startswith("trafilatura")] == []


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("text/html; charset=utf-8", b"<html></html>", True),
        ("TEXT/HTML", b"<p>x</p>", True),
        ("application/xhtml+xml", b'<?xml version="1.0"?><html></html>', True),
        (None, b"<!DOCTYPE html><html></html>", True),
        (None, b"\xef\xbb\xbf  <!doctype HTML>", True),
        # a template's kilobytes of tabs and blank lines before the doctype
        (None, b"\r\n\t\t " * 600 + b"<!DOCTYPE html><html><head>", True),
        (None, b"\r\n\t\t " * 600 + b"plain words", False),
        (None, b"<?xml version='1.0' encoding='gbk'?>\n<html><body></body></html>", True),
        (None, b"Warning: include(): failed\n<html><head><title>x</title>", True),
        (None, "<html><body>x</body></html>".encode("utf-16"), True),
        ("application/octet-stream", b"<html><body>x</body></html>", True),
        (None, b"plain words, no markup", False),
        (None, b"<rss version='2.0'><channel></channel></rss>", False),
        ("application/rss+xml", b"<rss version='2.0'></rss>", False),
        ("text/plain", b"<html></html>", False),
        ("application/json", b"{}", False),
        ("text/html", b"[1, 2]", False),
        ("text/html", PDF, False),
        ("image/jpeg", b"\xff\xd8\xff\xe0", False),
        (None, b"", False),
    ],
)
def test_is_html(content_type, body, expected):
    assert is_html(content_type, body) is expected


# --- the parts of the result -----------------------------------------------------------------


def test_extract_html_takes_text():
    result = extract_html(news_zh(), URL_ZH)
    assert result is not None
    assert set(result) == {
        "title",
        "text",
        "author",
        "published",
        "sitename",
        "language",
        "tags",
        "description",
        "image",
    }
    assert_clean(result, BODY_ZH, NOISE_ZH)


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("作者：王海涛", "王海涛"),
        ("记者 王海涛", "王海涛"),
        ("文/王海涛", "王海涛"),
        ("By Jane Doe", "Jane Doe"),
        ("Par Claire Dupont", "Claire Dupont"),
    ],
)
def test_author_without_role(byline, author):
    html = news_zh().replace(
        '<div class="post_info">', f'<div class="post_info"><span class="author">{byline}</span> '
    )
    result = extract_html(html, URL_ZH)
    assert result is not None
    assert result["author"] == author


def test_short_text_uses_declared_language():
    html = (
        '<html lang="fr"><head><title>Brève</title></head><body><article>'
        "<p>Le conseil a voté hier soir.</p></article></body></html>"
    )
    result = extract_html(html, URL_FR)
    assert result is not None
    assert result["language"] == "fr"


def test_detected_language_beats_a_wrong_declaration():
    html = news_zh().replace('lang="zh-CN"', 'lang="en"')
    result = extract_html(html, URL_ZH)
    assert result is not None
    assert result["language"] == "zh"


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        ("".join(BODY_ZH), None, "zh"),
        ("".join(BODY_TW), None, "zh"),  # py3langid calls much Traditional Chinese "yue"
        (" ".join(BODY_FR), "en", "fr"),
        ("Le conseil a voté.", "fr-FR", "fr"),
        ("短讯", "zh-Hant-TW", "zh"),
        ("2024-03-12 10:30 " * 5, "zh-CN", "zh"),
        ("", "zh-CN", None),
        ("   ", None, None),
    ],
)
def test_detect_language(text, declared, expected):
    assert detect_language(text, declared) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-CN", "zh"),
        ("zh_Hant_TW", "zh"),
        ("FR", "fr"),
        ("en-US, fr", "en"),
        ("cmn", "zh"),
        ("x-default", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_language(tag, expected):
    assert normalize_language(tag) == expected


# --- running in worker processes -------------------------------------------------------------


def test_repeated_extraction_is_stable():
    # trafilatura's deduplication cache is process-wide: with it on, the 4th run returns None.
    results = [extract(news_zh().encode(), URL_ZH, "text/html") for _ in range(5)]
    assert all(result == results[0] for result in results)


def test_results_pickle_and_run_in_process_pool():
    result = extract(news_zh().encode(), URL_ZH, "text/html")
    assert pickle.loads(pickle.dumps(result)) == result
    with ProcessPoolExecutor(max_workers=1) as pool:
        remote = pool.submit(extract, news_zh().encode(), URL_ZH, "text/html").result(timeout=120)
    assert remote == result


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("文; 王海涛", "王海涛"),
        ("本报记者 王海涛 李明", "王海涛 李明"),
        ("王海涛; 责任编辑：李明", "王海涛"),
        ("来源：人民日报", None),
        ("图; 张三; 文; 李四", "李四"),
        ("编辑部", "编辑部"),
        ("Parker Smith", "Parker Smith"),
        (None, None),
    ],
)
def test_author_cleaning(raw, expected):
    from crawler.text.generic import _clean_author

    assert _clean_author(raw) == expected


@pytest.mark.parametrize(
    ("meta", "author"),
    [
        ('<meta name="author" content="雪豹财经社">', "雪豹财经社"),
        ('<meta property="article:author" content="王海涛">', "王海涛"),
        # A site naming itself as the author is no author.
        ('<meta name="author" content="华夏财经">', None),
        ('<meta property="article:author" content="https://www.facebook.com/huaxia">', None),
    ],
)
def test_meta_author_without_space(meta, author):
    # trafilatura itself throws away any meta author without a space in it.
    html = news_zh().replace("<title>", meta + "\n<title>")
    result = extract_html(html, URL_ZH)
    assert result is not None
    assert result["author"] == author


@pytest.mark.parametrize("meta", ['<meta name="author" content="NZZ-Redaktion">',
                                  '<meta name="author" content="d.kuckelkorn@boersen-zeitung.de">'])
def test_a_desk_or_an_address_in_meta_does_not_replace_the_byline(meta):
    # on a Latin-script page a meta author without a space is a desk, a user name or an
    # address; the byline trafilatura found stays
    page = (f'<html lang="de"><head><meta charset="utf-8">{meta}<title>Budget</title>'
            '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
            '"NewsArticle", "headline": "Budget", "author": [{"@type": "Person", "name": '
            '"Dieter Kuckelkorn"}]}</script></head><body><article>'
            f"<h1>Budget</h1>{BUDGET}</article></body></html>")
    assert extract(page.encode(), "https://news.example.de/budget")["author"] == "Dieter Kuckelkorn"


@pytest.mark.parametrize("platform", ['id="onetrust-consent-sdk"', 'id="didomi-host"',
                                      'id="CybotCookiebotDialog"'])
def test_consent_platform_notices_are_not_the_article(platform):
    article_text = [
        "The city council voted on Tuesday to extend the protected bike lane network by "
        "twelve miles over the next three years, after a debate that lasted past midnight.",
        "Supporters said the lanes had cut injuries on the streets where they were built, "
        "while shop owners on Main Street worried about the loss of parking spaces.",
    ]
    notice = "".join(
        f"<p>{kind} Cookies: these cookies allow us and our partners to store and access "
        f"information on your device, to measure and personalise content and ads.</p>"
        for kind in ("Strictly Necessary", "Measurement", "Personalization", "Advertising",
                     "Social Media", "Functional") * 4)
    html = (f"<html><head><title>Council extends bike lanes</title></head><body>"
            f"<div {platform}><div class='pc'><h2>Cookie Notice</h2>{notice}"
            f"<button>Accept all</button></div></div>"
            f"<article><h1>Council extends bike lanes</h1>"
            + "".join(f"<p>{p}</p>" for p in article_text) + "</article></body></html>")
    result = extract_html(html, "https://news.example.com/2025/bike-lanes")
    assert result["text"].splitlines() == article_text


# A Japanese and a Korean article: wide text that reads as no Chinese. Neither is refused as
# mojibake; both come out as written.
JAPANESE = [
    "気象庁は二十日、関東甲信地方が梅雨明けしたとみられると発表した。平年より一日早く、昨年より"
    "八日遅い。",
    "今後一週間は晴れて気温の高い日が続く見込みで、熱中症への警戒が必要だ。同庁によると、東京都心"
    "では午後に最高気温が三十五度を超える猛暑日となる所もあるという。",
    "農林水産省は、猛暑による野菜の生育への影響について、産地と連絡を取りながら状況を注視していると"
    "説明した。",
]
KOREAN = [
    "기상청은 20일 장마가 끝났다고 발표했다. 올해 장마는 평년보다 하루 일찍 끝났다.",
    "앞으로 일주일 동안 맑고 무더운 날씨가 이어질 것으로 보인다. 기상청은 온열질환에 대비해"
    " 한낮에는 야외 활동을 자제하고 물을 자주 마시라고 당부했다.",
    "농림축산식품부는 폭염으로 인한 농작물 피해를 줄이기 위해 현장 점검을 강화하겠다고 밝혔다.",
]


@pytest.mark.parametrize(("paragraphs", "lang", "codec"), [
    (JAPANESE, "ja", "shift_jis"), (JAPANESE, "ja", "utf-8"), (KOREAN, "ko", "euc-kr"),
])  # fmt: skip
def test_japanese_and_korean_articles(paragraphs, lang, codec):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = (f'<html lang="{lang}"><head><meta charset="{codec}"><title>t</title></head><body>'
            f'<nav><a href="/">トップ</a></nav><article>{body}</article></body></html>')
    article = extract(page.encode(codec), "https://news.example.jp/a/1")
    assert article is not None
    assert article["text"].splitlines() == paragraphs
    assert article["language"] == lang


HEADLINES = [f"第{i}条：市政府召开常务会议研究部署今年重点工作" for i in range(1, 13)]


def test_a_list_of_headlines_is_no_article():
    # a section or rolling-news page: its text is the page's own links, one per line
    items = "".join(f'<li><a href="/a/{i}.html">{h}</a><span>07-0{i % 9 + 1} 10:00</span></li>'
                    for i, h in enumerate(HEADLINES))
    page = (f'<html><head><meta charset="utf-8"><title>滚动新闻_某某网</title></head><body>'
            f'<div class="list"><ul>{items}</ul></div></body></html>')
    assert extract(page.encode(), "https://news.example.cn/rolling/") is None


def test_an_article_with_a_related_list_is_an_article():
    body = "".join(f"<p>{p}</p>" for p in BODY_ZH)
    related = "".join(f'<li><a href="/a/{i}.html">{h}</a></li>' for i, h in enumerate(HEADLINES))
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE_ZH}</title></head><body>'
            f'<article><h1>{TITLE_ZH}</h1>{body}<ul class="related">{related}</ul></article>'
            "</body></html>")
    article = extract(page.encode(), "https://news.example.cn/a/1.html")
    assert article is not None
    assert all(p in article["text"] for p in BODY_ZH)


BUDGET = ("<p>The council approved the new budget on Monday after a long debate about schools "
          "and roads, and the mayor said the vote was a turning point for the city.</p>") * 4


@pytest.mark.parametrize(("head", "byline", "published"), [
    ("", "", None),  # the year of the copyright line is no date of publication
    ('<meta property="article:published_time" content="2019-01-01T08:00:00+08:00">', "",
     "2019-01-01"),
    ("", "<p class='date'>January 1, 2019</p>", "2019-01-01"),
])
def test_a_bare_year_is_no_first_of_january(head, byline, published):
    page = (f'<html lang="en"><head><meta charset="utf-8"><title>Budget approved</title>{head}'
            f"</head><body><article><h1>Budget approved</h1>{byline}{BUDGET}</article>"
            "<footer>© 2019 The Example Times</footer></body></html>")
    article = extract(page.encode(), "https://news.example.com/budget")
    assert article["published"] == published
