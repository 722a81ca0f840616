"""Weibo post pages that carry the post in a script instead of their markup (README: "Weibo").

- m.weibo.cn's post pages (``/detail/<mid>``, ``/status/<bid>``) hold the API's status object
  in ``var $render_data = [{"status": {...}, ...}][0] || {};``, with the whole text of a long
  post.
- weibo.com's post pages before its 2020 redesign are a shell filled by pagelets,
  ``FM.view({"ns": "pl.content.weiboDetail.index", "domid": ..., "html": "..."})``
  (``STK.pageletM.view({"pid": "pl_content_weiboDetail", ...})`` before 2013), whose ``html``
  the page's scripts insert. The post is in the weiboDetail pagelet: its text in
  ``[node-type=feed_list_content]`` (``feed_list_content_full`` for a long post), the author
  in ``nick-name``, the time in ``[node-type=feed_list_item_date]/@date`` (milliseconds), the
  original of a repost in ``[node-type=feed_list_forwardContent]``.

On such a page the generic path finds no post (the text is in a script) or only the page's
chrome. Both forms become a status object shaped like the API's, for
:func:`crawler.adapters.weibo.article_from_status`. Pure functions.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, NamedTuple

import lxml.html

from crawler.adapters.base import url_parts
from crawler.adapters.weibo_ids import mid_to_bid

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["MARKERS", "PagePost", "carries_post", "page_post"]

#: bytes that a page carrying a post in a script has; pages without them are not looked at
MARKERS = (b"$render_data", b"FM.view(", b"pageletM.view(")

_DECODER = json.JSONDecoder(strict=False)  # the pages' JSON has raw newlines in strings
_RENDER_DATA_RE = re.compile(r"\$render_data\s*=\s*(?=[\[{])")
_PAGELET_RE = re.compile(r"(?:FM\.view|STK\.pageletM\.view)\(\s*(?=\{)")
_DETAIL_PAGELET = "weibodetail"
_TRUNCATED_RE = re.compile(r">\s*(?:\.\.\.)?全文\s*</a>")
_UID_RE = re.compile(r"(?:ouid|\bid)=(\d{4,12})")
_STATUS_PATH_RE = re.compile(r"^/(\d{4,12})/([0-9A-Za-z]{8,10})(?:[/?#]|$)")
_CHINA_TIME = timezone(timedelta(hours=8))
_PIC_SIZE_RE = re.compile(r"/(?:thumb\d+|orj\d+|mw\d+|bmiddle|square|small|thumbnail)/")
_CARRIES_POST_XPATH = (
    'boolean(//script[contains(., "$render_data") or contains(., "weiboDetail")])'
)


class PagePost(NamedTuple):
    """The post a page carries: a status object as the API gives it, and whether its text
    is the opening of a long post (the rest is behind a "全文" link)."""

    status: dict[str, Any]
    truncated: bool


def carries_post(tree: HtmlElement) -> bool:
    """Whether a parsed page may carry a Weibo post in a script (a saved copy on any host)."""
    return bool(tree.xpath(_CARRIES_POST_XPATH))


def page_post(html: str) -> PagePost | None:
    """The post of an m.weibo.cn or older weibo.com post page, or None for another page."""
    return _render_data_post(html) or _pagelet_post(html)


def _json_at(text: str, start: int) -> Any:
    try:
        return _DECODER.raw_decode(text, start)[0]
    except ValueError:
        return None


# --- m.weibo.cn ------------------------------------------------------------------------------


def _render_data_post(html: str) -> PagePost | None:
    match = _RENDER_DATA_RE.search(html)
    if match is None:
        return None
    data = _json_at(html, match.end())
    if isinstance(data, list):
        data = data[0] if data else None
    status = data.get("status") if isinstance(data, dict) else None
    if not isinstance(status, dict) or not (status.get("text") or status.get("longText")):
        return None
    long_text = status.get("longText")
    if isinstance(long_text, dict) and long_text.get("longTextContent"):
        return PagePost({**status, "text": long_text["longTextContent"]}, truncated=False)
    return PagePost(status, truncated=bool(_TRUNCATED_RE.search(str(status.get("text") or ""))))


# --- weibo.com pagelets ----------------------------------------------------------------------


def _detail_pagelet(html: str) -> str | None:
    for match in _PAGELET_RE.finditer(html):
        pagelet = _json_at(html, match.end())
        if not isinstance(pagelet, dict) or not isinstance(pagelet.get("html"), str):
            continue
        name = " ".join(str(pagelet.get(key) or "") for key in ("ns", "pid", "domid"))
        if _DETAIL_PAGELET in name.lower():
            return pagelet["html"]
    return None


def _first(root: HtmlElement, node_type: str, outside: HtmlElement | None = None,
           ) -> HtmlElement | None:
    for element in root.iterfind(f'.//*[@node-type="{node_type}"]'):
        if outside is None or not any(a is outside for a in element.iterancestors()):
            return element
    return None


def _published(date_link: HtmlElement | None) -> str | None:
    if date_link is None:
        return None
    millis = date_link.get("date") or ""
    if millis.isdigit():
        return datetime.fromtimestamp(int(millis) / 1000, _CHINA_TIME).isoformat()
    shown = (date_link.get("title") or "").strip()  # "2017-08-01 12:34", China time
    try:
        return datetime.fromisoformat(shown).replace(tzinfo=_CHINA_TIME).isoformat()
    except ValueError:
        return None


def _author(block: HtmlElement, text_element: HtmlElement) -> tuple[str | None, str | None]:
    """(screen name, uid) of the post whose text is ``text_element``, inside ``block``."""
    name = text_element.get("nick-name")
    uid = None
    info = next(block.iterfind('.//*[@class="WB_info"]'), None)
    link = next(info.iter("a"), None) if info is not None else None
    if link is not None:
        name = name or link.get("nick-name") or link.text_content().strip().lstrip("@")
        found = _UID_RE.search(link.get("usercard") or "")
        uid = found.group(1) if found else None
    return (name or None), uid


def _post_of(block: HtmlElement, text_element: HtmlElement, date_link: HtmlElement | None,
             ) -> dict[str, Any]:
    name, uid = _author(block, text_element)
    bid = None
    href = (date_link.get("href") or "") if date_link is not None else ""
    path = _STATUS_PATH_RE.match(url_parts(href).path)
    if path:
        uid, bid = uid or path.group(1), path.group(2)
    return {
        "text": lxml.html.tostring(text_element, encoding="unicode", with_tail=False),
        "created_at": _published(date_link),
        "user": {"id": uid, "screen_name": name} if (uid or name) else None,
        "bid": bid,
    }


def _pagelet_post(html: str) -> PagePost | None:
    pagelet = _detail_pagelet(html)
    if not pagelet or not pagelet.strip():
        return None
    root = lxml.html.fragment_fromstring(pagelet, create_parent="div")
    forward = _first(root, "feed_list_forwardContent")
    full = _first(root, "feed_list_content_full", outside=forward)
    text_element = full if full is not None else _first(root, "feed_list_content", outside=forward)
    if text_element is None:
        return None
    # without the full text, a long post shows its opening and a "展开全文" link
    truncated = full is None and bool(text_element.xpath('.//a[@action-type="fl_unfold"]'))
    item = next(root.iterfind('.//*[@mid]'), root)
    status = _post_of(item, text_element, _first(root, "feed_list_item_date", outside=forward))
    found = _UID_RE.search(item.get("tbinfo") or "")
    if found and status["user"] is not None:
        status["user"]["id"] = status["user"]["id"] or found.group(1)
    mid = item.get("mid")
    status["mid"] = mid
    status["bid"] = status["bid"] or (mid_to_bid(mid) if mid and mid.isdigit() else None)
    status["pics"] = [{"url": _PIC_SIZE_RE.sub("/large/", src, count=1)}
                      for src in item.xpath('.//*[@node-type="feed_list_media_prev"]//img/@src')]
    if forward is not None:
        original = _first(forward, "feed_list_reason_full")
        if original is None:
            original = _first(forward, "feed_list_reason")
        if original is not None:
            status["retweeted_status"] = _post_of(
                forward, original, _first(forward, "feed_list_item_date"))
    return PagePost(status, truncated)
