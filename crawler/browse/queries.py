"""What ``crawler browse`` shows: Datasette metadata (descriptions, facets, sort), the canned
queries, and how connections read the archive.

Shared by :mod:`crawler.browse.app` (the server) and :mod:`crawler.browse.plugin` (the
Datasette hooks); it imports neither.
"""

from __future__ import annotations

import sqlite3
from typing import Any

# The match in a search snippet: plain characters, not HTML. Datasette escapes every cell and
# the plugin turns them into <mark> after escaping. Rare enough in news text not to clash
# (unlike 【】, which Chinese headlines use).
from crawler.browse.search import MARK_END, MARK_START, register_functions

__all__ = ["MARK_END", "MARK_START", "build_metadata", "search_sql", "tune_connection"]

PLUGIN_NAME = "seedcrawler"
SEARCH_LIMIT = 100
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
        # ?_search= goes through the trigram index (articles_words also indexes articles)
        "fts_table": "articles_fts",
        "fts_pk": "rowid",
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
            "title_folded": "The title as search compares it (Traditional characters as "
                            "Simplified, full-width letters as ASCII); empty when the same",
            "text_folded": "The text as search compares it; empty when the same as text",
        },
    },
    "articles_fts": {
        "description": "Full-text index (FTS5, trigram tokenizer) over articles.title and "
                       "articles.text and their folded copies (title_folded, text_folded), "
                       "kept in sync by triggers. Finds substrings of three or more "
                       "characters, Chinese included, in either script; search it with "
                       "?_search= on the articles table, or with the search query.",
        "hidden": True,
    },
    "articles_fts_batch": {
        "description": "Always empty for readers: a crawl's batched writes hold a row here, "
                       "within their own transaction, while they index their articles "
                       "themselves before the commit (the triggers of articles_fts and "
                       "articles_words stand aside meanwhile).",
        "hidden": True,
        "columns": {"active": "1 while a writer's batch is open (never committed)"},
    },
    "articles_words": {
        "description": "Word index (FTS5, unicode61 tokenizer, Chinese characters as "
                       "separators) over the same columns as articles_fts, kept in sync by "
                       "triggers: the search query finds whole Latin words of one or two "
                       "letters (AI, 5G) in it.",
        "hidden": True,
        "columns": {
            "title": "articles.title, as words",
            "text": "articles.text, as words",
            "title_folded": "articles.title_folded, as words",
            "text_folded": "articles.text_folded, as words",
        },
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
            "truncated": "Why only part of the body was archived (WARC-Truncated): length, "
                         "time or disconnect; empty for a whole body",
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
            "stage": "Where it failed: seed, fetch, feed, blocked (a wall), deleted, extract, "
                     "store, archive or replay",
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


def _term(folded: bool, kind: str = "term") -> str:
    """SQL: the first ``scan`` term of ``:q``, folded (or as typed, where folding changes
    nothing) or as typed; ``kind`` ``like`` for its LIKE pattern."""
    if folded:
        return f"coalesce(seedcrawler_scan_{kind}(:q, 1), seedcrawler_scan_{kind}(:q, 0))"
    return f"seedcrawler_scan_{kind}(:q, 0)"


def _contains(column: str, folded: bool) -> str:
    """SQL: ``column`` has the first ``scan`` term of ``:q``. Each test reads the column
    once (a long text is read anew each time it is named): ``instr`` for a Chinese term,
    LIKE for one with letters (it ignores their case)."""
    return (f"case when seedcrawler_scan_cased(:q) then {column} like {_term(folded, 'like')} "
            f"escape '\\' else instr({column}, {_term(folded)}) > 0 end")


def _position(column: str, folded: bool) -> str:
    """SQL: where the first ``scan`` term of ``:q`` starts in ``column``; NULL if nowhere."""
    return (f"nullif(instr(case when seedcrawler_scan_cased(:q) then lower({column}) "
            f"else {column} end, {_term(folded)}), 0)")


def _columns_with(a: str, column: str, folded: bool, test) -> list[str]:  # noqa: ANN001
    """``test`` on the column and its folded copy with the folded term, then on the column
    with the term as typed when folding changes it (a character can fold differently alone
    and in a phrase: 乾 alone folds to 干, 乾隆 stays)."""
    tests = [test(f"{a}.{column}", True)]
    if folded:
        tests.append(test(f"{a}.{column}_folded", True))
    tests.append(f"case when seedcrawler_scan_term(:q, 1) is not null then "
                 f"{test(f'{a}.{column}', False)} end")
    return tests


def _scan_match(a: str, folded: bool) -> str:
    """SQL: the article ``a`` has the first ``scan`` term of ``:q`` in its title or text."""
    tests = [t for column in ("title", "text") for t in _columns_with(a, column, folded,
                                                                       _contains)]
    return "(" + "\n      or ".join(tests) + ")"


def _first_position(a: str, column: str, folded: bool) -> str:
    return "coalesce(" + ", ".join(_columns_with(a, column, folded, _position)) + ")"


def search_sql(folded: bool = True) -> str:
    """The ``search`` canned query: articles whose title or text has every word of ``:q``.

    The words are read by :mod:`crawler.browse.search` (functions registered on the
    connection by :func:`tune_connection`). Words of three or more characters go through the
    trigram index (``articles_fts``), ranked by bm25 with title hits weighted up; short words
    of letters and digits through the word index (``articles_words``), whole words; other
    short words (Chinese) by LIKE, on the hits of the indexes or, when the query has nothing
    else, in a scan of the articles, title hits first, then the earliest mention. Each row
    has a snippet with the matches between ⟦ and ⟧.

    :param folded: the archive has the folded columns and the word index (archives made
        before them do not: their search cannot match one script with the other, and short
        Latin words are checked article by article)
    """
    weights = "10.0, 1.0, 10.0, 1.0" if folded else "10.0, 1.0"

    def columns(a: str) -> str:
        return (f"{a}.title, {a}.text, " + (f"{a}.title_folded, {a}.text_folded" if folded
                                           else "null, null"))

    def checked(a: str) -> str:
        return (f"(not seedcrawler_needs_check(:q) or "
                f"seedcrawler_short_terms_score(:q, {columns(a)}) is not null)")

    if folded:
        words = "seedcrawler_has_terms(:q, 'word')"
        scan = "seedcrawler_has_terms(:q, 'scan')"
        short = (f"(not {words} or a.rowid in (select rowid from articles_words "
                 f"where articles_words match seedcrawler_words_query(:q)))\n"
                 f"    and (not {scan} or {_scan_match('a', folded)})\n"
                 f"    and {checked('a')}")
        word_branch = f"""
  union all
  -- short words of letters and digits (and perhaps Chinese ones): the word index
  select articles_words.rowid, bm25(articles_words, {weights}) as score
  from articles_words join articles a on a.rowid = articles_words.rowid
  where not seedcrawler_has_terms(:q, 'long')
    and articles_words match seedcrawler_words_query(:q)
    and (not {scan} or {_scan_match('a', folded)})
    and {checked('a')}"""
        in_title = _first_position("a", "title", folded)
        in_text = _first_position("a", "text", folded)
        # the positions are the test: each long text is read once or twice; LIMIT -1 keeps
        # the subquery apart, so they are computed once per article
        scan_branch = f"""select s.rowid,
    case when s.in_title is not null then 0 else 1000000000 end
      + coalesce(s.in_text, 100000000) as score
  from (select a.rowid, {in_title} as in_title,
      {in_text} as in_text
    from articles a
    where not seedcrawler_has_terms(:q, 'long') and not {words} and {scan}
    limit -1) s
  where (s.in_title is not null or s.in_text is not null)
    and (not seedcrawler_needs_check(:q) or (select seedcrawler_short_terms_score(:q,
      {columns('b')}) from articles b where b.rowid = s.rowid) is not null)"""
        folded_text = "a.text_folded"
    else:
        short = ("seedcrawler_short_terms_score(:q, a.title, a.text, null, null) "
                 "is not null")
        word_branch = ""
        scan_branch = """select a.rowid,
    seedcrawler_short_terms_score(:q, a.title, a.text, null, null) as score
  from articles a
  where not seedcrawler_has_terms(:q, 'long') and seedcrawler_has_short_terms(:q)
    and score is not null"""
        folded_text = "null"
    return f"""with hits as (
  -- only words of three or more characters: the trigram index alone
  select rowid, bm25(articles_fts, {weights}) as score
  from articles_fts
  where articles_fts match seedcrawler_fts_query(:q)
    and not seedcrawler_has_short_terms(:q)
  union all
  -- long and short words: the trigram index, then the short words on its hits
  select articles_fts.rowid, bm25(articles_fts, {weights}) as score
  from articles_fts join articles a on a.rowid = articles_fts.rowid
  where articles_fts match seedcrawler_fts_query(:q)
    and seedcrawler_has_short_terms(:q)
    and {short}{word_branch}
  union all
  -- only short words no index has (Chinese): a scan, title hits first, then the earliest
  -- mention
  {scan_branch}
  order by score
  limit {SEARCH_LIMIT}
)
select a.title,
  seedcrawler_snippet(:q, a.text, {folded_text}) as snippet,
  a.published, a.sitename, a.language, a.author, a.url
from hits join articles a on a.rowid = hits.rowid
order by hits.score, a.published desc"""


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


def search_query(folded: bool = True) -> dict[str, Any]:
    """The ``search`` canned query (see :func:`search_sql`)."""
    return {
        "title": "Search articles",
        "description": (
            "Articles whose title or text has every word of q, in any order and any "
            "language; Simplified and Traditional characters find each other. Words of three "
            "or more characters use the trigram index (ranked by bm25); shorter ones are "
            "looked for in the articles (title hits first), Latin ones as whole words. At "
            f"most {SEARCH_LIMIT} results; matches are marked {MARK_START}like this{MARK_END} "
            "in the snippet."
        ),
        "sql": search_sql(folded),
        "hide_sql": True,
    }


def canned_queries() -> dict[str, dict[str, Any]]:
    """The canned queries that do not depend on optional tables."""
    return {
        "search": search_query(),
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
    can change the archive. The search functions of :mod:`crawler.browse.search` are
    registered (the ``search`` query calls them).
    """
    conn.execute(f"PRAGMA mmap_size = {MMAP_SIZE}")
    conn.execute("PRAGMA query_only = 1")
    register_functions(conn)
