"""Feeds and sitemaps as seeds (README: "Feeds and sitemaps as seeds").

A seed whose response is an RSS/Atom feed or a sitemap (``urlset``, news sitemaps included,
or a ``sitemapindex``) stands for the pages it lists: each entry is crawled as a seed of its
own, within a date window (``FEED_MAX_AGE_DAYS``); sitemap indexes are followed down to
``FEED_SITEMAP_MAX_DEPTH``. The feed responses themselves are archived like any other.

RSS and Atom are read with feedparser (lenient with the broken feeds found in the wild),
sitemaps with lxml (``news:publication_date`` is read, which Scrapy's ``Sitemap`` drops).
"""

from __future__ import annotations

import gzip
import io
import logging
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
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
#: the sitemap protocol's limits: 50,000 URLs and 50 MB (uncompressed) per file
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
#: RSS/Atom items read from one feed (feedparser holds a whole feed in memory)
FEED_MAX_ITEMS = 5_000
_SNIFF_BYTES = 4096
_PROLOG_RE = re.compile(
    rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE
)
_ROOT_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_ITEM_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_CLOSERS = {"rss": b"</channel></rss>", "atom": b"</feed>", "rdf": b"</rdf:RDF>"}


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
    #: the feed lists more entries than were read (``limit`` of them, see parse_feed)
    more: bool = False
    limit: int = 0

    @property
    def is_sitemap_index(self) -> bool:
        return self.kind == "sitemapindex"


class _Capped(io.RawIOBase):
    """A file reading ``body``, gunzipped on the fly when it is a gzip file, that ends after
    ``limit`` bytes: a sitemap.xml.gz bomb never inflates past it."""

    def __init__(self, body: bytes, limit: int) -> None:
        self._source: Any = io.BytesIO(body)
        if body[:3] == b"\x1f\x8b\x08":
            self._source = gzip.GzipFile(fileobj=self._source)
        self._left = limit
        self.capped = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            self.capped = True
            return 0
        try:
            data = self._source.read(min(len(buffer), self._left))
        except (OSError, EOFError, zlib.error):  # a damaged gzip file: what came is read
            data = b""
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def _head(body: bytes, size: int = _SNIFF_BYTES) -> bytes:
    """The first bytes of the body, gunzipped if it is a gzip file (only that much)."""
    if body[:3] != b"\x1f\x8b\x08":
        return body[:size]
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body[:65536], size)
    except zlib.error:
        return body[:size]


def _read_capped(body: bytes, limit: int) -> bytes:
    return _Capped(body, limit).read()


def feed_kind(content_type: str | None, body: bytes) -> str | None:
    """What kind of feed a response is (``rss``, ``atom``, ``rdf``, ``urlset``,
    ``sitemapindex``), from its root element; None for anything else.

    :param content_type: the Content-Type header, if any (binary types are never feeds)
    :param body: the response body (a gzip file is looked into: its first bytes only)
    """
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime.startswith(_BINARY_PREFIXES):
        return None
    head = _head(body).lstrip(b"\xef\xbb\xbf")
    prolog = _PROLOG_RE.match(head)
    match = _ROOT_RE.match(head, prolog.end() if prolog else 0)
    if not match:
        return None
    return ROOT_KINDS.get(match.group(1).decode("ascii", "replace"))


def parse_feed(body: bytes, url: str, content_type: str | None = None,
               max_entries: int | None = None) -> Feed | None:
    """The entries of a feed or sitemap; None when the body is neither.

    At most ``max_entries`` are read (default: the sitemap protocol's 50,000 for a sitemap,
    ``FEED_MAX_ITEMS`` for RSS/Atom), and at most 50 MB once gunzipped; ``Feed.more`` says
    the feed lists more. Sitemaps are read as a stream (memory stays flat however long
    they are); entities are never expanded.

    :param body: the response body
    :param url: where it was fetched from (relative links are resolved against it)
    :param content_type: the Content-Type header, if any
    :param max_entries: the most entries to read
    """
    kind = feed_kind(content_type, body)
    if kind is None:
        return None
    if kind in SITEMAP_KINDS:
        limit = max_entries or SITEMAP_MAX_URLS
        entries, more = _sitemap_entries(body, url, limit)
        return Feed(kind, url, entries, more, limit)
    limit = max_entries or FEED_MAX_ITEMS
    body, more = _first_items(_read_capped(body, SITEMAP_MAX_BYTES), kind, limit)
    return Feed(kind, url, _feed_entries(body, url, content_type), more, limit)


def _first_items(body: bytes, kind: str, limit: int) -> tuple[bytes, bool]:
    """The feed cut before its item number ``limit + 1`` (feedparser reads a feed whole)."""
    for count, match in enumerate(_ITEM_RE.finditer(body)):
        if count == limit:
            return body[: match.start()] + _CLOSERS.get(kind, b""), True
    return body, False


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


def _sitemap_entries(body: bytes, url: str, limit: int) -> tuple[list[Entry], bool]:
    source = _Capped(body, SITEMAP_MAX_BYTES)
    entries: list[Entry] = []
    events = lxml.etree.iterparse(
        source, events=("end",), recover=True, resolve_entities=False, no_network=True,
        remove_comments=True, remove_pis=True, load_dtd=False)
    try:
        for _, element in events:
            if _local(element.tag) not in ("url", "sitemap"):
                continue
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # <url> directly under the root only
            if len(entries) >= limit:
                return entries, True
            entry = _sitemap_entry(element, url)
            if entry is not None:
                entries.append(entry)
            element.clear()
            while element.getprevious() is not None:  # keep the tree small
                del parent[0]
    except lxml.etree.XMLSyntaxError:
        pass  # what was read before the damage stands
    return entries, source.capped


def _sitemap_entry(element: Any, url: str) -> Entry | None:
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
    absolute = _joined(url, loc) if loc else None
    if absolute is None:
        return None
    return Entry(absolute, _parse_date(published) or _parse_date(lastmod), title)


def _joined(base: str, href: str) -> str | None:
    """``href`` made absolute, or None where urllib refuses it (``http://[``...): one bad
    entry is left out, not the feed."""
    try:
        absolute = urljoin(base, href)
        urlsplit(absolute)
    except ValueError:
        return None
    return absolute


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
    import feedparser  # in the worker that parses feeds, not in every crawl's main process

    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    entries = []
    for item in parsed.entries:
        link = item.get("feedburner_origlink") or item.get("link")
        if not link:
            guid = item.get("id") or ""
            link = guid if guid.lower().startswith(("http://", "https://")) else None
        absolute = _joined(url, link) if link else None
        if absolute is None:
            continue
        entries.append(Entry(absolute, _struct_date(item), item.get("title")))
    return entries


@dataclass
class Expansion:
    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    #: entries robots.txt disallows (not queued)
    refused: int = 0
    #: entries left out because the seed reached FEED_MAX_ENTRIES
    over_limit: int = 0
    #: one line on what the limits left out, for the log and the errors table; "" if nothing
    limited: str = ""
    #: the limits that applied (``robots.txt``, ``FEED_MAX_ENTRIES``, ``sitemap limit``...)
    limits: list[str] = field(default_factory=list)


class FeedExpander:
    """Decides which entries of the run's feeds are crawled: within the date window, not
    seeded already, each once, allowed by robots.txt, and at most ``max_entries`` per seed.

    :param max_age_days: entries dated before now minus this many days are skipped (undated
        ones are kept); 0 keeps everything
    :param max_depth: how many levels of sitemap indexes are followed below a seed
    :param seeded: canonical forms of the run's seed URLs (crawled anyway)
    :param max_entries: pages (and child sitemaps) queued per seed, over all its feeds and
        sitemaps (0: no cap)
    """

    def __init__(self, max_age_days: float = 7, max_depth: int = 2,
                 seeded: set[str] | None = None, crawler: Crawler | None = None,
                 max_entries: int = 0) -> None:
        self.max_age_days = max_age_days
        self.max_depth = max_depth
        self.crawler = crawler
        self.max_entries = max_entries
        self._seen = set(seeded or ())
        self._queued: dict[str, int] = {}  # seed -> pages queued for it

    @classmethod
    def from_crawler(cls, crawler: Crawler, seeded: set[str] | None = None) -> FeedExpander:
        settings = crawler.settings
        return cls(settings.getfloat("FEED_MAX_AGE_DAYS", 7),
                   settings.getint("FEED_SITEMAP_MAX_DEPTH", 2), seeded, crawler,
                   settings.getint("FEED_MAX_ENTRIES", 100))

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler is not None and count:
            self.crawler.stats.inc_value(key, count)

    def expand(self, feed: Feed, depth: int = 0, now: datetime | None = None,
               allowed: Callable[[str], bool] | None = None,
               seed: str | None = None) -> Expansion:
        """The pages (and, for a sitemap index, the sitemaps) to crawl from one feed.

        :param depth: sitemap-index levels above this feed (0 for a seed)
        :param allowed: robots.txt's verdict on a URL; entries it refuses are not queued
        :param seed: the seed the feed descends from (the cap counts per seed)
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
        seed = seed or feed.url
        queued = self._queued.get(seed, 0)
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
            if allowed is not None and not allowed(entry.url):
                result.refused += 1
                continue
            # Child sitemaps count too: an index of 50,000 sitemaps is 50,000 fetches.
            if self.max_entries and queued >= self.max_entries:
                result.over_limit += 1
                continue
            self._seen.add(key)
            queued += 1
            (result.sitemaps if feed.is_sitemap_index else result.pages).append(entry.url)
        self._queued[seed] = queued
        self._inc("feeds/entries", len(feed.entries))
        self._inc("feeds/entries_too_old", old)
        self._inc("feeds/entries_undated", undated)
        self._inc("feeds/entries_duplicate", known)
        self._inc("feeds/entries_robots_refused", result.refused)
        self._inc("feeds/entries_over_limit", result.over_limit)
        self._inc("feeds/entries_crawled", len(result.pages))
        _describe_limits(feed, result, self.max_entries)
        logger.info("Feed %s (%s): %d entries, %d to crawl, %d older than %s days, "
                    "%d already seeded or listed%s", feed.url, feed.kind, len(feed.entries),
                    len(result.pages) + len(result.sitemaps), old,
                    f"{self.max_age_days:g}", known,
                    f"; {result.limited}" if result.limited else "")
        return result


def _describe_limits(feed: Feed, result: Expansion, max_entries: int) -> None:
    parts = []
    if feed.more:
        what = "URLs" if feed.kind in SITEMAP_KINDS else "items"
        rule = ("the sitemap protocol's limit per file" if feed.kind in SITEMAP_KINDS
                else "FEED_MAX_ITEMS")
        parts.append(f"lists more than {feed.limit:,} {what}: only the first {feed.limit:,} "
                     f"were read ({rule})")
        result.limits.append("sitemap limit" if feed.kind in SITEMAP_KINDS else "feed limit")
    if result.refused:
        parts.append(f"{result.refused:,} entries disallowed by robots.txt, not queued")
        result.limits.append("robots.txt")
    if result.over_limit:
        parts.append(f"{result.over_limit:,} entries not queued: the seed reached "
                     f"FEED_MAX_ENTRIES ({max_entries:,})")
        result.limits.append("FEED_MAX_ENTRIES")
    result.limited = "; ".join(parts)


#: entries of one feed share a priority by blocks of this many (see entry_priority)
PRIORITY_BLOCK = 100


def entry_priority(index: int) -> int:
    """The request priority of a feed's entry number ``index``: below the seeds (0), and
    lower by one for each block of ``PRIORITY_BLOCK`` entries, so the entries of several
    feeds are fetched interleaved rather than one whole feed after another."""
    return -1 - index // PRIORITY_BLOCK
