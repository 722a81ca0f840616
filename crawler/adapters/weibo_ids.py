"""Weibo post ids and URLs: bid <-> mid (base62), the URL forms of a post, API endpoints.

``weibo.com/<uid>/<bid>``, ``weibo.com/detail/<mid>``, ``m.weibo.cn/status/<bid|mid>``,
``m.weibo.cn/detail/<mid>`` name a post; ``/statuses/show?id=`` and ``/statuses/extend?id=``
on any host are the API. Pure functions: used by the adapter, its walls and the crawl.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from urllib.parse import parse_qs

from crawler.adapters.base import url_parts

__all__ = ["HOSTS", "StatusRef", "api_endpoint", "bid_to_mid", "mid_to_bid", "parse_status_url"]

#: hosts whose status pages the adapter claims (and any subdomain)
HOSTS = ("weibo.com", "weibo.cn")

ALPHABET = string.digits + string.ascii_lowercase + string.ascii_uppercase
_INDEX = {char: i for i, char in enumerate(ALPHABET)}

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
# weibo.cn (the older HTML mobile site, not m.weibo.cn) shows a post above its comments,
# reposts or likes at these paths.
_WEIBO_CN_HOSTS = frozenset({"weibo.cn", "www.weibo.cn"})
_WEIBO_CN_POST_PATHS = frozenset({"comment", "repost", "attitude"})
_API_PATH_RE = re.compile(r"/(?:ajax/)?statuses/(show|extend|longtext)/?$")


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
    return any(host == h or host.endswith("." + h) for h in HOSTS)


def parse_status_url(url: str) -> StatusRef | None:
    """The post a URL names, or None for any other URL (user pages, searches, the API).

    Forms: ``weibo.com/<uid>/<bid|mid>``, ``weibo.com/detail/<mid>``,
    ``m.weibo.cn/status/<bid|mid>``, ``m.weibo.cn/detail/<mid>``, ``m.weibo.cn/<uid>/<mid>``,
    and the older HTML site's ``weibo.cn/{status,comment,repost,attitude}/<bid>``.
    """
    parts = url_parts(url)
    if not _is_weibo_host((parts.hostname or "").lower()):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != 2:
        return None
    first, post_id = segments
    if first in ("status", "detail"):
        return StatusRef.from_id(post_id)
    if first in _WEIBO_CN_POST_PATHS and (parts.hostname or "").lower() in _WEIBO_CN_HOSTS:
        return StatusRef.from_id(post_id)
    if _UID_RE.match(first):
        return StatusRef.from_id(post_id, first)
    return None


def api_endpoint(url: str) -> tuple[str, str] | None:
    """``("show" | "extend", id)`` for a status API URL on any host, else None."""
    parts = url_parts(url)
    match = _API_PATH_RE.search(parts.path)
    if not match:
        return None
    ids = parse_qs(parts.query).get("id")
    if not ids or not ids[0]:
        return None
    kind = "extend" if match.group(1) in ("extend", "longtext") else "show"
    return kind, ids[0]


