"""Weibo posts through the mobile JSON API (README: "Weibo").

A status URL (``weibo.com/<uid>/<bid>``, ``m.weibo.cn/status/<bid>``, ``m.weibo.cn/detail/<mid>``,
``weibo.com/detail/<mid>``) is fetched as ``{WEIBO_API_BASE}/statuses/show?id=<bid>``; the
article is keyed by ``https://weibo.com/<uid>/<bid>``. Everything here is pure: it runs in
extraction workers and in offline replay. The crawl-time side (walls, retries, visitor
cookies) is :mod:`crawler.adapters.weibo_session`.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

import lxml.html

from crawler.adapters.base import Adapter, PageUnavailable
from crawler.language import detect_language

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.settings import BaseSettings

__all__ = [
    "StatusRef",
    "WeiboAdapter",
    "WeiboUnavailable",
    "api_data",
    "api_endpoint",
    "api_request",
    "article_from_status",
    "bid_to_mid",
    "is_visitor_page",
    "mid_to_bid",
    "parse_created_at",
    "parse_status_url",
    "status_text",
    "with_long_text",
]

ALPHABET = string.digits + string.ascii_lowercase + string.ascii_uppercase
_INDEX = {char: i for i, char in enumerate(ALPHABET)}

SITENAME = "微博"
#: a title is the post's opening, as Weibo's own page titles are
TITLE_CHARS = 90

# Headers the m.weibo.cn web app sends with its XHRs; without a Referer the API answers 403.
API_HEADERS = {
    "Accept": "application/json, text/plain, */*",
    "Referer": "https://m.weibo.cn/",
    "X-Requested-With": "XMLHttpRequest",
    "MWeibo-Pwa": "1",
}

# Post ids are 9 characters today; older and test ones may be shorter.
_BID_RE = re.compile(r"^[0-9A-Za-z]{1,12}$")
_MID_RE = re.compile(r"^\d{15,19}$")
_UID_RE = re.compile(r"^\d{4,12}$")
# Pages under weibo.com/<uid>/ that are not posts.
_NOT_BIDS = frozenset({
    "profile", "info", "fans", "follow", "follows", "home", "photos", "album", "albums",
    "likes", "like", "feed", "favorite", "fav", "mywb", "video", "videos", "article",
    "articles", "about", "setting", "settings", "groups", "timeline", "weibo", "wenda",
})
_API_PATH_RE = re.compile(r"/(?:ajax/)?statuses/(show|extend|longtext)/?$")
_VISITOR_MARKERS = (b"Sina Visitor System", b"passport.weibo.com/visitor", b"/visitor/visitor?")
_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_CREATED_AT_RE = re.compile(
    r"^\w{3} (\w{3}) (\d{1,2}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d) (\d{4})$"
)
_EMOJI_ALT_RE = re.compile(r"^\[[^\[\]]{1,12}\]$")
_HASHTAG_RE = re.compile(r"#([^#\n]{1,64})#")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


# --- ids -------------------------------------------------------------------------------------


def _decode62(chunk: str) -> int:
    value = 0
    for char in chunk:
        value = value * 62 + _INDEX[char]
    return value


def _encode62(value: int) -> str:
    chars = ""
    while value:
        value, rest = divmod(value, 62)
        chars = ALPHABET[rest] + chars
    return chars or "0"


def bid_to_mid(bid: str) -> str:
    """A post's numeric id (mid) from its base62 id (bid): ``PqZVYv0xc`` -> ``5164346067390226``.

    :param bid: the id in ``weibo.com/<uid>/<bid>``
    :raises ValueError: on characters outside ``0-9a-zA-Z``
    """
    if not bid or any(char not in _INDEX for char in bid):
        raise ValueError(f"not a Weibo bid: {bid!r}")
    # 4-character chunks from the right; every chunk but the leftmost is 7 digits wide.
    chunks = [bid[max(0, end - 4) : end] for end in range(len(bid), 0, -4)][::-1]
    return str(_decode62(chunks[0])) + "".join(str(_decode62(c)).zfill(7) for c in chunks[1:])


def mid_to_bid(mid: str | int) -> str:
    """A post's base62 id (bid) from its numeric id (mid): ``5164346067390226`` -> ``PqZVYv0xc``.

    :raises ValueError: when ``mid`` is not all digits
    """
    digits = str(mid)
    if not digits.isdigit():
        raise ValueError(f"not a Weibo mid: {mid!r}")
    chunks = [digits[max(0, end - 7) : end] for end in range(len(digits), 0, -7)][::-1]
    return _encode62(int(chunks[0])) + "".join(_encode62(int(c)).zfill(4) for c in chunks[1:])


@dataclass(frozen=True)
class StatusRef:
    """A post as a URL names it: its bid, and its author's uid when the URL has it."""

    bid: str
    uid: str | None = None

    @classmethod
    def from_id(cls, post_id: str, uid: str | None = None) -> StatusRef | None:
        """From a bid or a mid (all digits, 15+ long), as the URL forms mix them."""
        if _MID_RE.match(post_id):
            return cls(mid_to_bid(post_id), uid)
        if _BID_RE.match(post_id) and post_id.lower() not in _NOT_BIDS:
            return cls(post_id, uid)
        return None

    @property
    def mid(self) -> str:
        return bid_to_mid(self.bid)

    @property
    def canonical_url(self) -> str:
        """``https://weibo.com/<uid>/<bid>``; without a uid, ``https://m.weibo.cn/status/<bid>``."""
        if self.uid:
            return f"https://weibo.com/{self.uid}/{self.bid}"
        return f"https://m.weibo.cn/status/{self.bid}"


def _is_weibo_host(host: str) -> bool:
    return any(host == h or host.endswith("." + h) for h in WeiboAdapter.hosts)


def parse_status_url(url: str) -> StatusRef | None:
    """The post a URL names, or None for any other URL (user pages, searches, the API).

    Forms: ``weibo.com/<uid>/<bid|mid>``, ``weibo.com/detail/<mid>``,
    ``m.weibo.cn/status/<bid|mid>``, ``m.weibo.cn/detail/<mid>``, ``m.weibo.cn/<uid>/<mid>``.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not _is_weibo_host((parts.hostname or "").lower()):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 2:
        return None
    first, post_id = segments
    if first in ("status", "detail"):
        return StatusRef.from_id(post_id)
    if _UID_RE.match(first):
        return StatusRef.from_id(post_id, first)
    return None


def api_endpoint(url: str) -> tuple[str, str] | None:
    """``("show" | "extend", id)`` for a status API URL on any host, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    match = _API_PATH_RE.search(parts.path)
    if not match:
        return None
    ids = parse_qs(parts.query).get("id")
    if not ids or not ids[0]:
        return None
    kind = "extend" if match.group(1) in ("extend", "longtext") else "show"
    return kind, ids[0]


# --- walls -----------------------------------------------------------------------------------


class WeiboUnavailable(PageUnavailable):
    """A Weibo API answer that holds no post: a wall (``kind="blocked"``) or a gone post.

    ``reason`` is a short stable code (``visitor_system``, ``login_required``, ``no_data``,
    ``bad_json``, ``rate_limited``, ``forbidden``, ``ua_rejected``, ``redirected``,
    ``too_frequent``; ``unavailable`` for deleted or hidden posts); ``detail`` says what the
    answer was.
    """

    def __init__(self, reason: str, kind: str = "blocked", detail: str = "") -> None:
        super().__init__(reason, kind)
        self.detail = detail

    def __reduce__(self):  # keep every field across process pools
        return (type(self), (self.reason, self.kind, self.detail))


#: HTTP statuses that are walls, not ordinary errors
WALL_STATUSES = {418: "rate_limited", 403: "forbidden", 432: "ua_rejected"}


def is_visitor_page(body: bytes) -> bool:
    """Whether an HTML body is the "Sina Visitor System" page (served with HTTP 200 too)."""
    head = body[:20000]
    return any(marker in head for marker in _VISITOR_MARKERS)


def _is_visitor_url(location: str) -> bool:
    parts = urlsplit(location)
    return "/visitor/" in parts.path or (
        (parts.hostname or "").startswith("passport.") and "visitor" in location
    )


def api_data(
    body: bytes, content_type: str | None = None, status: int = 200, location: str | None = None
) -> dict[str, Any]:
    """The ``data`` object of a status API answer.

    :param body: the response body (content-decoded)
    :param content_type: its Content-Type, if any
    :param status: the HTTP status (walls come as 3xx, 403, 418, 432 as well as 200)
    :param location: the Location header of a redirect
    :raises WeiboUnavailable: for a wall or a deleted post
    """
    if 300 <= status < 400:
        if location and _is_visitor_url(location):
            raise WeiboUnavailable("visitor_system", detail=f"HTTP {status} to {location}")
        raise WeiboUnavailable("redirected", detail=f"HTTP {status} to {location or '?'}")
    if status in WALL_STATUSES:
        raise WeiboUnavailable(WALL_STATUSES[status], detail=f"HTTP {status}")
    head = body.lstrip()[:1]
    if head not in (b"{", b"[") and is_visitor_page(body):
        raise WeiboUnavailable("visitor_system", detail=f"HTTP {status} Sina Visitor System page")
    try:
        answer = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        kind = (content_type or "no content type").split(";", 1)[0]
        raise WeiboUnavailable("bad_json", detail=f"HTTP {status} {kind}: {exc}") from None
    if not isinstance(answer, dict):
        raise WeiboUnavailable("bad_json", detail=f"HTTP {status}: not a JSON object")
    ok = answer.get("ok")
    msg = str(answer.get("msg") or answer.get("message") or "")
    if ok == -100:
        raise WeiboUnavailable("login_required", detail=f"ok: -100 {answer.get('url', '')}".strip())
    if ok == 0 or ok is False:
        if "频繁" in msg:
            raise WeiboUnavailable("too_frequent", detail=f"ok: 0 {msg}")
        errno = answer.get("errno") or answer.get("error_code") or ""
        raise WeiboUnavailable("unavailable", kind="deleted",
                               detail=f"ok: 0 {errno} {msg}".replace("  ", " ").strip())
    data = answer.get("data")
    if not isinstance(data, dict) or not data:
        raise WeiboUnavailable("no_data", detail=f"ok: {ok} without data {msg}".strip())
    return data


# --- text ------------------------------------------------------------------------------------


def _link_target(href: str) -> str:
    # "网页链接" goes through Weibo's redirector: weibo.cn/sinaurl?u=<target>
    parts = urlsplit(href)
    if "sinaurl" in parts.path or parts.path.rstrip("/").endswith("/redirect"):
        query = parse_qs(parts.query)
        for key in ("u", "url", "toasturl"):
            if query.get(key):
                return unquote(query[key][0])
    return href


def _render(element: Any, out: list[str], pics: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        out.append("\n")
    elif tag == "img":
        alt = (element.get("alt") or "").strip()
        if _EMOJI_ALT_RE.match(alt):
            out.append(alt)
        elif "/large/" in (element.get("src") or ""):
            pics.append(element.get("src"))
    elif tag == "a":
        text = " ".join(element.text_content().split())
        href = element.get("href") or ""
        if text in ("全文", "...全文") and "/status/" in href:
            pass  # the "read more" link of a truncated long post
        elif text.endswith("网页链接") and href:
            out.append(_link_target(href))
        else:
            out.append(text)
    elif tag in ("script", "style"):
        pass
    else:
        if tag in ("p", "div") and out and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(element.text or "")
        for child in element:
            _render(child, out, pics)
    if element.tail:
        out.append(element.tail)


def status_text(html: str, pics: list[str] | None = None) -> str:
    """A post's HTML (``text``, ``longTextContent``) as clean plain text.

    ``<br>`` and newlines end lines; links become their text (hashtags and @mentions stay as
    written, "网页链接" becomes the link's target); emoji images become their ``[alt]``;
    pictures are dropped from the text (their large URLs are appended to ``pics``).
    """
    if not html or not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    out: list[str] = []
    _render(root, out, pics if pics is not None else [])
    text = "".join(out).translate(_INVISIBLE).replace("\xa0", " ")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _title(text: str) -> str | None:
    flat = "".join(text.splitlines()).strip()
    if not flat:
        return None
    return flat if len(flat) <= TITLE_CHARS else flat[:TITLE_CHARS] + "..."


def parse_created_at(value: str | None) -> str | None:
    """``Wed Oct 19 23:44:36 +0800 2022`` -> ``2022-10-19T23:44:36+08:00`` (offset kept)."""
    if not value:
        return None
    match = _CREATED_AT_RE.match(value.strip())
    if not match:
        try:  # some endpoints already give ISO 8601
            return datetime.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    month, day, hh, mm, ss, sign, oh, om, year = match.groups()
    if month not in _MONTHS:
        return None
    offset = timedelta(hours=int(oh), minutes=int(om)) * (-1 if sign == "-" else 1)
    moment = datetime(int(year), _MONTHS[month], int(day), int(hh), int(mm), int(ss),
                      tzinfo=timezone(offset))
    return moment.isoformat()


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
    bid = status.get("bid") or (mid_to_bid(mid) if mid and mid.isdigit() else None)
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


def article_from_status(status: dict[str, Any]) -> dict[str, Any]:
    """The article of one status object (the ``data`` of ``/statuses/show``).

    A long post (``isLongText``) comes with the truncated text; :func:`with_long_text` puts
    the whole text in.
    """
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
        "text_truncated": bool(status.get("isLongText")),
        "source": _plain(status.get("source")),
        "region": _plain(status.get("region_name")),
        "is_repost": isinstance(retweeted, dict),
    }
    if isinstance(retweeted, dict):
        extra["retweeted"] = _retweeted(retweeted)
    return {
        "url": StatusRef(bid, uid).canonical_url if bid and uid else None,
        "title": _title(text),
        "text": text,
        "author": user.get("screen_name"),
        "published": parse_created_at(status.get("created_at")),
        "sitename": SITENAME,
        "language": detect_language(text, "zh") if text else "zh",
        "tags": _hashtags(text),
        "description": None,
        "image": pics[0] if pics else None,
        "extra": extra,
    }


def _hashtags(text: str) -> list[str]:
    tags: list[str] = []
    for tag in _HASHTAG_RE.findall(text):
        tag = tag.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def with_long_text(article: dict[str, Any], extend_body: bytes) -> dict[str, Any]:
    """The article of a long post with its whole text, from the ``/statuses/extend`` answer.

    :param article: what :func:`article_from_status` made of the ``/statuses/show`` answer
    :param extend_body: the ``/statuses/extend`` response body
    :raises WeiboUnavailable: when that answer is a wall
    """
    data = api_data(extend_body, "application/json")
    html = data.get("longTextContent")
    if not isinstance(html, str) or not html.strip():
        raise WeiboUnavailable("no_data", detail="statuses/extend without longTextContent")
    inline_pics: list[str] = []
    text = status_text(html, inline_pics)
    extra = dict(article.get("extra") or {})
    extra["text_truncated"] = False
    extra["pics"] = list(extra.get("pics") or []) + [
        url for url in inline_pics if url not in (extra.get("pics") or [])
    ]
    for key in ("reposts_count", "comments_count", "attitudes_count"):
        if data.get(key) is not None:
            extra[key] = data[key]
    return {
        **article,
        "title": _title(text),
        "text": text,
        "language": detect_language(text, "zh"),
        "tags": _hashtags(text),
        "extra": extra,
    }


# --- the adapter -----------------------------------------------------------------------------


class WeiboAdapter(Adapter):
    """Weibo posts: seeds go to the JSON API; API answers become articles.

    Claims status URLs on weibo.com / weibo.cn and, on any host (the API base is a setting),
    ``/statuses/show`` and ``/statuses/extend`` URLs with an ``id``.
    """

    name = "weibo"
    hosts = ("weibo.com", "weibo.cn")

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
            # A status page fetched as HTML: the visitor wall is no article; a real page
            # (a saved copy, a logged-in fetch) goes the generic way.
            if is_visitor_page(body):
                raise WeiboUnavailable("visitor_system", detail="Sina Visitor System page")
            return None
        data = api_data(body, content_type)
        if endpoint[0] == "extend":
            # The long text alone has no author, date or uid: with_long_text() merges it
            # into the article of the /statuses/show answer.
            return None
        return article_from_status(data)

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
