"""Weibo posts through the mobile JSON API (README: "Weibo").

A status URL (``weibo.com/<uid>/<bid>``, ``m.weibo.cn/status/<bid>``, ``m.weibo.cn/detail/<mid>``,
``weibo.com/detail/<mid>``) is fetched as ``{WEIBO_API_BASE}/statuses/show?id=<bid>``; the
article is keyed by ``https://weibo.com/<uid>/<bid>``. Everything here is pure: it runs in
extraction workers and in offline replay. Ids and URL forms are in
:mod:`crawler.adapters.weibo_ids`, the walls in :mod:`crawler.adapters.weibo_walls` (both
re-exported here); the crawl-time side (retries, visitor cookies, rate limits) is
:mod:`crawler.fetch.weibo_session`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import lxml.html

from crawler.adapters import weibo_cn, weibo_pages
from crawler.adapters.base import Adapter
from crawler.adapters.weibo_ids import (
    HOSTS,
    StatusRef,
    api_endpoint,
    bid_to_mid,
    mid_to_bid,
    parse_status_url,
)
from crawler.adapters.weibo_text import SITENAME, hashtags, parse_created_at, status_text, title_of
from crawler.adapters.weibo_walls import (
    WALL_STATUSES,
    WeiboUnavailable,
    api_data,
    is_visitor_page,
)
from crawler.text.language import detect_language

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.settings import BaseSettings

__all__ = [
    "WALL_STATUSES",
    "StatusRef",
    "WeiboAdapter",
    "WeiboUnavailable",
    "api_data",
    "api_endpoint",
    "api_request",
    "article_from_long_text",
    "article_from_status",
    "bid_to_mid",
    "is_visitor_page",
    "mid_to_bid",
    "parse_created_at",
    "parse_status_url",
    "status_text",
    "with_long_text",
]


# Headers the m.weibo.cn web app sends with its XHRs; without a Referer the API answers 403.
API_HEADERS = {
    "Accept": "application/json, text/plain, */*",
    "Referer": "https://m.weibo.cn/",
    "X-Requested-With": "XMLHttpRequest",
    "MWeibo-Pwa": "1",
}

# --- articles --------------------------------------------------------------------------------


def _pics(status: dict[str, Any]) -> list[str]:
    pics = status.get("pics") or []
    if isinstance(pics, dict):  # sometimes an object keyed "0", "1"...
        pics = [pics[k] for k in sorted(pics, key=lambda k: int(k) if str(k).isdigit() else 0)]
    urls = []
    for pic in pics:
        if not isinstance(pic, dict):
            continue
        large = pic.get("large") if isinstance(pic.get("large"), dict) else {}
        url = large.get("url") or pic.get("url")
        if url and url not in urls:
            urls.append(url)
    return urls


def _page_info(status: dict[str, Any]) -> dict[str, Any] | None:
    info = status.get("page_info")
    if not isinstance(info, dict) or not info:
        return None
    urls = info.get("urls") if isinstance(info.get("urls"), dict) else {}
    media = info.get("media_info") if isinstance(info.get("media_info"), dict) else {}
    result = {
        "type": info.get("type") or info.get("object_type"),
        "url": info.get("page_url") or info.get("url_ori") or info.get("url"),
        "title": info.get("page_title") or info.get("title") or info.get("content1"),
        "media_url": media.get("stream_url_hd") or media.get("stream_url")
        or next(iter(urls.values()), None),
    }
    return {k: v for k, v in result.items() if v}


def _plain(value: Any) -> str | None:
    if not value:
        return None
    text = str(value)
    if "<" in text:
        text = lxml.html.fragment_fromstring(text, create_parent="div").text_content()
    return " ".join(text.split()) or None


def _ids(status: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    user = status.get("user") if isinstance(status.get("user"), dict) else {}
    uid = str(user["id"]) if user.get("id") else None
    mid = str(status.get("mid") or status.get("id") or "") or None
    bid = status.get("bid") or status.get("mblogid") or (
        mid_to_bid(mid) if mid and mid.isdigit() else None)
    if mid is None and bid:
        ref = StatusRef.from_id(bid)
        mid = ref.mid if ref else None
    return uid, mid, bid


def _retweeted(status: dict[str, Any]) -> dict[str, Any]:
    uid, mid, bid = _ids(status)
    user = status.get("user") if isinstance(status.get("user"), dict) else {}
    return {
        "text": status_text(status.get("text") or ""),
        "author": user.get("screen_name"),
        "uid": uid,
        "mid": mid,
        "bid": bid,
        "url": StatusRef(bid, uid).canonical_url if bid and uid else None,
        "published": parse_created_at(status.get("created_at")),
        "pics": _pics(status),
    }


def article_from_status(status: dict[str, Any], truncated: bool | None = None,
                        ) -> dict[str, Any]:
    """The article of one status object (the ``data`` of ``/statuses/show``).

    A long post (``isLongText``) comes with the truncated text; :func:`with_long_text` puts
    the whole text in.

    :param truncated: whether the text is the opening of a long post (default: the API's
        ``isLongText``; a post page says otherwise, see :mod:`crawler.adapters.weibo_pages`)
    """
    if truncated is None:
        truncated = bool(status.get("isLongText"))
    uid, mid, bid = _ids(status)
    user = status.get("user") if isinstance(status.get("user"), dict) else {}
    inline_pics: list[str] = []
    text = status_text(status.get("text") or "", inline_pics)
    pics = _pics(status)
    pics += [url for url in inline_pics if url not in pics]
    retweeted = status.get("retweeted_status")
    extra: dict[str, Any] = {
        "uid": uid,
        "mid": mid,
        "bid": bid,
        "screen_name": user.get("screen_name"),
        "reposts_count": status.get("reposts_count"),
        "comments_count": status.get("comments_count"),
        "attitudes_count": status.get("attitudes_count"),
        "pics": pics,
        "page_info": _page_info(status),
        "is_long_text": bool(status.get("isLongText")),
        "text_truncated": truncated,
        "source": _plain(status.get("source")),
        "region": _plain(status.get("region_name")),
        "is_repost": isinstance(retweeted, dict),
    }
    if isinstance(retweeted, dict):
        extra["retweeted"] = _retweeted(retweeted)
    return {
        "url": StatusRef(bid, uid).canonical_url if bid and uid else None,
        "title": title_of(text),
        "text": text,
        "author": user.get("screen_name"),
        "published": parse_created_at(status.get("created_at")),
        "sitename": SITENAME,
        "language": detect_language(text, "zh") if text else "zh",
        "tags": hashtags(text),
        "description": None,
        "image": pics[0] if pics else None,
        "extra": extra,
    }


def _long_text(extend_body: bytes, content_type: str | None = "application/json",
               ) -> tuple[dict[str, Any], str, list[str]]:
    data = api_data(extend_body, content_type)
    html = data.get("longTextContent")
    if not isinstance(html, str) or not html.strip():
        raise WeiboUnavailable("no_data", detail="statuses/extend without longTextContent")
    inline_pics: list[str] = []
    text = status_text(html, inline_pics)
    return data, text, inline_pics


def with_long_text(article: dict[str, Any], extend_body: bytes) -> dict[str, Any]:
    """The article of a long post with its whole text, from the ``/statuses/extend`` answer.

    :param article: what :func:`article_from_status` made of the ``/statuses/show`` answer
    :param extend_body: the ``/statuses/extend`` response body
    :raises WeiboUnavailable: when that answer is a wall
    """
    data, text, inline_pics = _long_text(extend_body)
    extra = dict(article.get("extra") or {})
    extra["text_truncated"] = False
    extra.pop("long_text_only", None)
    extra["pics"] = list(extra.get("pics") or []) + [
        url for url in inline_pics if url not in (extra.get("pics") or [])
    ]
    for key in ("reposts_count", "comments_count", "attitudes_count"):
        if data.get(key) is not None:
            extra[key] = data[key]
    return {
        **article,
        "title": title_of(text),
        "text": text,
        "language": detect_language(text, "zh"),
        "tags": hashtags(text),
        "extra": extra,
    }


def article_from_long_text(extend_body: bytes, post_id: str,
                           content_type: str | None = "application/json") -> dict[str, Any]:
    """The article of a ``/statuses/extend`` answer alone: a long post's whole text, where
    the ``/statuses/show`` answer (author, date, uid) is missing.

    Keyed by the post's status URL, ``https://m.weibo.cn/status/<bid>`` (the answer names no
    uid); ``extra.long_text_only`` says what is missing. :func:`with_long_text` of the show
    answer's article is the whole article.

    :param post_id: the ``id`` of the extend request (a mid, or a bid)
    :raises WeiboUnavailable: when the answer is a wall
    """
    data, text, pics = _long_text(extend_body, content_type)
    ref = StatusRef.from_id(post_id)
    bid = ref.bid if ref else None
    extra: dict[str, Any] = {
        "uid": None,
        "mid": bid_to_mid(bid) if bid else None,
        "bid": bid,
        "pics": pics,
        "is_long_text": True,
        "text_truncated": False,
        "long_text_only": True,
    }
    for key in ("reposts_count", "comments_count", "attitudes_count"):
        extra[key] = data.get(key)
    return {
        "url": ref.canonical_url if ref else None,
        "title": title_of(text),
        "text": text,
        "author": None,
        "published": None,
        "sitename": SITENAME,
        "language": detect_language(text, "zh"),
        "tags": hashtags(text),
        "description": None,
        "image": pics[0] if pics else None,
        "extra": extra,
    }


# --- the adapter -----------------------------------------------------------------------------


class WeiboAdapter(Adapter):
    """Weibo posts: seeds go to the JSON API; API answers become articles.

    Claims status URLs on weibo.com / weibo.cn and, on any host (the API base is a setting),
    ``/statuses/show`` and ``/statuses/extend`` URLs with an ``id``.
    """

    name = "weibo"
    hosts = HOSTS

    def matches(self, url: str, content_type: str | None = None) -> bool:
        if api_endpoint(url) is not None:
            mime = (content_type or "").split(";", 1)[0].strip().lower()
            # JSON, or the walls the API answers with (HTML visitor page, text/plain)
            return not mime.startswith(("image/", "audio/", "video/", "font/")) and mime not in (
                "application/pdf", "application/zip", "application/octet-stream"
            )
        return parse_status_url(url) is not None

    def canonical_url(self, url: str) -> str:
        ref = parse_status_url(url)
        if ref is None:
            endpoint = api_endpoint(url)
            ref = StatusRef.from_id(endpoint[1]) if endpoint else None
        return ref.canonical_url if ref else url

    def extract(self, body: bytes, url: str, content_type: str | None) -> dict[str, Any] | None:
        endpoint = api_endpoint(url)
        if endpoint is None:
            # A status page fetched as HTML: the visitor wall is no article; m.weibo.cn and
            # older weibo.com pages carry the post in a script; a weibo.cn post page is the
            # post above its comments; another page (a saved copy of the rendered page, a
            # logged-in fetch of today's weibo.com) goes the generic way.
            if is_visitor_page(body):
                raise WeiboUnavailable("visitor_system", detail="Sina Visitor System page")
            if any(marker in body for marker in weibo_pages.MARKERS):
                post = weibo_pages.page_post(_decoded(body, content_type))
                if post is not None:
                    return article_from_status(post.status, post.truncated)
            if b'class="ctt"' in body:
                tree = _parse(body, content_type)
                if tree is not None and weibo_cn.is_status_page(tree):
                    return weibo_cn.article_from_page(tree, url)
            return None
        if endpoint[0] == "extend":
            # The long text alone has no author, date or uid: still the post's whole text.
            # Where the /statuses/show answer is had too, with_long_text() merges the two.
            return article_from_long_text(body, endpoint[1], content_type)
        return article_from_status(api_data(body, content_type))

    def claims_html(self, tree: Any) -> bool:
        # a saved post page: weibo.cn's, or one that carries the post in a script
        return weibo_cn.is_status_page(tree) or weibo_pages.carries_post(tree)

    def start_request(self, seed_url: str, settings: BaseSettings) -> Request | None:
        ref = parse_status_url(seed_url)
        if ref is None:
            endpoint = api_endpoint(seed_url)
            if endpoint is None or endpoint[0] != "show":
                return None
            ref = StatusRef.from_id(endpoint[1])
            if ref is None:
                return None
        return api_request(ref.bid, "show", seed_url, settings)


def _decoded(body: bytes, content_type: str | None) -> str:
    from crawler.text.decode import decode_html

    return decode_html(body, content_type).text


def _parse(body: bytes, content_type: str | None) -> Any:
    from crawler.text.generic import parse_html

    return parse_html(_decoded(body, content_type))


def api_request(post_id: str, endpoint: str, seed_url: str, settings: BaseSettings,
                **meta: Any) -> Request:
    """A request to ``{WEIBO_API_BASE}/statuses/<endpoint>?id=<post_id>`` for one seed.

    Walls must reach the callback: redirects are not followed and every status is handled.
    """
    from scrapy import Request

    base = (settings.get("WEIBO_API_BASE") or "https://m.weibo.cn").rstrip("/")
    headers = dict(API_HEADERS)
    user_agent = settings.get("WEIBO_USER_AGENT")
    if user_agent:
        headers["User-Agent"] = user_agent
    return Request(
        f"{base}/statuses/{endpoint}?id={post_id}",
        headers=headers,
        dont_filter=True,
        meta={
            "seed_url": seed_url,
            "weibo": {"endpoint": endpoint, "attempt": 0, **meta},
            "dont_redirect": True,
            "handle_httpstatus_all": True,
            "dont_obey_robotstxt": not settings.getbool("WEIBO_OBEY_ROBOTSTXT", False),
        },
    )
