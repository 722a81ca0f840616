"""`crawler browse`: Datasette on the archive, searched in-process through Datasette's client.

The archive is a copy of the session crawl of the fixture site (Simplified and Traditional
Chinese, French), with English and hostile rows added through ``ArchiveDB``. The last tests
start the real command in a subprocess and talk to it over 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import markupsafe
import pytest
import sqlite_utils
from click.testing import CliRunner

from crawler.browse import app as browse
from crawler.browse.app import open_archive
from crawler.browse.queries import MARK_END, MARK_START, build_metadata
from crawler.cli import cli
from crawler.demo.site.pages import (
    BLOG_PATH,
    FRENCH_PATH,
    NETEASE_PATH,
    WEIBO_PATH,
    XINZHIYUAN_PATH,
)
from crawler.store.db import ArchiveDB

REPO = Path(__file__).resolve().parents[2]

ENGLISH = {
    "url": "https://news.example/2025/06/scale-ai-labelling.html",
    "final_url": "https://news.example/2025/06/scale-ai-labelling.html",
    "title": "Inside the business of labelling data for AI",
    "author": "Jane Doe",
    "published": "2025-06-20",
    "sitename": "Example News",
    "language": "en",
    "text": "Meta is set to throw billions at a startup that leads the AI data market.\n\n"
            "Contractors label images, rank chatbot answers and write examples for "
            "supervised fine-tuning.",
}
HOSTILE = {
    "url": "https://evil.example/xss.html",
    "final_url": "javascript:alert(3)",
    "title": '<script>alert("title")</script>Zqxw report',
    "published": "2024-01-01",
    "sitename": "<b>evil</b>",
    "language": "en",
    "text": "Before <script>alert(1)</script> the <img src=x onerror=alert(2)> zqxw marker "
            "and a fake highlight ⟦<i>zqxw</i>⟧ after.",
}
LINES = {
    "url": "https://poems.example/静夜思.html",
    "final_url": "https://poems.example/%E9%9D%99%E5%A4%9C%E6%80%9D.html",
    "title": "靜夜思",
    "published": "0701-01-01",
    "sitename": "唐詩",
    "language": "zh",
    "text": "床前明月光\n疑是地上霜\n舉頭望明月\n低頭思故鄉",
}


def copy_archive(source: Path, target: Path) -> Path:
    """A consistent copy of an archive (WAL included), through SQLite's backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def ask(ds, path: str) -> tuple[int, str]:
    return browse.get(ds, path)


def ask_json(ds, path: str) -> dict:
    status, body = ask(ds, path)
    assert status == 200, body[:2000]
    return json.loads(body)


def search(ds, q: str, database: str = "archive") -> list[dict]:
    return ask_json(ds, f"/{database}/search.json?q={quote(q)}&_shape=objects")["rows"]


def titles(rows: list[dict]) -> list[str]:
    return [row["title"] for row in rows]


@pytest.fixture(scope="module")
def expected_titles(fixture_site) -> dict[str, str]:
    paths = {"weibo": WEIBO_PATH, "netease": NETEASE_PATH, "xinzhiyuan": XINZHIYUAN_PATH,
             "french": FRENCH_PATH, "blog": BLOG_PATH}
    return {name: fixture_site.site[path].expected.title for name, path in paths.items()}


@pytest.fixture(scope="module")
def archive_path(crawled, tmp_path_factory) -> Path:
    path = copy_archive(crawled.db_path, tmp_path_factory.mktemp("browse") / "archive.db")
    db = ArchiveDB(path)
    for row in (ENGLISH, HOSTILE, LINES):
        db.store_article(row)
    db.close()
    return path


@pytest.fixture(scope="module")
def ds(archive_path):
    return open_archive(archive_path)


# --- metadata ------------------------------------------------------------------------------


def user_tables(path: Path) -> dict[str, list[str]]:
    """Tables and their columns, leaving out SQLite's own and the FTS index's shadow tables."""
    db = sqlite_utils.Database(path)
    try:
        shadow = {f"{fts}_{suffix}" for fts in db.table_names(fts5=True)
                  for suffix in ("data", "idx", "docsize", "config", "content")}
        return {name: db[name].columns_dict.keys() for name in db.table_names()
                if not name.startswith("sqlite_") and name not in shadow}
    finally:
        db.close()


def test_metadata_names_and_describes_every_table_and_column(crawled, tmp_path):
    fresh = tmp_path / "fresh.db"
    ArchiveDB(fresh).close()
    tables = {**user_tables(fresh), **user_tables(crawled.db_path)}
    assert {"articles", "articles_fts", "captures", "crawls", "errors"} <= tables.keys()
    metadata = build_metadata("archive")["databases"]["archive"]["tables"]
    undescribed = [t for t in tables if not metadata.get(t, {}).get("description")]
    assert not undescribed, f"tables without a description (browse/queries.py): {undescribed}"
    for table, columns in user_tables(fresh).items():
        if table.endswith("_fts"):
            continue
        described = metadata[table].get("columns", {})
        missing = [c for c in columns if not described.get(c)]
        assert not missing, f"{table}: columns without a description: {missing}"


def test_metadata_facets_sort_and_title(ds):
    meta = ds.metadata()
    assert meta["title"] and meta["description"]
    tables = meta["databases"]["archive"]["tables"]
    assert tables["articles"]["sort_desc"] == "published"
    assert {"sitename", "language", "crawl_id"} <= set(tables["articles"]["facets"])
    assert "status" in tables["captures"]["facets"]


def test_articles_sort_by_published_date_with_facets(ds):
    data = ask_json(ds, "/archive/articles.json?_shape=objects&_size=100")
    published = [row["published"] for row in data["rows"] if row["published"]]
    assert len(published) >= 6 and published == sorted(published, reverse=True)
    facets = data["facet_results"]
    assert {"sitename", "language", "crawl_id"} <= facets.keys()
    languages = {r["value"] for r in facets["language"]["results"]}
    assert {"zh", "fr", "en"} <= languages


def test_captures_facet_on_status(ds):
    data = ask_json(ds, "/archive/captures.json")
    statuses = {r["value"] for r in data["facet_results"]["status"]["results"]}
    assert {200, 301, 404} <= statuses


def test_database_is_named_after_the_file_stem(archive_path, tmp_path, expected_titles):
    other = open_archive(copy_archive(archive_path, tmp_path / "other-name.db"))
    assert "other-name" in other.databases
    assert expected_titles["netease"] in titles(search(other, "數據標注", "other-name"))
    assert ask(other, "/other-name/latest.json")[0] == 200


# --- searching ------------------------------------------------------------------------------


def test_table_search_finds_three_or_more_chinese_characters(ds, expected_titles):
    for phrase, article in [("數據標注公司", "netease"), ("监督微调", "weibo")]:
        data = ask_json(ds, f"/archive/articles.json?_search={quote(phrase)}&_shape=objects")
        assert expected_titles[article] in titles(data["rows"]), phrase


def test_search_simplified_chinese(ds, expected_titles):
    rows = search(ds, "监督微调")
    assert titles(rows)[0] == expected_titles["weibo"]
    assert f"{MARK_START}监督微调{MARK_END}" in rows[0]["snippet"]


def test_search_traditional_chinese(ds, expected_titles):
    rows = search(ds, "數據標注")
    assert titles(rows)[0] == expected_titles["netease"]
    assert f"{MARK_START}數據標注{MARK_END}" in rows[0]["snippet"]
    assert expected_titles["netease"] in titles(search(ds, "估值追上百度"))


@pytest.mark.parametrize(("word", "article", "others"), [
    ("领投", "weibo", set()),  # Simplified
    ("估值", "netease", {"xinzhiyuan", "blog"}),  # Traditional; only NetEase has it in the title
    ("資料", "blog", {"xinzhiyuan"}),  # Traditional (Taiwan)
])
def test_search_two_character_words(ds, expected_titles, word, article, others):
    # The trigram index cannot match two characters: the table search finds nothing...
    data = ask_json(ds, f"/archive/articles.json?_search={quote(word)}")
    assert data["rows"] == []
    # ...the search query scans instead, title hits first.
    rows = search(ds, word)
    found = titles(rows)
    assert found[0] == expected_titles[article]
    assert {expected_titles[o] for o in others} <= set(found)
    for row in rows:
        assert f"{MARK_START}{word}{MARK_END}" in row["snippet"] or word in row["title"]


def test_search_one_character(ds):
    assert LINES["title"] in titles(search(ds, "霜"))


def test_search_french(ds, expected_titles):
    assert titles(search(ds, "données humaines"))[0] == expected_titles["french"]
    # every word, anywhere (the NetEase/Sohu reprint writes "OlgaMegorskaya"); a quoted
    # phrase only as written
    assert expected_titles["french"] in titles(search(ds, "Megorskaya Olga"))
    assert titles(search(ds, '"Olga Megorskaya"')) == [expected_titles["french"]]
    # two letters: French "IA" (in the title), case-insensitive
    assert titles(search(ds, "ia"))[0] == expected_titles["french"]


def test_search_english(ds):
    rows = search(ds, "supervised fine-tuning")
    assert titles(rows) == [ENGLISH["title"]]
    assert f"{MARK_START}supervised fine-tuning{MARK_END}" in rows[0]["snippet"]
    assert ENGLISH["title"] in titles(search(ds, "LABELLING"))
    assert rows[0]["url"] == ENGLISH["url"]


def test_search_query_edge_cases(ds, expected_titles):
    assert search(ds, "") == []
    assert search(ds, "   ") == []
    assert titles(search(ds, "  數據標注 "))[0] == expected_titles["netease"]
    # LIKE's wildcards and FTS5's syntax are taken literally
    assert search(ds, "%_") == [] and search(ds, "_%") == []
    percent = search(ds, "%")
    assert percent and all(f"{MARK_START}%{MARK_END}" in r["snippet"] for r in percent)
    assert search(ds, '"數據') == []
    # FTS5's operators are words like any other: the same hits as the table's ?_search=
    table = ask_json(ds, "/archive/articles.json?_shape=objects&_size=max&_search=NOT+AND")
    assert {r["url"] for r in search(ds, "NOT AND")} == {r["url"] for r in table["rows"]}
    assert search(ds, '"NOT AND"') == []
    for q in ["OR", "NEAR(", "AND NOT", '"', '""', "*", "^", "title:"]:
        search(ds, q)  # no FTS5 syntax error (ask_json checks the status)
    assert search(ds, "nothing like this anywhere") == []


def test_search_ranks_title_hits_first_for_short_words(ds):
    rows = search(ds, "估值")
    in_title = ["估值" in row["title"] for row in rows]
    assert len(rows) >= 3 and in_title[0] and not in_title[-1]
    assert in_title == sorted(in_title, reverse=True)


# --- escaping and readable articles -----------------------------------------------------------


def test_archived_html_is_escaped_in_search_results(ds):
    status, page = ask(ds, "/archive/search?q=zqxw")
    assert status == 200
    assert "Zqxw report" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;Zqxw report</a>" in page
    assert "&lt;img src=x onerror=alert(2)&gt; <mark>zqxw</mark> marker" in page
    # the text's own brackets do not pass for a highlight
    assert "<i>" not in page and "fake highlight [&lt;i&gt;zqxw&lt;/i&gt;] after" in page


def test_archived_html_is_escaped_in_table_and_row_pages(ds):
    for path in ["/archive/articles?_search=zqxw",
                 "/archive/articles/" + tilde(HOSTILE["url"]),
                 "/archive/latest", "/archive/articles?sitename=%3Cb%3Eevil%3C%2Fb%3E"]:
        status, page = ask(ds, path)
        assert status == 200, path
        assert "<script>alert" not in page, path
        assert "<img src=x" not in page and "<b>evil</b>" not in page, path
        assert "&lt;script&gt;" in page, path
        assert 'href="javascript:' not in page, path


def test_row_page_shows_the_whole_text_with_its_line_breaks(ds, archive_path):
    url, text = sqlite_utils.Database(archive_path).execute(
        "select url, text from articles where sitename = '網易'").fetchone()
    assert text.count("\n") > 3 and len(text) > 2000
    status, page = ask(ds, f"/archive/articles/{tilde(url)}")
    assert status == 200
    assert 'class="article-text"' in page and "white-space: pre-wrap" in page
    # the whole text, escaped, its line breaks kept
    assert f'<div class="article-text">{markupsafe.escape(text)}</div>' in page
    assert f'href="{markupsafe.escape(url)}"' in page  # the original


def test_plain_search_page_escapes_archived_html(ds):
    status, page = ask(ds, "/-/search?q=zqxw")
    assert status == 200
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>evil</b>" not in page
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;Zqxw report</a>" in page
    assert "&lt;img src=x onerror=alert(2)&gt; <mark>zqxw</mark> marker" in page
    assert "<i>" not in page and 'href="javascript:' not in page


def table_columns(page: str) -> list[str]:
    """The columns of the table on a Datasette table page, in order."""
    head = page.split('<table class="rows-and-columns', 1)[1].split("</thead>", 1)[0]
    return re.findall(r'<th [^>]*data-column="([^"]+)"', head)


def test_articles_table_shows_a_few_columns_by_default(ds):
    status, page = ask(ds, "/archive/articles")
    assert status == 200
    assert table_columns(page) == ["title", "sitename", "author", "published", "language"]
    assert 'class="col-text' not in page and 'class="col-final_url' not in page
    # each title links to its article's page
    link = re.search(r'<td class="col-title type-str"><a href="(/archive/articles/[^"]+)">', page)
    assert link and ask(ds, link.group(1))[0] == 200
    # the columns a person chooses, or all of them, as Datasette shows them
    chosen = ask(ds, "/archive/articles?_col=title&_col=text")[1]
    assert table_columns(chosen) == ["url", "title", "text"]
    everything = re.search(r'<a href="([^"]+)">show all columns</a>', page).group(1)
    columns = table_columns(ask(ds, everything.replace("&amp;", "&"))[1])
    assert {"url", "final_url", "text", "extra", "title", "crawl_id"} <= set(columns)
    assert "text_folded" not in columns
    # the JSON keeps every column
    row = ask_json(ds, "/archive/articles.json?_shape=objects&_size=1")["rows"][0]
    assert {"url", "text", "final_url", "extra", "title_folded"} <= row.keys()


def test_column_descriptions_are_folded_away(ds):
    page = ask(ds, "/archive/articles")[1]
    before_table = page.split('<table class="rows-and-columns', 1)[0]
    folded = re.search(r'<details class="seedcrawler-columns">(.*?)</details>', before_table,
                       re.S)
    assert folded and "<summary>What the" in folded.group(1)
    assert folded.group(1).count("<dt>") >= 17
    assert before_table.count("<dt>") == folded.group(1).count("<dt>")  # none outside it
    for table in ("captures", "crawls", "errors"):
        page = ask(ds, f"/archive/{table}")[1]
        assert '<details class="seedcrawler-columns">' in page, table


def test_row_page_lists_site_specific_fields(ds, archive_path):
    url, extra = sqlite_utils.Database(archive_path).execute(
        "select url, extra from articles where sitename = '網易'").fetchone()
    account = json.loads(extra)["account"]
    page = ask(ds, f"/archive/articles/{tilde(url)}")[1]
    fields = page.split('<section class="article-extra">', 1)[1].split("</section>", 1)[0]
    assert f"<dt>account</dt><dd>{account}</dd>" in fields
    assert "http://dingyue.ws.126.net/" in fields  # its images, one per line


def test_search_title_links_to_the_article_page(ds):
    status, page = ask(ds, "/archive/search?q=" + quote("靜夜思"))
    href = "/archive/articles/" + tilde(LINES["url"])
    assert f'<a href="{href}">靜夜思</a>' in page
    status, article = ask(ds, href)
    assert status == 200 and "床前明月光\n疑是地上霜" in article


def tilde(value: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(value)


# --- canned queries -------------------------------------------------------------------------


def test_latest_articles(ds, archive_path):
    rows = ask_json(ds, "/archive/latest.json?_shape=objects")["rows"]
    assert len(rows) == sqlite_utils.Database(archive_path)["articles"].count


def test_failed_fetches_list_errors_and_error_captures(ds):
    rows = ask_json(ds, "/archive/failed.json?_shape=objects")["rows"]
    missing = [r for r in rows if r["url"].endswith("/missing.html")]
    assert {r["source"] for r in missing} == {"error", "capture"}
    capture = next(r for r in missing if r["source"] == "capture")
    assert capture["status"] == 404 and capture["warc_file"] and capture["warc_offset"] >= 0
    assert any(r["stage"] == "seed" and "not-a-url" in r["url"] for r in rows)


def test_captures_of_a_url_follow_redirects(ds, archive_path, fixture_site):
    db = sqlite_utils.Database(archive_path)
    url, final_url = db.execute(
        "select url, final_url from articles where language = 'fr'").fetchone()
    rows = ask_json(ds, f"/archive/captures_of_url.json?url={quote(url)}&_shape=objects")["rows"]
    assert {r["url"] for r in rows} >= {url, final_url}
    assert {r["status"] for r in rows} >= {301, 200}
    for row in rows:
        assert row["warc_file"].endswith(".warc.gz") and row["warc_offset"] >= 0


def test_changed_articles_query_only_when_versions_exist(archive_path, tmp_path):
    without = copy_archive(archive_path, tmp_path / "without" / "archive.db")
    with sqlite3.connect(without) as conn:
        conn.execute("drop table if exists article_versions")
    ds = open_archive(without)
    queries = ask_json(ds, "/archive.json")["queries"]
    names = {q["name"] for q in queries}
    assert {"search", "latest", "failed", "captures_of_url"} <= names
    assert "changed" not in names
    assert ask(ds, "/archive/changed")[0] == 404

    with_versions = copy_archive(without, tmp_path / "with" / "archive.db")
    db = sqlite_utils.Database(with_versions)
    db["article_versions"].insert_all([
        {"url": LINES["url"], "capture_id": None, "fetched_at": "2025-01-01T00:00:00+00:00",
         "text_hash": "a", "text": "old", "diff_summary": "first version"},
        {"url": LINES["url"], "capture_id": None, "fetched_at": "2025-02-01T00:00:00+00:00",
         "text_hash": "b", "text": LINES["text"], "diff_summary": "+20 / -3 characters"},
        {"url": ENGLISH["url"], "capture_id": None, "fetched_at": "2025-02-01T00:00:00+00:00",
         "text_hash": "c", "text": ENGLISH["text"], "diff_summary": "first version"},
    ])
    db.close()
    ds = open_archive(with_versions)
    rows = ask_json(ds, "/archive/changed.json?_shape=objects")["rows"]
    assert [(r["url"], r["versions"], r["diff_summary"]) for r in rows] == [
        (LINES["url"], 2, "+20 / -3 characters")]
    assert rows[0]["title"] == LINES["title"]


# --- opening the archive ----------------------------------------------------------------------


def test_empty_archive(tmp_path):
    path = tmp_path / "empty.db"
    ArchiveDB(path).close()
    ds = open_archive(path)
    assert search(ds, "數據標注", "empty") == [] and search(ds, "數據", "empty") == []
    for page in ["/empty", "/empty/articles", "/empty/captures", "/empty/latest",
                 "/empty/failed", "/empty/captures_of_url?url=x", "/empty/search?q=x"]:
        assert ask(ds, page)[0] == 200, page


def test_wal_is_checkpointed_so_immutable_mode_sees_every_row(tmp_path):
    path = tmp_path / "archive.db"
    writer = ArchiveDB(path)  # kept open: its rows stay in the WAL
    writer.store_article(ENGLISH)
    assert Path(f"{path}-wal").stat().st_size > 0
    try:
        ds = open_archive(path, immutable=True)
        assert Path(f"{path}-wal").stat().st_size == 0
        assert not ds.databases["archive"].is_mutable
        assert titles(search(ds, "supervised")) == [ENGLISH["title"]]
    finally:
        writer.close()


def test_served_read_only(ds):
    import asyncio

    db = ds.get_database("archive")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(db.execute("delete from articles"))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(db.execute_write("delete from articles"))
    assert asyncio.run(db.execute("select count(*) from articles")).single_value() > 5
    mmap = asyncio.run(db.execute_fn(lambda conn: conn.execute("pragma mmap_size").fetchone()))
    assert mmap[0] > 0
    status, _ = ask(ds, "/archive.json?sql=" + quote("delete from articles"))
    assert status == 400


def test_cli_get_answers_one_request(archive_path, expected_titles):
    result = CliRunner().invoke(cli, ["browse", "--db", str(archive_path), "--get",
                                      "/archive/search.json?q=估值&_shape=objects"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"][0]["title"] == expected_titles["netease"]
    result = CliRunner().invoke(cli, ["browse", "--db", str(archive_path), "--get",
                                      "/archive/no-such-table"])
    assert result.exit_code == 1


def test_cli_fails_clearly_without_an_archive(tmp_path):
    result = CliRunner().invoke(cli, ["browse", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1
    assert "Error: no archive database at" in result.output
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("hello, this is not SQLite\n" * 100)
    result = CliRunner().invoke(cli, ["browse", "--db", str(not_sqlite)])
    assert result.exit_code == 1 and "not a SQLite database" in result.output
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["things"].insert({"a": 1})
    result = CliRunner().invoke(cli, ["browse", "--db", str(other)])
    assert result.exit_code == 1 and "not a seedcrawler archive" in result.output


# --- the real server, over 127.0.0.1 -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_archive(db_path: Path, *extra: str) -> Iterator[str]:
    """Run ``crawler browse --db DB --port N`` in a subprocess; yield its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "browse", "--db", str(db_path), "--port", str(port),
         *extra], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"crawler browse exited: {process.stdout.read()}")
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def http_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def test_crawler_browse_serves_the_archive(crawled, expected_titles, tmp_path):
    # What the acceptance check does: crawl, start the server, query it over HTTP.
    with serve_archive(copy_archive(crawled.db_path, tmp_path / "archive.db")) as base:
        def found(path: str) -> list[str]:
            body = http_json(f"{base}/archive/{path}")
            columns = body.get("columns")
            if columns is None:  # already objects
                return [row["title"] for row in body["rows"]]
            return [row[columns.index("title")] for row in body["rows"]]

        assert expected_titles["netease"] in found("articles.json?_search="
                                                    + quote("數據標注公司"))
        assert expected_titles["weibo"] in found("search.json?q=" + quote("领投"))
        assert expected_titles["netease"] in found("search.json?q=" + quote("估值"))
        assert expected_titles["netease"] in found("search.json?q=" + quote("數據標注"))
        assert expected_titles["french"] in found("search.json?q=" + quote("données"))
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{base}/archive.json?sql=" + quote("delete from errors"))


def test_crawler_browse_binds_to_localhost_by_default():
    help_text = CliRunner().invoke(cli, ["browse", "--help"]).output
    assert "127.0.0.1" in help_text
    host = next(p for p in cli.commands["browse"].params if p.name == "host")
    assert host.default == "127.0.0.1"
