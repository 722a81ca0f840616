"""The text of Weibo posts: a post's HTML as plain text, its title, hashtags and time.

Shared by the API answers (:mod:`crawler.adapters.weibo`), the weibo.cn pages
(:mod:`crawler.adapters.weibo_cn`) and the post pages that carry the post in a script
(:mod:`crawler.adapters.weibo_pages`). Pure functions.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, unquote

import lxml.html

from crawler.adapters.base import url_parts

__all__ = ["SITENAME", "TITLE_CHARS", "hashtags", "parse_created_at", "status_text", "title_of"]

SITENAME = "微博"
#: a title is the post's opening, as Weibo's own page titles are
TITLE_CHARS = 90

_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_CREATED_AT_RE = re.compile(
    r"^\w{3} (\w{3}) (\d{1,2}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d) (\d{4})$"
)
_EMOJI_ALT_RE = re.compile(r"^\[[^\[\]]{1,12}\]$")
_HASHTAG_RE = re.compile(r"#([^#\n]{1,64})#")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# The "read more" controls of a truncated long post: m.weibo.cn's link to the status, the
# desktop site's "展开全文" link and its API's "展开" span.
_READ_MORE = frozenset({"全文", "...全文", "展开全文", "展开全文c"})


def _link_target(href: str) -> str:
    # "网页链接" goes through Weibo's redirector: weibo.cn/sinaurl?u=<target>
    parts = url_parts(href)
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
        if text in _READ_MORE and ("/status/" in href or element.get("action-type")):
            pass
        elif text.endswith("网页链接") and href:
            out.append(_link_target(href))
        else:
            out.append(text)
    elif tag in ("script", "style") or (tag == "span" and element.get("class") == "expand"):
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


def title_of(text: str) -> str | None:
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


def hashtags(text: str) -> list[str]:
    """The #hashtags# of a post's text, in order, each once."""
    tags: list[str] = []
    for tag in _HASHTAG_RE.findall(text):
        tag = tag.strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags
