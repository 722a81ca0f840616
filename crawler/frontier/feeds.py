"""Feeds and sitemaps as seeds (README: "Feeds and sitemaps as seeds").

A seed whose response is an RSS/Atom feed or a sitemap (``urlset``, news sitemaps included,
or a ``sitemapindex``) stands for the pages it lists: each entry is crawled as a seed of its
own, within a date window (``FEED_MAX_AGE_DAYS``); sitemap indexes are followed down to
``FEED_SITEMAP_MAX_DEPTH``. The feed responses themselves are archived like any other.

RSS and Atom are read with feedparser (lenient with the broken feeds found in the wild),
sitemaps with lxml (``news:publication_date`` is read, which Scrapy's ``Sitemap`` drops).
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
from scrapy.utils.gz import gunzip
from w3lib.url import canonicalize_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["Entry", "Feed", "FeedExpander", "feed_kind", "parse_feed"]

logger = logging.getLogger(__name__)

#: root element (local name) -> kind
ROOT_KINDS = {
    "rss": "rss",
    "feed": "atom",
    "RDF": "rdf",
    "urlset": "urlset",
    "sitemapindex": "sitemapindex",
}
SITEMAP_KINDS = frozenset({"urlset", "sitemapindex"})
# Never feeds, whatever the bytes look like.
_BINARY_PREFIXES = ("image/", "audio/", "video/", "font/", "application/pdf")
_MAX_GUNZIP = 100 * 1024 * 1024  # the sitemap protocol's limit is 50 MB uncompressed
_SNIFF_BYTES = 4096
_PROLOG_RE = re.compile(
    rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE
)
_ROOT_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


@dataclass(frozen=True)
class Entry:
    """One page (or, in a sitemap index, one sitemap) a feed lists."""

    url: str
    #: publication date (news sitemaps, RSS pubDate, Atom published) else last modification;
    #: timezone-aware, UTC when the feed gives no offset
    date: datetime | None = None
    title: str | None = None


@dataclass
class Feed:
    kind: str  # rss | atom | rdf | urlset | sitemapindex
    url: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def is_sitemap_index(self) -> bool:
        return self.kind == "sitemapindex"


def _maybe_gunzip(body: bytes) -> bytes:
    # sitemap.xml.gz is served as a file (application/gzip), not Content-Encoding
    if body[:3] == b"\x1f\x8b\x08":
        try:
            return gunzip(body, max_size=_MAX_GUNZIP)
        except Exception:
            return body
    return body


def feed_kind(content_type: str | None, body: bytes) -> str | None:
    """What kind of feed a response is (``rss``, ``atom``, ``rdf``, ``urlset``,
    ``sitemapindex``), from its root element; None for anything else.

    :param content_type: the Content-Type header, if any (binary types are never feeds)
    :param body: the response body (a gzip file is looked into)
    """
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime.startswith(_BINARY_PREFIXES):
        return None
    head = _maybe_gunzip(body)[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf")
    prolog = _PROLOG_RE.match(head)
    match = _ROOT_RE.match(head, prolog.end() if prolog else 0)
    if not match:
        return None
    return ROOT_KINDS.get(match.group(1).decode("ascii", "replace"))


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed | None:
    """The entries of a feed or sitemap; None when the body is neither.

    :param body: the response body
    :param url: where it was fetched from (relative links are resolved against it)
    :param content_type: the Content-Type header, if any
    """
    kind = feed_kind(content_type, body)
    if kind is None:
        return None
    body = _maybe_gunzip(body)
    if kind in SITEMAP_KINDS:
        return Feed(kind, url, _sitemap_entries(body, url))
    return Feed(kind, url, _feed_entries(body, url, content_type))


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _sitemap_entries(body: bytes, url: str) -> list[Entry]:
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                                  remove_comments=True, huge_tree=True)
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries = []
    for element in root:
        if _local(element.tag) not in ("url", "sitemap"):
            continue
        loc = published = lastmod = title = None
        for child in element.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and child.getparent() is element:
                loc = text
            elif name == "lastmod":
                lastmod = text
            elif name == "publication_date":  # news:news/news:publication_date
                published = text
            elif name == "title" and not title:
                title = text or None
        if loc:
            date = _parse_date(published) or _parse_date(lastmod)
            entries.append(Entry(urljoin(url, loc), date, title))
    return entries


def _struct_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime(*parsed[:6], tzinfo=UTC)
    return None


def _feed_entries(body: bytes, url: str, content_type: str | None) -> list[Entry]:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # A file object, never bytes or str: feedparser would open those as a path or a URL.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    entries = []
    for item in parsed.entries:
        link = item.get("feedburner_origlink") or item.get("link")
        if not link:
            guid = item.get("id") or ""
            link = guid if urlsplit(guid).scheme in ("http", "https") else None
        if not link:
            continue
        entries.append(Entry(urljoin(url, link), _struct_date(item), item.get("title")))
    return entries


@dataclass
class Expansion:
    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


class FeedExpander:
    """Decides which entries of the run's feeds are crawled: within the date window, not
    seeded already, each once.

    :param max_age_days: entries dated before now minus this many days are skipped (undated
        ones are kept); 0 keeps everything
    :param max_depth: how many levels of sitemap indexes are followed below a seed
    :param seeded: canonical forms of the run's seed URLs (crawled anyway)
    """

    def __init__(self, max_age_days: float = 7, max_depth: int = 2,
                 seeded: set[str] | None = None, crawler: Crawler | None = None) -> None:
        self.max_age_days = max_age_days
        self.max_depth = max_depth
        self.crawler = crawler
        self._seen = set(seeded or ())

    @classmethod
    def from_crawler(cls, crawler: Crawler, seeded: set[str] | None = None) -> FeedExpander:
        settings = crawler.settings
        return cls(settings.getfloat("FEED_MAX_AGE_DAYS", 7),
                   settings.getint("FEED_SITEMAP_MAX_DEPTH", 2), seeded, crawler)

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler is not None and count:
            self.crawler.stats.inc_value(key, count)

    def expand(self, feed: Feed, depth: int = 0, now: datetime | None = None) -> Expansion:
        """The pages (and, for a sitemap index, the sitemaps) to crawl from one feed.

        :param depth: sitemap-index levels above this feed (0 for a seed)
        """
        self._inc(f"feeds/{feed.kind}")
        result = Expansion()
        if feed.is_sitemap_index and depth >= self.max_depth:
            logger.warning("Not following sitemap index %s: %d levels deep already "
                           "(FEED_SITEMAP_MAX_DEPTH)", feed.url, depth)
            self._inc("feeds/too_deep")
            return result
        cutoff = None
        if self.max_age_days > 0:
            cutoff = (now or datetime.now(UTC)) - timedelta(days=self.max_age_days)
        old = undated = known = 0
        for entry in feed.entries:
            if entry.date is None:
                undated += 1
            elif cutoff is not None and entry.date < cutoff:
                old += 1
                continue
            key = canonicalize_url(entry.url)
            if key in self._seen:
                known += 1
                continue
            self._seen.add(key)
            (result.sitemaps if feed.is_sitemap_index else result.pages).append(entry.url)
        self._inc("feeds/entries", len(feed.entries))
        self._inc("feeds/entries_too_old", old)
        self._inc("feeds/entries_undated", undated)
        self._inc("feeds/entries_duplicate", known)
        self._inc("feeds/entries_crawled", len(result.pages))
        logger.info("Feed %s (%s): %d entries, %d to crawl, %d older than %s days, "
                    "%d already seeded or listed", feed.url, feed.kind, len(feed.entries),
                    len(result.pages) + len(result.sitemaps), old,
                    f"{self.max_age_days:g}", known)
        return result
