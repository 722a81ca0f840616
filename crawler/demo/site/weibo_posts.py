"""The posts and walls of the fake Weibo API (:mod:`crawler.demo.site.weibo_api`).

Shaped like the real answers' ``data`` objects: field names, nesting, HTML in ``text``,
``created_at`` format. The main post is built from ``seeds/fixtures/000_de978af1f6993ca8.txt``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .pages import fixtures_dir

MAIN_UID = 6105753431
MAIN_BID = "PqZVYv0xc"
MAIN_MID = "5164346067390226"
_MAIN_SEED = "000_de978af1f6993ca8.txt"

SUB = "_2AkMQ1visitorFAKEsubCOOKIEvalue8fNxqwLrmH9kGpQ0tBzIoo"
SUBP = "0033WrSXqPxfM72-Ws9jqgMF55529P9D9WFakeVisitorSubpValue5JpX5KMhUgL"
TID = "fakeTidwGq1ufBvXk3dG7m2HhvoE6AN9yP0oe0bLqZmw="

_EMOJI_DOGE = (
    '<span class="url-icon"><img alt="[doge]" '
    'src="https://h5.sinaimg.cn/m/emoticon/icon/others/d_doge-be7f768d78.png" '
    'style="width:1em; height:1em;" /></span>'
)
_LINK_ICON = (
    "<span class='url-icon'><img style='width: 1rem;height: 1rem' "
    "src='https://h5.sinaimg.cn/upload/2015/09/25/3/timeline_card_small_web_default.png'>"
    "</span>"
)


def _user(uid: int, name: str, description: str = "") -> dict[str, Any]:
    return {
        "id": uid,
        "screen_name": name,
        "profile_image_url": f"https://tvax1.sinaimg.cn/crop.0.0.512.512.180/{uid:x}ly8avatar.jpg",
        "profile_url": f"https://m.weibo.cn/u/{uid}?uid={uid}&luicode=10000011&lfid=10760{uid}",
        "statuses_count": 41237,
        "verified": True,
        "verified_type": 0,
        "verified_reason": description,
        "description": description,
        "gender": "m",
        "mbtype": 12,
        "urank": 48,
        "mbrank": 6,
        "follow_me": False,
        "following": False,
        "follow_count": 391,
        "followers_count": "97.8万",
        "followers_count_str": "97.8万",
        "cover_image_phone": "https://tva1.sinaimg.cn/crop.0.0.640.640.640/549d0121tw1egm1kjly3jj20hs0hsq4f.jpg",
        "avatar_hd": f"https://wx1.sinaimg.cn/orj480/{uid:x}ly8avatar.jpg",
        "like": False,
        "like_me": False,
        "badge": {"user_name_certificate": 1},
    }


def _pic(large_url: str) -> dict[str, Any]:
    pid = Path(urlsplit(large_url).path).stem
    host = urlsplit(large_url).netloc
    return {
        "pid": pid,
        "url": f"https://{host}/orj360/{pid}.jpg",
        "size": "orj360",
        "geo": {"width": 360, "height": 240, "croped": False},
        "large": {
            "size": "large",
            "url": large_url,
            "geo": {"width": "1200", "height": "800", "croped": False},
        },
    }


def _status(mid: str, bid: str, user: dict[str, Any] | None, text: str, created_at: str,
            **fields: Any) -> dict[str, Any]:
    status = {
        "visible": {"type": 0, "list_id": 0},
        "created_at": created_at,
        "id": mid,
        "mid": mid,
        "can_edit": False,
        "show_additional_indication": 0,
        "text": text,
        "textLength": len(re.sub(r"<[^>]+>", "", text).encode("gbk", "replace")),
        "source": "微博网页版",
        "favorited": False,
        "pic_ids": [],
        "pic_num": 0,
        "is_paid": False,
        "mblog_vip_type": 0,
        "user": user,
        "reposts_count": 0,
        "comments_count": 0,
        "reprint_cmt_count": 0,
        "attitudes_count": 0,
        "pending_approval_count": 0,
        "isLongText": False,
        "show_mlevel": 0,
        "darwin_tags": [],
        "hot_page": {"fid": f"232532_mblog_{mid}", "feed_detail_type": 0},
        "mblogtype": 0,
        "rid": "0",
        "more_info_type": 0,
        "extern_safe": 0,
        "number_display_strategy": {"apply_scenario_flag": 3, "display_text_min_number": 1000000,
                                    "display_text": "100万+"},
        "content_auth": 0,
        "comment_manage_info": {"comment_permission_type": -1, "approval_comment_type": 0,
                                "comment_sort_type": 0},
        "pic_flag": 0,
        "region_name": "发布于 北京",
        "region_opt": 1,
        "bid": bid,
    }
    status.update(fields)
    if status.get("pics"):
        pics = status["pics"]
        items = pics.values() if isinstance(pics, dict) else pics
        status["pic_ids"] = [pic["pid"] for pic in items]
        status["pic_num"] = len(status["pic_ids"])
    return status


# --- the main post, from the bundled seed text ----------------------------------------------


def _seed_post_html(fx: Path) -> tuple[str, list[str]]:
    text = (fx / _MAIN_SEED).read_text(encoding="utf-8")
    start, end = text.find("## 原始摘要"), text.find("## AI 摘要")
    if start < 0 or end < start:
        raise ValueError(f"{_MAIN_SEED}: expected '## 原始摘要' followed by '## AI 摘要'")
    html = text[start + len("## 原始摘要"):end].strip()
    pictures = re.findall(r'<img[^>]*\ssrc="([^"]+)"', html)
    # The API keeps pictures in "pics", not in the text.
    html = re.sub(r"<img[^>]*>", "", html)
    html = re.sub(r"(?:<br>)+$", "", html)
    return html, pictures


def long_text_html(fx: Path | None = None) -> str:
    """The main post's whole text, as ``/statuses/extend`` gives it (``longTextContent``)."""
    html, _ = _seed_post_html(fx or fixtures_dir())
    return html.replace("<br>", "<br />")


def main_status(fx: Path | None = None) -> dict[str, Any]:
    """The main post as ``/statuses/show`` gives it: truncated text, ``isLongText``."""
    html, pictures = _seed_post_html(fx or fixtures_dir())
    paragraphs = html.split("<br><br>")
    truncated = "<br><br>".join(paragraphs[:3]) + (
        f'...<a href="/status/{MAIN_MID}">全文</a>'
    )
    return _status(
        MAIN_MID, MAIN_BID,
        _user(MAIN_UID, "新智元", "智能+中国主平台，致力于推动中国从互联网+迈向智能+新纪元"),
        truncated, "Fri May 09 10:58:34 +0800 2025",
        isLongText=True, pics=[_pic(url) for url in pictures],
        reposts_count=23, comments_count=17, attitudes_count=186,
    )


# --- other posts -----------------------------------------------------------------------------

VISITOR_BID, VISITOR_MID = "Pr02wevgF", "5164350123456789"  # walled until visitor cookies
REPOST_BID, REPOST_MID = "Pr0gR9Qdw", "5164359012345678"  # reposts a deleted post
VIDEO_BID, VIDEO_MID = "Pr0iEevgF", "5164360123456789"  # a video, pics keyed "0", "1"
REPOST_MAIN_BID, REPOST_MAIN_MID = "Pr0krjajE", "5164361234567890"  # reposts the main post


def _other_posts() -> dict[str, dict[str, Any]]:
    qbitai = _user(5703921756, "量子位", "AI科技媒体")
    jiqizhixin = _user(3996876140, "机器之心", "专业的人工智能媒体")
    visitor_post = _status(
        VISITOR_MID, VISITOR_BID, qbitai,
        "Toloka这轮融资的细节来了，<a href='/n/新智元'>@新智元</a> 的解读很到位"
        + _EMOJI_DOGE + '<br />原文：<a data-url="http://t.cn/A6Hq2xYz" '
        'href="https://weibo.cn/sinaurl?u=https%3A%2F%2Fwww.reuters.com%2Ftechnology%2F'
        'toloka-2025-05-07%2F" data-hide="">' + _LINK_ICON
        + '<span class="surl-text">网页链接</span></a>',
        "Fri May 09 11:02:10 +0800 2025", reposts_count=5, comments_count=3,
        attitudes_count=42, source="iPhone 15 Pro Max",
    )
    deleted_original = {
        "created_at": "Thu May 08 20:00:00 +0800 2025",
        "id": "5164300000000000",
        "mid": "5164300000000000",
        "text": "抱歉，此微博已被作者删除。查看帮助：<a data-url=\"http://t.cn/Rfd3rQV\" "
                "href=\"https://weibo.cn/sinaurl?u=http%3A%2F%2Ft.cn%2FRfd3rQV\" data-hide=\"\">"
                + _LINK_ICON + '<span class="surl-text">网页链接</span></a>',
        "user": None,
        "reposts_count": 0,
        "comments_count": 0,
        "attitudes_count": 0,
        "visible": {"type": 0, "list_id": 0},
        "pic_ids": [],
        "bid": "PqYhK0000",
    }
    repost = _status(
        REPOST_MID, REPOST_BID, jiqizhixin, "转发微博", "Fri May 09 12:30:00 +0800 2025",
        retweeted_status=deleted_original, reposts_count=0, comments_count=1, attitudes_count=2,
    )
    video = _status(
        VIDEO_MID, VIDEO_BID, qbitai,
        '<a  href="https://m.weibo.cn/search?containerid=231522type%3D1%26t%3D10%26q%3D%23'
        'AI%E6%95%B0%E6%8D%AE%E6%A0%87%E6%B3%A8%23" data-hide=""><span class="surl-text">'
        "#AI数据标注#</span></a> 走进Toloka的标注团队 "
        "<a data-url=\"http://t.cn/A6HqVid0\" href=\"https://video.weibo.com/show?fid=1034:"
        '5164360000000001" data-hide="">' + _LINK_ICON
        + '<span class="surl-text">量子位的微博视频</span></a>',
        "Fri May 09 13:15:42 +0800 2025",
        pics={"0": _pic("https://wx2.sinaimg.cn/large/006qbitai0gy1video0001.jpg"),
              "1": _pic("https://wx2.sinaimg.cn/large/006qbitai0gy1video0002.jpg")},
        page_info={
            "type": "video",
            "object_type": 11,
            "url_ori": "http://t.cn/A6HqVid0",
            "page_pic": {"width": 1280, "height": 720,
                         "url": "https://wx2.sinaimg.cn/orj480/006qbitai0gy1videocover.jpg"},
            "page_url": "https://video.weibo.com/show?fid=1034:5164360000000001",
            "object_id": "1034:5164360000000001",
            "page_title": "量子位的微博视频",
            "title": "走进Toloka的标注团队",
            "content1": "量子位的微博视频",
            "content2": "",
            "video_orientation": "horizontal",
            "play_count": "1.2万次播放",
            "media_info": {
                "stream_url": "https://f.video.weibocdn.com/o0/fake-ld.mp4?label=mp4_ld",
                "stream_url_hd": "https://f.video.weibocdn.com/o0/fake-hd.mp4?label=mp4_hd",
                "duration": 95.2,
            },
            "urls": {"mp4_720p_mp4": "https://f.video.weibocdn.com/o0/fake-720.mp4"},
        },
        source="微博视频号",
    )
    main = main_status()
    repost_main = _status(
        REPOST_MAIN_MID, REPOST_MAIN_BID, jiqizhixin,
        "数据标注的价值正在被重估//<a href='/n/新智元'>@新智元</a>:贝索斯出手了",
        "Fri May 09 14:00:05 +0800 2025", retweeted_status=main,
    )
    return {VISITOR_BID: visitor_post, REPOST_BID: repost, VIDEO_BID: video,
            REPOST_MAIN_BID: repost_main}


def statuses() -> dict[str, dict[str, Any]]:
    """Every post the fake serves: bid -> the ``data`` of its ``/statuses/show`` answer."""
    posts = {MAIN_BID: main_status()}
    posts.update(_other_posts())
    return posts

# --- walls -----------------------------------------------------------------------------------

#: bid -> the wall served for it, every time (visitor cookies do not help)
WALLS: dict[str, str] = {
    "Pr04jjajE": "visitor_page",  # HTTP 200 "Sina Visitor System"
    "Pr066nPlb": "login_required",  # {"ok": -100}
    "Pr07Tsu8c": "no_data",  # {"ok": 1} without data (captcha)
    "Pr09Gx6A3": "rate_limited",  # HTTP 418
    "Pr0btBlCi": "forbidden",  # HTTP 403
    "Pr0dgBOwp": "ua_rejected",  # HTTP 432
    "Pr0f30w7e": "deleted",  # {"ok": 0, "msg": "target weibo does not exist!"}
    "Pr0gG5ban": "bad_json",  # HTTP 200, an HTML error page
}
WALLED_UID = 1750070171

VISITOR_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-type" content="text/html; charset=gb2312"/>
<title>Sina Visitor System</title>
</head>
<body>
<span id="message"></span>
<script type="text/javascript" src="/js/visitor/mini_original.js?v=20161116"></script>
<script type="text/javascript">
window.use_fp = "1" == "1";
var url = url || "https://passport.weibo.com/visitor/visitor?entry=miniblog&a=enter&url=https%3A%2F%2Fm.weibo.cn%2F&domain=weibo.com&ua=Mozilla&_rand=1746762000.1234&sudaref=";
var _a = setTimeout(function () { return_back(); }, 3000);
</script>
</body>
</html>
"""  # noqa: E501

ROBOTS_TXT = """# robots.txt of m.weibo.cn: search engines only
User-agent: Baiduspider
Disallow:

User-agent: 360Spider
Disallow:

User-agent: Sogou web spider
Disallow:

User-agent: YisouSpider
Disallow:

User-agent: *
Disallow: /
"""

_BAD_GATEWAY_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
    "</h1></center><hr><center>Tengine</center></body></html>"
)

#: the mids of the walled posts (bid -> mid)
WALL_MIDS = {
    "Pr04jjajE": "5164351234567890",
    "Pr066nPlb": "5164352345678901",
    "Pr07Tsu8c": "5164353456789012",
    "Pr09Gx6A3": "5164354567890123",
    "Pr0btBlCi": "5164355678901234",
    "Pr0dgBOwp": "5164356789012345",
    "Pr0f30w7e": "5164357890123456",
    "Pr0gG5ban": "5164358901234567",
}
