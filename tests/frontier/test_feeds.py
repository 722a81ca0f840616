"""Feeds and sitemaps as seeds (crawler.frontier.feeds): parsing, the date window, and a crawl that
expands an RSS feed and a sitemap index served by the local fixture site."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import sqlite_utils

from crawler.demo.site.pages import (
    BLOG_PATH,
    FRENCH_REDIRECT_PATH,
    NETEASE_PATH,
    XINZHIYUAN_PATH,
    Page,
    build_site,
)
from crawler.demo.site.server import FixtureServer
from crawler.demo.site.weibo_api import WeiboApiServer
from crawler.demo.site.weibo_posts import MAIN_BID, MAIN_UID
from crawler.frontier.feeds import Entry, Feed, FeedExpander, feed_kind, parse_feed
from crawler.warc.reader import iter_records

NOW = datetime(2025, 5, 9, 12, 0, tzinfo=UTC)
BASE = "https://news.example.com"


def rss(items: list[tuple[str, datetime | None]], extra: str = "") -> bytes:
    entries = "".join(
        f"<item><title>t{i}</title><link>{link}</link>"
        + (f"<pubDate>{format_datetime(date)}</pubDate>" if date else "")
        + "</item>"
        for i, (link, date) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<?xml-stylesheet type="text/xsl" href="/rss.xsl"?>\n'
        "<!-- generated -->\n"
        '<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">'
        f"<channel><title>News</title><link>{BASE}/</link>{extra}{entries}</channel></rss>"
    ).encode()


def sitemap(urls: list[tuple[str, str | None, str | None]]) -> bytes:
    """(loc, lastmod, news publication date)"""
    body = "".join(
        f"<url><loc>{loc}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + (f"<news:news><news:publication><news:name>N</news:name><news:language>zh"
           f"</news:language></news:publication><news:publication_date>{published}"
           f"</news:publication_date><news:title>T</news:title></news:news>"
           if published else "")
        + f"<image:image><image:loc>{loc}.jpg</image:loc></image:image></url>"
        for loc, lastmod, published in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
        f"{body}</urlset>"
    ).encode()


def sitemap_index(locs: list[tuple[str, str | None]]) -> bytes:
    body = "".join(
        f"<sitemap><loc>{loc}</loc>" + (f"<lastmod>{mod}</lastmod>" if mod else "")
        + "</sitemap>" for loc, mod in locs
    )
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>').encode()


# --- recognising feeds -------------------------------------------------------------------


def test_feed_kinds_come_from_the_root_element():
    assert feed_kind("application/rss+xml", rss([])) == "rss"
    assert feed_kind("text/xml", rss([])) == "rss"
    assert feed_kind("text/html", rss([])) == "rss"  # mislabelled feeds exist
    atom = b'\xef\xbb\xbf<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>'
    assert feed_kind("application/atom+xml", atom) == "atom"
    rdf = b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'
    assert feed_kind(None, rdf) == "rdf"
    assert feed_kind("application/xml", sitemap([])) == "urlset"
    assert feed_kind("application/xml", sitemap_index([])) == "sitemapindex"
    assert feed_kind("application/gzip", gzip.compress(sitemap([]))) == "urlset"
    assert feed_kind("text/html", b"<!DOCTYPE html><html><head><title>x</title>") is None
    assert feed_kind("application/xhtml+xml", b'<?xml version="1.0"?><html xmlns="x">') is None
    assert feed_kind("application/json", b'{"ok": 1}') is None
    assert feed_kind("image/svg+xml", b"<rss>") is None
    assert feed_kind(None, b"") is None


# --- parsing -----------------------------------------------------------------------------


def test_rss_entries_with_dates_and_relative_links():
    body = rss([(f"{BASE}/a.html", NOW), ("/b.html", NOW - timedelta(days=30)),
                (f"{BASE}/c.html", None)])
    feed = parse_feed(body, f"{BASE}/feed.xml", "application/rss+xml")
    assert feed.kind == "rss"
    assert [e.url for e in feed.entries] == [f"{BASE}/a.html", f"{BASE}/b.html",
                                             f"{BASE}/c.html"]
    assert feed.entries[0].date == NOW
    assert feed.entries[1].date == NOW - timedelta(days=30)
    assert feed.entries[2].date is None
    assert feed.entries[0].title == "t0"


def test_an_entry_whose_link_urllib_refuses_is_left_out_not_the_feed():
    body = rss([(f"{BASE}/a.html", NOW), ("http://[broken/b.html", NOW), (f"{BASE}/c.html", NOW)])
    feed = parse_feed(body, f"{BASE}/feed.xml", "application/rss+xml")
    assert [e.url for e in feed.entries] == [f"{BASE}/a.html", f"{BASE}/c.html"]
    body = sitemap([(f"{BASE}/a.html", None, None), ("http://[::1/b.html", None, None)])
    assert [e.url for e in parse_feed(body, f"{BASE}/sitemap.xml").entries] == [f"{BASE}/a.html"]


def test_feedburner_original_link_wins():
    body = (b'<?xml version="1.0"?><rss version="2.0" '
            b'xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel><item>'
            b"<link>http://feeds.feedburner.com/~r/x/~3/abc/</link>"
            b"<feedburner:origLink>https://blog.example.com/post.html</feedburner:origLink>"
            b"</item></channel></rss>")
    (entry,) = parse_feed(body, "http://feeds.feedburner.com/x").entries
    assert entry.url == "https://blog.example.com/post.html"


def test_atom_entries():
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>one</title><link rel="alternate" href="{BASE}/1.html"/>
 <id>tag:example.com,2025:1</id><published>2025-05-09T10:58:34+08:00</published>
 <updated>2025-05-10T00:00:00Z</updated></entry>
<entry><title>two</title><id>{BASE}/2.html</id><updated>2025-04-01T00:00:00Z</updated></entry>
</feed>""".encode()
    feed = parse_feed(body, f"{BASE}/atom.xml", "application/atom+xml")
    assert feed.kind == "atom"
    assert [e.url for e in feed.entries] == [f"{BASE}/1.html", f"{BASE}/2.html"]
    assert feed.entries[0].date == datetime(2025, 5, 9, 2, 58, 34, tzinfo=UTC)
    assert feed.entries[1].date == datetime(2025, 4, 1, tzinfo=UTC)


def test_news_sitemap_prefers_the_publication_date():
    body = sitemap([
        (f"{BASE}/n1.html", "2025-05-09", "2025-04-01T08:00:00+08:00"),
        (f"{BASE}/n2.html", "2025-05-08T10:00:00Z", None),
        (f"{BASE}/n3.html", None, None),
    ])  # fmt: skip
    feed = parse_feed(body, f"{BASE}/news-sitemap.xml", "application/xml")
    assert feed.kind == "urlset"
    assert [e.url for e in feed.entries] == [f"{BASE}/n1.html", f"{BASE}/n2.html",
                                             f"{BASE}/n3.html"]  # no image:loc
    assert feed.entries[0].date == datetime(2025, 4, 1, tzinfo=UTC)
    assert feed.entries[0].title == "T"
    assert feed.entries[1].date == datetime(2025, 5, 8, 10, tzinfo=UTC)
    assert feed.entries[2].date is None


def test_sitemap_index_and_gzipped_sitemaps():
    index = parse_feed(sitemap_index([(f"{BASE}/s1.xml.gz", "2025-05-09")]), f"{BASE}/i.xml")
    assert index.is_sitemap_index
    assert index.entries == [Entry(f"{BASE}/s1.xml.gz", datetime(2025, 5, 9, tzinfo=UTC))]
    packed = gzip.compress(sitemap([(f"{BASE}/p.html", None, None)]))
    assert [e.url for e in parse_feed(packed, f"{BASE}/s1.xml.gz", "application/gzip").entries] \
        == [f"{BASE}/p.html"]


def test_broken_xml_is_read_as_far_as_possible():
    body = sitemap([(f"{BASE}/ok.html", None, None)])[:-12] + b"<url><loc>"
    assert [e.url for e in parse_feed(body, f"{BASE}/s.xml").entries] == [f"{BASE}/ok.html"]
    assert parse_feed(b"<html></html>", f"{BASE}/x") is None


# --- the date window ---------------------------------------------------------------------


def make_feed(kind="rss"):
    return Feed(kind, f"{BASE}/feed", [
        Entry(f"{BASE}/new.html", NOW - timedelta(days=1)),
        Entry(f"{BASE}/old.html", NOW - timedelta(days=8)),
        Entry(f"{BASE}/undated.html"),
        Entry(f"{BASE}/seeded.html", NOW),
        Entry(f"{BASE}/new.html#again", NOW),
    ])  # fmt: skip


def test_entries_outside_the_window_are_skipped():
    expander = FeedExpander(max_age_days=7, seeded={f"{BASE}/seeded.html"})
    pages = expander.expand(make_feed(), now=NOW).pages
    assert pages == [f"{BASE}/new.html", f"{BASE}/undated.html"]
    # each entry once per run, across feeds
    assert expander.expand(make_feed(), now=NOW).pages == []


def test_zero_days_means_no_limit():
    pages = FeedExpander(max_age_days=0).expand(make_feed(), now=NOW).pages
    assert f"{BASE}/old.html" in pages and len(pages) == 4


def test_sitemap_indexes_are_followed_to_a_bounded_depth():
    index = Feed("sitemapindex", f"{BASE}/i.xml", [Entry(f"{BASE}/s1.xml"),
                                                   Entry(f"{BASE}/s0.xml", NOW - timedelta(30))])
    expander = FeedExpander(max_age_days=7, max_depth=1)
    result = expander.expand(index, depth=0, now=NOW)
    assert result.sitemaps == [f"{BASE}/s1.xml"] and result.pages == []
    assert expander.expand(index, depth=1, now=NOW).sitemaps == []


# --- a crawl -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def feed_site():
    site = build_site()
    with FixtureServer(site) as server, WeiboApiServer() as api:
        now = datetime.now(UTC)
        weibo = f"https://weibo.com/{MAIN_UID}/{MAIN_BID}"
        site["/feed.xml"] = Page("/feed.xml", rss([
            (server.url(NETEASE_PATH), now - timedelta(hours=3)),
            (FRENCH_REDIRECT_PATH, now - timedelta(days=2)),  # relative link
            (weibo, now - timedelta(days=1)),  # through the Weibo adapter
            (server.url(BLOG_PATH), now - timedelta(days=30)),  # too old
        ]), "application/rss+xml; charset=utf-8")
        site["/sitemap_index.xml"] = Page("/sitemap_index.xml", sitemap_index([
            (server.url("/news-sitemap.xml"), now.isoformat()),
            (server.url("/archive-sitemap.xml.gz"), (now - timedelta(days=400)).isoformat()),
        ]), "application/xml")
        site["/news-sitemap.xml"] = Page("/news-sitemap.xml", sitemap([
            (server.url(XINZHIYUAN_PATH), None, now.isoformat()),
            (server.url(NETEASE_PATH), None, now.isoformat()),  # also in the feed
            (server.url(BLOG_PATH), (now - timedelta(days=9)).date().isoformat(), None),
        ]), "application/xml; charset=utf-8")
        site["/archive-sitemap.xml.gz"] = Page("/archive-sitemap.xml.gz", gzip.compress(
            sitemap([(server.url("/missing.html"), "2024-01-01", None)])), "application/gzip")
        yield server, api


@pytest.fixture(scope="module")
def feed_run(feed_site, crawl, tmp_path_factory):
    server, api = feed_site
    run = crawl(tmp_path_factory.mktemp("feeds") / "archive",
                urls=[server.url("/feed.xml"), server.url("/sitemap_index.xml"),
                      server.url(NETEASE_PATH)],
                settings={"WEIBO_API_BASE": api.base_url, "FEED_MAX_AGE_DAYS": "7"})
    assert run.process.returncode == 0, run.log[-5000:]
    return run


def test_feed_entries_in_the_window_become_articles(feed_run, feed_site):
    server, _ = feed_site
    db = sqlite_utils.Database(feed_run.db_path)
    urls = {row["url"] for row in db["articles"].rows}
    finals = {row["final_url"] for row in db["articles"].rows}
    assert server.url(NETEASE_PATH) in urls | finals
    assert server.url(XINZHIYUAN_PATH) in urls | finals
    assert server.url(FRENCH_REDIRECT_PATH) in urls  # keyed by the entry, fetched via redirect
    assert f"https://weibo.com/{MAIN_UID}/{MAIN_BID}" in urls
    assert server.url(BLOG_PATH) not in urls | finals
    paths = [r.path for r in server.requests]
    assert BLOG_PATH not in paths  # outside the window: never fetched
    assert "/missing.html" not in paths  # in a sitemap last changed long ago
    assert "/archive-sitemap.xml.gz" not in paths
    assert paths.count(NETEASE_PATH) == 1  # a seed, in the feed and in the sitemap: once


def test_feeds_are_archived_and_entries_are_seeds_of_their_own(feed_run, feed_site):
    server, _ = feed_site
    records = [r for path in feed_run.warc_files for r in iter_records(path)]
    responses = {r.target_uri for r in records if r.rec_type == "response"}
    for path in ("/feed.xml", "/sitemap_index.xml", "/news-sitemap.xml"):
        assert server.url(path) in responses
    seeds = {}
    for record in records:
        if record.rec_type == "metadata":
            fields = dict(line.split(": ", 1) for line in record.payload.decode().splitlines())
            seeds[record.target_uri] = fields["seed"]
    assert seeds[server.url(XINZHIYUAN_PATH)] == server.url(XINZHIYUAN_PATH)
    assert seeds[server.url("/news-sitemap.xml")] == server.url("/sitemap_index.xml")
    db = sqlite_utils.Database(feed_run.db_path)
    (crawl,) = db["crawls"].rows
    stats = json.loads(crawl["stats"])
    assert stats["feeds/rss"] == 1 and stats["feeds/sitemapindex"] == 1
    assert stats["feeds/entries_too_old"] >= 2


# --- limits ---------------------------------------------------------------------------------


def test_a_sitemap_is_read_up_to_the_protocols_50000_urls():
    body = sitemap([(f"{BASE}/p/{i}", None, None) for i in range(50_010)])
    feed = parse_feed(body, f"{BASE}/sitemap.xml")
    assert len(feed.entries) == 50_000 and feed.more
    assert feed.entries[-1].url == f"{BASE}/p/49999"
    small = parse_feed(sitemap([(f"{BASE}/p/1", None, None)]), f"{BASE}/s.xml")
    assert len(small.entries) == 1 and not small.more


def test_an_rss_feed_is_read_up_to_its_item_limit():
    feed = parse_feed(rss([(f"{BASE}/a/{i}", NOW) for i in range(30)]), f"{BASE}/rss",
                      max_entries=10)
    assert [e.url for e in feed.entries] == [f"{BASE}/a/{i}" for i in range(10)]
    assert feed.more


def test_a_gzip_bomb_is_never_inflated_whole():
    from tests.hostile.payloads import gzip_bomb

    bomb = gzip_bomb(256)
    assert feed_kind("application/gzip", bomb) is None  # sniffing reads 4 KB of it
    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    disguised = gzip.compress(head + b"<url><loc>http://a.example/1</loc></url>" + b" " * 10**6)
    assert feed_kind(None, disguised) == "urlset"


def test_entities_are_not_expanded():
    from tests.hostile.kinds import ENTITY_BOMB

    feed = parse_feed(ENTITY_BOMB, f"{BASE}/s.xml")
    assert all(len(entry.url) < 200 for entry in feed.entries)


def test_the_expander_caps_entries_per_seed_and_filters_robots():
    expander = FeedExpander(max_age_days=0, max_entries=5)
    entries = [Entry(f"{BASE}/private/{i}" if i % 2 else f"{BASE}/ok/{i}") for i in range(20)]
    result = expander.expand(Feed("urlset", f"{BASE}/s.xml", entries), seed=f"{BASE}/s.xml",
                             allowed=lambda url: "/private/" not in url)
    assert result.pages == [f"{BASE}/ok/{i}" for i in range(0, 10, 2)]
    assert (result.refused, result.over_limit) == (10, 5)
    assert result.limits == ["robots.txt", "FEED_MAX_ENTRIES"]
    assert "10 entries disallowed by robots.txt" in result.limited
    # the cap counts per seed, over all its feeds
    more = expander.expand(Feed("urlset", f"{BASE}/t.xml", [Entry(f"{BASE}/ok/x")]),
                           seed=f"{BASE}/s.xml")
    assert more.pages == [] and more.over_limit == 1


def test_entries_are_queued_below_the_seeds_and_interleaved():
    from crawler.frontier.feeds import PRIORITY_BLOCK, entry_priority

    assert entry_priority(0) == -1
    assert entry_priority(PRIORITY_BLOCK - 1) == -1
    assert entry_priority(PRIORITY_BLOCK) == -2
