"""The worker side of ``crawler replay``: one stored capture -> its article.

Runs in extraction worker processes (``crawler.extract.pool``); tasks are small (where the
record is), the worker reads the record itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.adapters.base import PageUnavailable
from crawler.extract.articles import (
    build_article,
    complete_article,
    completes,
    extractable,
    superseded_by,
)
from crawler.extract.guard import DEFAULT_EXTRACT_MAX_BYTES, extract_refusal
from crawler.frontier.feeds import feed_kind
from crawler.warc.capture import decoded_body
from crawler.warc.reader import record_at

__all__ = ["PRELOAD", "Task", "extract_capture"]

# What a worker imports once, before its first page.
PRELOAD = ("crawler.extract.articles", "crawler.replay.worker")


@dataclass(frozen=True)
class Task:
    """One capture to extract, as sent to a worker (small: the worker reads the record)."""

    payload_path: str  # the record holding the payload (for a revisit: the one it names)
    payload_offset: int
    url: str
    content_type: str | None
    seed_url: str | None
    capture_id: int | None
    fetched_at: str | None
    # The other captures of the same seed, (url, path, offset, capture id): an article the
    # live crawl completes with a second request is completed from them.
    related: tuple[tuple[str, str, int, int], ...] = ()
    max_bytes: int = DEFAULT_EXTRACT_MAX_BYTES  # EXTRACT_MAX_BYTES


def extract_capture(task: Task) -> tuple[str, dict[str, Any] | None]:
    """Run in a worker: read one record and build its article.

    :return: ``("article", row)``, ``("skipped", why)`` for a body that is archived but never
        extracted (partial, too large, undecodable), or ``(reason, None)``: ``"none"`` (no
        article found), ``"not_html"`` or ``"feed"``
    """
    record = record_at(task.payload_path, task.payload_offset)
    truncated = record.header("WARC-Truncated")
    if truncated:  # as the live spider: part of a page is never an article
        return "skipped", extract_refusal(b"", None, truncated)
    try:
        body = decoded_body(record)
    except Exception as exc:  # a compression bomb, a body that says gzip and is not
        return "skipped", f"the body cannot be decoded ({type(exc).__name__}: {exc})"
    # As the spider's parse(): a feed or sitemap stands for the pages it lists (their own
    # captures, with their own seeds); other bodies go through the one gate.
    if feed_kind(task.content_type, body):
        return "feed", None
    if not extractable(task.content_type, body, task.url):
        return "not_html", None
    refusal = extract_refusal(body, task.max_bytes)
    if refusal:
        return "skipped", refusal
    article = build_article(body, task.url, task.content_type, task.seed_url,
                            task.capture_id, task.fetched_at)
    if article is None:
        return "none", None
    for url, path, offset, capture_id in task.related:
        if completes(article, url):
            article = complete_article(article, decoded_body(record_at(path, offset)),
                                       capture_id)
            break
        if superseded_by(article, url) and _has_article(url, path, offset, task):
            # A long post's /statuses/extend answer, whose /statuses/show answer is here
            # too: that capture's article, completed with this one, is the post's.
            return "none", None
    return "article", article


def _has_article(url: str, path: str, offset: int, task: Task) -> bool:
    try:
        other = build_article(decoded_body(record_at(path, offset)), url, task.content_type,
                              task.seed_url)
    except (PageUnavailable, ValueError):
        return False
    return other is not None


def warm_up() -> None:
    """A no-op task: starts a worker while the parent reads the files."""
