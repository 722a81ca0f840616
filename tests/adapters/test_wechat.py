from __future__ import annotations

import pickle

import pytest

from crawler.adapters import adapter_for, canonical_url
from crawler.adapters.base import PageUnavailable
from crawler.adapters.wechat import WeChatAdapter
from crawler.extract import extract, extract_article

URL = "https://mp.weixin.qq.com/s/Xy9AbCdEfGhIjKlMnOpQrS"
BIZ_URL = (
    "https://mp.weixin.qq.com/s?__biz=MzA4NzQ1MjEyMQ==&mid=2653412345&idx=1"
    "&sn=3c5e7a9b1d2f4e6a8b0c2d4e6f8a0b1c"
)
PARAGRAPHS = [
    "两年前，一度电的储能电池报价还在0.9元左右；今年上半年，这个数字已经跌到0.4元上下。",
    "“现在拼的已经不是谁能造出电池，而是谁能在低价下还活得下去。”一位储能企业高管这样对笔者说。",
    "据行业机构统计，去年国内储能电池产能已超过实际需求的两倍，推动电池报价一路下行。",
    "业内普遍认为，储能的长期需求依然强劲，储能将从“可选项”变成“必选项”。",
]
FURNITURE = [
    "点击上方蓝字", "- END -", "编辑：李想", "往期推荐", "钠电池量产元年", "长按识别二维码",
    "点个在看", "阅读原文", "分析得很到位", "微信扫一扫",
]  # fmt: skip


def article_page(*, heading: bool = True, script_title: str = "储能电池价格腰斩之后") -> str:
    title = '<h1 class="rich_media_title" id="activity-name">\n  储能电池价格腰斩之后\n</h1>'
    p = [f'<p><span style="font-size: 15px;">{text}</span></p>' for text in PARAGRAPHS]
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="og:title" content="储能电池价格腰斩之后">
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzA4NzQ1MjEyMQ==&amp;mid=2653412345&amp;idx=1&amp;sn=3c5e7a9b1d2f4e6a8b0c2d4e6f8a0b1c&amp;chksm=8bd1a2b3#rd">
<meta name="author" content="陈思远">
<title>储能电池价格腰斩之后</title></head>
<body id="activity-detail"><div id="js_article" class="rich_media">
{title if heading else ""}
<div id="meta_content"><span class="rich_media_meta_text">陈思远</span>
<a href="javascript:void(0);" id="js_name">能源新视界</a><em id="publish_time"></em></div>
<div class="rich_media_content" id="js_content" style="visibility: hidden;">
<section><span>点击上方蓝字 关注我们</span></section>
{p[0]}{p[1]}
<section><span><strong>01 价格战背后是产能过剩</strong></span></section>
<section><img class="rich_pages wxw-img" data-src="https://mmbiz.qpic.cn/mmbiz_png/AbC/640?wx_fmt=png"></section>
{p[2]}{p[3]}
<p style="text-align: center;"><span>- END -</span></p>
<p><span>编辑：李想 &nbsp;审核：周明</span></p>
<section><strong>往期推荐</strong></section>
<p><a href="https://mp.weixin.qq.com/s?__biz=MzA4NzQ1MjEyMQ==&amp;mid=1">钠电池量产元年，能否挑战锂电？</a></p>
<p style="text-align: center;"><span>长按识别二维码关注我们</span></p>
<p style="text-align: center;"><span>点个在看，分享给更多朋友</span></p>
</div>
<div id="js_pc_qr_code"><p>微信扫一扫<br>关注该公众号</p></div>
<a id="js_view_source" href="##">阅读原文</a>
<ul class="discuss_list"><li class="discuss_item"><div class="discuss_message">分析得很到位</div></li></ul>
</div>
<script>
var biz = "MzA4NzQ1MjEyMQ==" || "";
var mid = "2653412345" || "";
var idx = "1" || "";
var nickname = htmlDecode("能源新视界");
var user_name = "gh_a1b2c3d4e5f6";
var msg_title = '{script_title}'.html(false);
var msg_desc = htmlDecode("从一块电池说起");
var msg_cdn_url = "https://mmbiz.qpic.cn/mmbiz_jpg/AbCdEfGh123/0?wx_fmt=jpeg";
var ct = "1752998400";
</script></body></html>"""  # noqa: E501


# --- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (URL, URL),
        (URL + "?scene=1&click_id=7#rd", URL),
        ("http://mp.weixin.qq.com/s/Xy9AbCdEfGhIjKlMnOpQrS", URL),
        (BIZ_URL + "&chksm=8bd1a2b3&scene=27#wechat_redirect", BIZ_URL),
        ("http://mp.weixin.qq.com/s?sn=3c5e7a9b1d2f4e6a8b0c2d4e6f8a0b1c&idx=1&mid=2653412345"
         "&__biz=MzA4NzQ1MjEyMQ==", BIZ_URL),
        # not enough to name an article: unchanged
        ("https://mp.weixin.qq.com/s?__biz=MzA4NzQ1MjEyMQ==", "https://mp.weixin.qq.com/s?__biz=MzA4NzQ1MjEyMQ=="),
        ("https://weixin.qq.com/", "https://weixin.qq.com/"),
    ],
)  # fmt: skip
def test_canonical_url(url, canonical):
    assert WeChatAdapter().canonical_url(url) == canonical
    assert canonical_url(url) == canonical


def test_matches_only_mp_weixin():
    assert adapter_for(URL).name == "wechat"
    assert adapter_for("https://weixin.qq.com/") is None
    assert adapter_for("https://mp.weixin.qq.com.example/s/abc") is None


# --- articles --------------------------------------------------------------------------------


def test_article():
    result = extract(article_page().encode(), URL, "text/html; charset=utf-8")
    assert result["title"] == "储能电池价格腰斩之后"
    heading = "01 价格战背后是产能过剩"
    assert result["text"] == "\n".join([*PARAGRAPHS[:2], heading, *PARAGRAPHS[2:]])
    for noise in FURNITURE:
        assert noise not in result["text"]
    assert result["author"] == "陈思远"
    assert result["published"] == "2025-07-20T16:00:00+08:00"
    assert result["sitename"] == "微信公众平台"
    assert result["language"] == "zh"
    assert result["description"] == "从一块电池说起"
    assert result["image"] == "https://mmbiz.qpic.cn/mmbiz_jpg/AbCdEfGh123/0?wx_fmt=jpeg"
    assert result["url"] == BIZ_URL
    extra = result["extra"]
    assert extra["adapter"] == "wechat"
    assert extra["account"] == "能源新视界"
    assert extra["biz"] == "MzA4NzQ1MjEyMQ=="
    assert extra["ct"] == "1752998400"
    assert extra["published_time"] == "2025-07-20T16:00:00+08:00"
    assert extra["images"] == ["https://mmbiz.qpic.cn/mmbiz_png/AbC/640?wx_fmt=png"]


def test_title_from_the_script_when_the_heading_is_missing():
    html = article_page(heading=False, script_title="标题\\x26amp;副标题")
    html = html.replace('<meta property="og:title" content="储能电池价格腰斩之后">', "")
    result = extract(html.encode(), URL, "text/html")
    assert result["title"] == "标题&副标题"


def test_account_from_the_page_without_script():
    html = article_page().split("<script>")[0] + "</body></html>"
    result = extract(html.encode(), URL, "text/html")
    assert result["extra"]["account"] == "能源新视界"
    assert result["published"] is None


def test_copy_at_another_host_is_claimed_by_its_markup():
    local = "http://127.0.0.1:8000/s/Xy9AbCdEfGhIjKlMnOpQrS"
    assert adapter_for(local) is None
    result = extract(article_page().encode(), local, "text/html")
    assert result["extra"]["adapter"] == "wechat"
    assert result["extra"]["account"] == "能源新视界"
    assert "url" not in result


def test_article_quoting_a_deletion_notice_is_an_article():
    html = article_page().replace(PARAGRAPHS[3], "有读者发现，原文已被发布者删除，引发讨论。")
    result = extract(html.encode(), URL, "text/html")
    assert "已被发布者删除" in result["text"]


# --- deleted and blocked pages ---------------------------------------------------------------

DELETED = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>微信公众平台</title></head>
<body><div class="weui-msg"><div class="weui-msg__icon-area"><i class="weui-icon-warn"></i></div>
<div class="weui-msg__text-area"><h2 class="weui-msg__title">该内容已被发布者删除</h2>
<p class="weui-msg__desc"></p></div></div>
<script>var ct = "1752998400"; var verify = false;</script></body></html>"""
REMOVED = DELETED.replace("该内容已被发布者删除", "此内容因违规无法查看")
CAPTCHA = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>微信公众平台</title></head>
<body><div class="weui-msg"><h2 class="weui-msg__title">环境异常</h2>
<p class="weui-msg__desc">当前环境异常，完成验证后即可继续访问。</p>
<a class="weui-btn weui-btn_primary" id="js_verify">去验证</a></div></body></html>"""
OPEN_IN_WECHAT = """<html><head><meta charset="utf-8"></head><body>
<p class="tips">请在微信客户端打开链接</p></body></html>"""


@pytest.mark.parametrize(
    ("html", "kind", "reason"),
    [
        (DELETED, "deleted", "该内容已被发布者删除"),
        (REMOVED, "deleted", "此内容因违规无法查看"),
        (CAPTCHA, "blocked", "环境异常"),
        (OPEN_IN_WECHAT, "blocked", "请在微信客户端打开链接"),
    ],
)
def test_notices_raise_page_unavailable(html, kind, reason):
    with pytest.raises(PageUnavailable) as caught:
        extract_article(html.encode(), URL, "text/html; charset=utf-8")
    assert caught.value.kind == kind
    assert reason in caught.value.reason
    # the public extract() keeps its contract: no article, None
    assert extract(html.encode(), URL, "text/html; charset=utf-8") is None


def test_captcha_redirect_target_is_blocked():
    url = "https://mp.weixin.qq.com/mp/wappoc_appmsgcaptcha?poc_token=abc&target_url=x"
    with pytest.raises(PageUnavailable) as caught:
        extract_article(CAPTCHA.encode(), url, "text/html")
    assert caught.value.kind == "blocked"


def test_page_unavailable_survives_a_process_pool():
    error = pickle.loads(pickle.dumps(PageUnavailable("该内容已被发布者删除", "deleted")))
    assert (error.reason, error.kind) == ("该内容已被发布者删除", "deleted")
    with pytest.raises(ValueError):
        PageUnavailable("x", "gone")


def test_other_pages_of_the_host_fall_back():
    html = "<html><body><div class='main'><p>" + "公众平台帮助中心，提供常见问题解答。" * 4
    body = (html + "</p></div></body></html>").encode()
    result = extract(body, "https://mp.weixin.qq.com/", None)
    assert result is None or "adapter" not in result.get("extra", {})
