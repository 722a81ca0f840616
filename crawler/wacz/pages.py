"""The ``pages.jsonl`` of a WACZ package, from the SQLite archive.

A page is an archived HTML page (a seed, a feed entry, a followed link: not a resource it
embeds, not a redirect, not robots.txt) or a capture an article was extracted from. Each
entry has the capture's URL and ``WARC-Date`` (``ts``), the article's title, else the page's
``<title>``, and, with ``text``, the article's clean text so replayweb.page can search it.
The database and the WARC files are only read.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sqlite3
from collections.abc import Container, Iterator
from pathlib import Path
from typing import Any

from crawler.text.decode import decode_html
from crawler.warc.capture import decoded_body
from crawler.warc.reader import record_at
from crawler.warc.writer import OPEN_SUFFIX

__all__ = ["PAGES_FORMAT", "page_entries", "write_pages"]

PAGES_FORMAT = "json-pages-1.0"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)

# Every 2xx capture that is no page requisite (an E hop), with what the articles know of it:
# the article extracted from it, else the version extracted from it, else the article last
# fetched from its URL (a revisit of an unchanged page).
_CAPTURES_SQL = """
select c.id, c.url, c.warc_date, c.content_type, c.warc_file, c.warc_offset,
       c.record_type, c.refers_to_record_id, {hops} as hops,
       coalesce(a.title, v.title, f.title) as title,
       coalesce(a.text, v.text, f.text) as text,
       (a.url is not null or v.url is not null) as has_article
from captures c
left join articles a on a.capture_id = c.id
left join article_versions v on v.capture_id = c.id and a.url is null
left join articles f on f.final_url = c.url and a.url is null and v.url is null
where c.status between 200 and 299 and c.warc_date is not null
order by c.warc_date, c.id
"""


def page_entries(db_path: str | Path, warc_dir: str | Path, warc_names: Container[str],
                 text: bool = True) -> Iterator[dict[str, Any]]:
    """The pages of the archive whose records are in the WARC files ``warc_names``.

    :param db_path: the SQLite archive
    :param warc_dir: the folder the captures' ``warc_file`` names are relative to
    :param warc_names: the ``warc_file`` names packaged (captures in other files are left out)
    :param text: include the article text
    """
    conn = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        columns = {row[1] for row in conn.execute("pragma table_info(captures)")}
        sql = _CAPTURES_SQL.format(hops="c.hops" if "hops" in columns else "null")
        seen: set[tuple[str, str]] = set()
        for row in conn.execute(sql):
            if row["warc_file"] not in warc_names or "E" in (row["hops"] or ""):
                continue
            url, ts = row["url"], row["warc_date"]
            if (url, ts) in seen or url.rstrip("/").endswith("/robots.txt"):
                continue
            mime = (row["content_type"] or "").split(";")[0].strip().lower()
            if not row["has_article"] and mime not in _HTML_TYPES:
                continue
            seen.add((url, ts))
            title = row["title"] or _page_title(conn, Path(warc_dir), row) or url
            entry: dict[str, Any] = {
                "id": hashlib.sha1(f"{ts} {url}".encode()).hexdigest()[:24],
                "url": url,
                "ts": ts,
                "title": title,
            }
            if text and row["text"]:
                entry["text"] = row["text"]
            yield entry
    finally:
        conn.close()


def write_pages(path: str | Path, entries: Iterator[dict[str, Any]], title: str,
                has_text: bool) -> int:
    """Write ``pages.jsonl``: the header line, then one line per page. ASCII only (JSON
    escapes), so no reader can get its encoding wrong.

    :return: the number of pages written
    """
    count = 0
    with open(path, "w", encoding="ascii") as fh:
        header: dict[str, Any] = {"format": PAGES_FORMAT, "id": "pages", "title": title}
        if has_text:
            header["hasText"] = True
        fh.write(json.dumps(header) + "\n")
        for entry in entries:
            fh.write(json.dumps(entry) + "\n")
            count += 1
    return count


def _page_title(conn: sqlite3.Connection, warc_dir: Path, row: sqlite3.Row) -> str | None:
    """The ``<title>`` of a page without an article, read from its WARC record (the one a
    revisit stands for)."""
    location = (row["warc_file"], row["warc_offset"])
    if row["record_type"] == "revisit":
        original = conn.execute("select warc_file, warc_offset from captures "
                                "where warc_record_id = ?",
                                [row["refers_to_record_id"]]).fetchone()
        if original is None:
            return None
        location = (original[0], original[1])
    for name in (location[0], f"{location[0]}{OPEN_SUFFIX}"):
        path = warc_dir / name
        if path.is_file():
            try:
                body = decoded_body(record_at(path, location[1]))
            except Exception:  # an unreadable record has no title to give
                return None
            match = _TITLE.search(decode_html(body[:256 * 1024], row["content_type"]).text)
            if not match:
                return None
            return " ".join(html.unescape(match.group(1)).split()) or None
    return None
