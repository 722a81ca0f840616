"""Weibo walls: the answers of the status API that hold no post (README "Weibo").

Redirects to the Sina Visitor System (or its page with HTTP 200), ``{"ok": -100}``, JSON
without ``data`` (captcha), HTML instead of JSON, ``{"ok": 0}`` (deleted or too frequent),
HTTP 403, 418 and 432. :func:`api_data` gives the post's ``data`` or raises
:class:`WeiboUnavailable` with a short stable reason.
"""

from __future__ import annotations

import json
from typing import Any

from crawler.adapters.base import PageUnavailable, url_parts

__all__ = ["WALL_STATUSES", "WeiboUnavailable", "api_data", "is_visitor_page"]

_VISITOR_MARKERS = (b"Sina Visitor System", b"passport.weibo.com/visitor", b"/visitor/visitor?")

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
    parts = url_parts(location)
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
    if data is None and _is_status(answer):
        return answer  # weibo.com/ajax/statuses/show answers with the status itself
    if not isinstance(data, dict) or not data:
        raise WeiboUnavailable("no_data", detail=f"ok: {ok} without data {msg}".strip())
    return data


def _is_status(answer: dict[str, Any]) -> bool:
    return isinstance(answer.get("user"), dict) and isinstance(answer.get("text"), str) and any(
        answer.get(key) for key in ("mid", "idstr", "mblogid"))
