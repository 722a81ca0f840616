"""What ``crawler browse`` shows: Datasette metadata (descriptions, facets, sort), the canned
queries, and how connections read the archive.

Shared by :mod:`crawler.browse.app` (the server) and :mod:`crawler.browse.plugin` (the
Datasette hooks); it imports neither.
"""

from __future__ import annotations

import sqlite3
from typing import Any

PLUGIN_NAME = "seedcrawler"

# The match in a search snippet. Plain characters, not HTML: Datasette escapes every cell and
# the plugin turns them into <mark> after escaping. Rare enough in news text not to clash
# (unlike 【】, which Chinese headlines use).
MARK_START = "\u27e6"  # ⟦
MARK_END = "\u27e7"  # ⟧
SEARCH_LIMIT = 100
SNIPPET_BEFORE = 40
SNIPPET_AFTER = 80
# Read the file through mmap: a one- or two-character search reads every article's text, and
# mmap spares a copy of each page (15-35% faster on the benchmark). SQLite caps it at 2 GB.
MMAP_SIZE = 0x7FFF0000

# --------------------------------------------------------------------------- metadata

TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        "description": "One row per article, keyed by its URL as seeded (after the site "
                       "adapter's canonicalisation). Open a row to read the whole text.",
        "sort_desc": "published",
        "facets": ["sitename", "language", "crawl_id"],
        "label_column": "title",
        "columns": {
            "url": "The article's URL as seeded, after canonicalisation (primary key)",
            "final_url": "The URL the article was fetched from, after redirects",
            "title": "Title",
            "author": "Author, where the page or the site's API names one",
            "published": "Publication date or datetime (ISO 8601)",
            "sitename": "Site or account name",
            "language": "Language (ISO 639-1), declared by the page or detected",
            "text": "Clean article text, without the page's boilerplate",
            "description": "The page's description (meta tags)",
            "tags": "Tags or categories (JSON list)",
            "image": "The page's main image",
            "encoding": "Character encoding the page was decoded with",
            "capture_id": "The capture (captures.id) the article was extracted from",
            "crawl_id": "The crawl (crawls.id) that stored this version",
            "fetched_at": "When the capture was fetched (UTC)",
            "extra": "Site-specific fields (JSON object)",
            "text_hash": "SHA-1 of the text; a new hash adds a row to article_versions",
            "last_seen": "When a crawl last found this article, changed or not (UTC)",
        },
    },
    "articles_fts": {
        "description": "Full-text index (FTS5, trigram tokenizer) over articles.title and "
                       "articles.text, kept in sync by triggers. Finds substrings of three or "
                       "more characters, Chinese included; search it with ?_search= on the "
                       "articles table, or with the search query.",
        "hidden": True,
    },
    "captures": {
        "description": "One row per archived HTTP exchange: every network fetch, each "
                       "redirect hop and every error response included. The WARC record is "
                       "at warc_offset in warc_file (one gzip member of warc_length bytes).",
        "facets": ["status", "content_type", "crawl_id"],
        "label_column": "url",
        "columns": {
            "id": "Capture id",
            "crawl_id": "The crawl (crawls.id) that made this fetch",
            "url": "The URL as requested",
            "method": "HTTP method",
            "status": "HTTP status code",
            "content_type": "Content-Type of the response",
            "content_length": "Length of the payload as received, in bytes",
            "fetched_at": "When the response was received (ISO 8601, UTC)",
            "ip_address": "The server's IP address",
            "location": "Location header (redirects)",
            "etag": "ETag header",
            "last_modified": "Last-Modified header",
            "warc_file": "WARC file holding the record, relative to WARC_DIR",
            "warc_offset": "Offset of the response record in the WARC file",
            "warc_length": "Length of the response record (one gzip member) in bytes",
            "warc_record_id": "WARC-Record-ID of the response record",
            "warc_request_record_id": "WARC-Record-ID of the request record",
            "warc_date": "WARC-Date of the record",
            "payload_digest": "WARC-Payload-Digest: sha1: + base32 of the payload as sent",
            "record_type": "WARC record type: response, or revisit (payload unchanged)",
            "revisit_profile": "WARC-Profile of a revisit record",
            "refers_to_record_id": "For a revisit: the response record holding the payload",
            "hops": "Hops from the seed (hopsFromSeed): L per link followed, E per resource "
                    "embedded (a page requisite), R per redirect; empty for a seed",
            "via": "The page that links to or embeds this URL, or the redirect before it",
        },
    },
    "crawls": {
        "description": "One row per crawl run, with its statistics.",
        "sort_desc": "id",
        "columns": {
            "id": "Crawl id",
            "started_at": "When the run started (UTC)",
            "finished_at": "When the run finished (UTC)",
            "finish_reason": "Why Scrapy stopped (finished, shutdown, ...)",
            "seed_source": "Where the seeds came from (file, inline URLs)",
            "seeds": "Number of seeds",
            "requests": "Requests sent",
            "responses": "Responses received",
            "captures": "Captures archived",
            "articles": "Articles stored",
            "errors": "Errors recorded",
            "bytes_written": "WARC bytes written",
            "articles_new": "Articles stored for the first time",
            "articles_changed": "Articles whose text changed (a new version)",
            "articles_unchanged": "Articles found again with the same text",
            "revisits": "Unchanged payloads archived as WARC revisit records",
            "blocked": "Fetches a site blocked (login walls, captchas, rate limits)",
            "responses_by_status": "Responses by HTTP status (JSON object)",
            "stats": "Scrapy's statistics for the run (JSON object)",
        },
    },
    "errors": {
        "description": "Every recorded failure: bad seeds, failed or blocked fetches, "
                       "extraction and storage errors.",
        "sort_desc": "id",
        "facets": ["stage", "crawl_id"],
        "columns": {
            "id": "Error id",
            "crawl_id": "The crawl (crawls.id) the error happened in",
            "url": "The URL concerned",
            "stage": "Where it failed: seed, fetch, extract, store or archive",
            "error": "The error, in short",
            "detail": "More detail (message, reason phrase)",
            "at": "When it was recorded (UTC)",
        },
    },
    "article_versions": {
        "description": "Every distinct text an article has had, one row per version; the "
                       "changed query lists the articles with more than one.",
        "sort_desc": "id",
        "facets": ["crawl_id"],
        "label_column": "url",
        "columns": {
            "id": "Version id",
            "url": "The article (articles.url)",
            "version": "Version number: 1 for the first text seen",
            "capture_id": "The capture (captures.id) this version was extracted from",
            "crawl_id": "The crawl (crawls.id) that found this version",
            "fetched_at": "When this version was fetched (UTC)",
            "text_hash": "SHA-1 of the text",
            "title": "Title in this version",
            "text": "Text of this version",
            "chars_added": "Characters added since the previous version",
            "chars_removed": "Characters removed since the previous version",
            "diff_summary": "The change in short",
        },
    },
}


def _like_pattern(q: str) -> str:
    """SQL for ``'%' || q || '%'`` with LIKE's wildcards in ``q`` escaped (``escape '\\'``)."""
    escaped = rf"replace(replace(replace({q}, '\', '\\'), '%', '\%'), '_', '\_')"
    return f"'%' || {escaped} || '%'"


def search_sql() -> str:
    """The ``search`` canned query: articles whose title or text contains ``:q``.

    One query for any ``:q``: three or more characters go through the trigram index, ranked
    by bm25 with title hits weighted up; one or two characters, which the trigram index
    cannot match, scan the articles with LIKE, title hits first, then the articles that
    mention the word earliest. Each row has a snippet with the match between ⟦ and ⟧ (the
    text's own ⟦ and ⟧ become [ and ]).
    """
    q = "trim(:q)"
    like = _like_pattern(q)
    before, after = SNIPPET_BEFORE, SNIPPET_AFTER
    start = before + after  # no match in the text (a title hit): the text's start
    return f"""with hits as (
  select rowid, bm25(articles_fts, 10.0, 1.0) as score
  from articles_fts
  where length({q}) >= 3
    and articles_fts match '"' || replace({q}, '"', '""') || '"'
  union all
  select rowid,
    case when title like {like} escape '\\' then 0 else 1000000000 end
      + coalesce(nullif(instr(text, {q}), 0), 100000000)
  from articles
  where length({q}) between 1 and 2
    and (title like {like} escape '\\' or text like {like} escape '\\')
  order by score
  limit {SEARCH_LIMIT}
),
found as (
  select hits.score, instr(lower(articles.text), lower({q})) as pos, articles.title,
    -- brackets of the text's own cannot pass for the match marks
    replace(replace(articles.text, '{MARK_START}', '['), '{MARK_END}', ']') as text,
    articles.published, articles.sitename, articles.language, articles.author, articles.url
  from hits join articles on articles.rowid = hits.rowid
)
select
  title,
  replace(case when pos > 0 then
    case when pos > {before + 1} then '…' else '' end
    || substr(text, max(1, pos - {before}), min(pos - 1, {before}))
    || '{MARK_START}' || substr(text, pos, length({q})) || '{MARK_END}'
    || substr(text, pos + length({q}), {after})
    || case when pos + length({q}) + {after} <= length(text) then '…' else '' end
  else
    substr(text, 1, {start}) || case when length(text) > {start} then '…' else '' end
  end, char(10), ' ') as snippet,
  published, sitename, language, author, url
from found
order by score, published desc"""


LATEST_SQL = """select title, published, sitename, language, author, fetched_at, url
from articles
order by fetched_at desc, published desc
limit 100"""

FAILED_SQL = """select 'error' as source, at as time, url, null as status, stage, error, detail,
  null as warc_file, null as warc_offset, crawl_id
from errors
union all
select 'capture', fetched_at, url, status, 'fetch', 'HTTP ' || status, content_type,
  warc_file, warc_offset, crawl_id
from captures
where status >= 400
order by time desc
limit 1000"""

CAPTURES_OF_URL_SQL = """select *
from captures
where url = trim(:url)
  or url in (select final_url from articles where url = trim(:url))
  or id in (select capture_id from articles where url = trim(:url) or final_url = trim(:url))
order by fetched_at, id"""


def changed_sql(diff_column: str | None = None) -> str:
    """Articles with more than one distinct text in ``article_versions``."""
    latest_diff = ""
    if diff_column:
        column = '"' + diff_column.replace('"', '""') + '"'
        latest_diff = (f",\n  (select w.{column} from article_versions w where w.url = v.url "
                       f"order by w.fetched_at desc limit 1) as {column}")
    return f"""select v.url, a.title, count(*) as versions,
  count(distinct v.text_hash) as distinct_texts,
  min(v.fetched_at) as first_seen, max(v.fetched_at) as last_seen{latest_diff}
from article_versions v left join articles a on a.url = v.url
group by v.url
having count(distinct v.text_hash) > 1
order by last_seen desc"""


def changed_query(diff_column: str | None = None) -> dict[str, Any]:
    return {
        "title": "Changed articles",
        "description": "Articles whose text changed between captures, latest change first.",
        "sql": changed_sql(diff_column),
    }


def canned_queries() -> dict[str, dict[str, Any]]:
    """The canned queries that do not depend on optional tables."""
    return {
        "search": {
            "title": "Search articles",
            "description": (
                "Articles whose title or text contains q, in any language: three or more "
                "characters use the trigram index (ranked by bm25), one or two characters "
                f"scan the articles (title hits first). At most {SEARCH_LIMIT} results; the "
                f"match is marked {MARK_START}like this{MARK_END} in the snippet."
            ),
            "sql": search_sql(),
            "hide_sql": True,
        },
        "latest": {
            "title": "Latest articles",
            "description": "The 100 articles archived last.",
            "sql": LATEST_SQL,
        },
        "failed": {
            "title": "Blocked and failed fetches",
            "description": "Recorded errors, and captures with an HTTP status of 400 or more "
                           "(with their WARC record), newest first.",
            "sql": FAILED_SQL,
        },
        "captures_of_url": {
            "title": "All captures of a URL",
            "description": "Every capture of a URL (an article's seeded or final URL), with "
                           "its WARC file and offset, oldest first.",
            "sql": CAPTURES_OF_URL_SQL,
        },
    }


def build_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for an archive served under the name ``database``.

    :param database: the name Datasette gives the database (the file's stem)
    """
    tables = {}
    for name, table in TABLES.items():
        table = dict(table)
        if "columns" in table:
            table["columns"] = dict(table["columns"])
        tables[name] = table
    return {
        "title": "seedcrawler archive",
        "description": "Pages archived by seedcrawler: articles with their clean text, every "
                       "HTTP exchange in WARC files, crawl runs and errors.",
        "source": "seedcrawler",
        "databases": {
            database: {
                "description": "The SQLite archive: articles, captures, crawls, errors.",
                "tables": tables,
                "queries": canned_queries(),
            }
        },
        "plugins": {PLUGIN_NAME: {"databases": [database]}},
    }


def tune_connection(conn: sqlite3.Connection) -> None:
    """Settings for connections that read an archive (Datasette's, the benchmark's).

    ``query_only`` covers the write connection Datasette keeps for plugins: nothing served
    can change the archive.
    """
    conn.execute(f"PRAGMA mmap_size = {MMAP_SIZE}")
    conn.execute("PRAGMA query_only = 1")
