"""Offline replay (crawler/replay/, crawler/fetch/warc_replay.py): the database
rebuilt from the WARC files alone, and a crawl answered from them with no network."""

from __future__ import annotations

import gzip
import json
import logging
import shutil
import sqlite3
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.cli import cli
from crawler.demo.site.pages import BLOG_PATH, FRENCH_PATH, build_site
from crawler.demo.site.server import FixtureServer
from crawler.fetch.warc_replay import WarcReplayMiddleware
from crawler.replay import replay
from crawler.spiders.seeds import SeedsSpider
from crawler.store.outcomes import EXIT_SOME_FAILED
from crawler.warc.reader import iter_records
from tests.crawling import LOCAL_REQUISITES_ONLY
from tests.warc_factory import Exchange, Revisit, html_headers, write_warc

# Columns a replay reproduces as the live crawl wrote them (ids are the database's own).
ARTICLE_FIELDS = ("url", "final_url", "title", "text", "author", "published", "sitename",
                  "language", "description", "tags", "encoding", "fetched_at", "extra",
                  "title_folded", "text_folded")


def rows(db_path: Path, table: str) -> list[dict]:
    db = sqlite_utils.Database(db_path)
    try:
        return list(db[table].rows) if db[table].exists() else []
    finally:
        db.close()


def dump(db_path: Path) -> dict[str, list]:
    """Every row of the tables a replay writes, in a comparable form."""
    db = sqlite_utils.Database(db_path)
    try:
        return {
            table: sorted(json.dumps(row, sort_keys=True, default=str) for row in db[table].rows)
            for table in ("captures", "articles", "article_versions", "errors", "crawls")
            if db[table].exists()
        }
    finally:
        db.close()


def articles_by_url(db_path: Path) -> dict[str, dict]:
    return {row["url"]: row for row in rows(db_path, "articles")}


def copy_db(source: Path, target: Path) -> Path:
    # The crawl checkpointed its WAL: the main file is the whole database.
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture(scope="module")
def rebuilt(crawled, tmp_path_factory):
    """The crawled WARC folder replayed through the CLI into an empty database."""
    db_path = tmp_path_factory.mktemp("rebuilt") / "new.db"
    result = CliRunner().invoke(
        cli, ["replay", str(crawled.warc_dir), "--db", str(db_path), "--workers", "2"])
    assert result.exit_code == 0, result.output
    return db_path, result.output


# --- rebuilding the database -------------------------------------------------------------


def test_rebuild_reproduces_the_live_articles(crawled, rebuilt):
    db_path, _ = rebuilt
    live, new = articles_by_url(crawled.db_path), articles_by_url(db_path)
    assert live and set(new) == set(live)
    for url, row in live.items():
        for name in ARTICLE_FIELDS:
            assert new[url][name] == row[name], (url, name)


def test_rebuild_reproduces_the_capture_rows(crawled, rebuilt):
    db_path, _ = rebuilt
    live = {row["warc_record_id"]: row for row in rows(crawled.db_path, "captures")}
    new = {row["warc_record_id"]: row for row in rows(db_path, "captures")}
    assert set(new) == set(live)
    for record_id, row in live.items():
        for name, value in row.items():
            if name not in ("id", "crawl_id"):
                assert new[record_id][name] == value, (row["url"], name)


def test_articles_point_at_their_rebuilt_captures(rebuilt):
    db_path, _ = rebuilt
    db = sqlite_utils.Database(db_path)
    joined = list(db.query("select a.final_url, c.url, c.status from articles a "
                           "join captures c on c.id = a.capture_id"))
    assert len(joined) == db["articles"].count
    assert all(r["final_url"] == r["url"] and r["status"] == 200 for r in joined)


def test_replay_ends_with_a_summary(crawled, rebuilt):
    _, output = rebuilt
    assert "=== seedcrawler replay finished ===" in output
    captures = len(rows(crawled.db_path, "captures"))
    articles = len(rows(crawled.db_path, "articles"))
    assert f"{captures} captures" in output
    assert f"articles     {articles} stored" in output
    assert "records/s" in output and "database" in output


def test_replaying_again_changes_nothing(crawled, tmp_path):
    db_path = tmp_path / "twice.db"
    first = replay([crawled.warc_dir], db_path, workers=2)
    before = dump(db_path)
    second = replay([crawled.warc_dir], db_path, workers=2)
    assert dump(db_path) == before
    assert first.articles_stored == second.articles_stored
    assert set(second.articles) == {"unchanged"}


def test_replaying_into_the_live_database_changes_nothing(crawled, tmp_path):
    db_path = copy_db(crawled.db_path, tmp_path / "live.db")
    before = dump(db_path)
    replay([crawled.warc_dir], db_path, workers=2)
    assert dump(db_path) == before


def test_replay_in_one_thread_gives_the_same_articles(crawled, rebuilt, tmp_path):
    db_path = tmp_path / "thread.db"
    replay(crawled.warc_files, db_path, workers=0)
    assert articles_by_url(db_path).keys() == articles_by_url(rebuilt[0]).keys()


# --- files as a crash or another tool leaves them ----------------------------------------


def test_open_file_is_replayed_up_to_its_truncated_last_record(crawled, tmp_path, caplog):
    source = crawled.warc_files[0]
    records = list(iter_records(source))
    last_response = [r for r in records if r.rec_type == "response"][-1]
    folder = tmp_path / "warc"
    folder.mkdir()
    cut = folder / (source.name + ".open")
    cut.write_bytes(source.read_bytes()[: last_response.offset + last_response.length // 2])
    db_path = tmp_path / "open.db"
    with caplog.at_level(logging.WARNING, logger="crawler.replay"):
        result = replay([folder], db_path, workers=2)
    assert any("truncated last record" in message for message in caplog.messages)
    assert len(result.truncated) == 1 and "offset" in result.truncated[0]
    captures = rows(db_path, "captures")
    whole = [r for r in records if r.rec_type == "response" and r.offset < last_response.offset]
    assert {c["warc_record_id"] for c in captures} == {r.record_id for r in whole}
    assert {c["warc_file"] for c in captures} == {source.name}  # named without .open
    (error,) = rows(db_path, "errors")
    assert error["stage"] == "replay" and error["error"] == "TruncatedWarc"
    # and again: no second error row
    replay([folder], db_path, workers=0)
    assert len(rows(db_path, "errors")) == 1


def test_uncompressed_warc_gives_the_same_articles(crawled, rebuilt, tmp_path):
    plain = tmp_path / "plain.warc"
    with open(plain, "wb") as out:
        for source in crawled.warc_files:
            data = source.read_bytes()
            for record in iter_records(source):
                out.write(gzip.decompress(data[record.offset:record.offset + record.length]))
    db_path = tmp_path / "plain.db"
    replay([plain], db_path, workers=2)
    live, new = articles_by_url(rebuilt[0]), articles_by_url(db_path)
    assert set(new) == set(live)
    assert all(new[url]["text"] == live[url]["text"] for url in live)
    assert {c["warc_file"] for c in rows(db_path, "captures")} == {"plain.warc"}


def test_warc_without_metadata_keys_articles_by_the_start_of_the_redirect_chain(tmp_path):
    page = build_site()[FRENCH_PATH]
    start, end = "https://example.org/short/1", "https://example.org/articles/1.html"
    write_warc(tmp_path / "other-tool.warc.gz", [
        Exchange("https://example.org/robots.txt", body=b"User-agent: *\n",
                 headers=[("Content-Type", "text/plain")]),
        Exchange(start, status=301, headers=[("Location", "/articles/1.html")]),
        Exchange(end, body=page.body, headers=html_headers(page.body, page.content_type),
                 gzip_body=True),
    ])
    db_path = tmp_path / "other.db"
    result = replay([tmp_path], db_path, workers=0)
    (article,) = rows(db_path, "articles")
    assert article["url"] == start and article["final_url"] == end
    assert article["title"] == page.expected.title
    assert result.captures == 3 and result.not_html == 1


def test_a_redirect_to_a_location_urllib_refuses_is_replayed_without_it(tmp_path):
    page = build_site()[FRENCH_PATH]
    url = "https://example.org/articles/1.html"
    write_warc(tmp_path / "hostile.warc.gz", [
        Exchange("https://example.org/short/1", status=302, headers=[("Location", "http://[broken/")]),
        Exchange(url, body=page.body, headers=html_headers(page.body, page.content_type)),
    ])
    db_path = tmp_path / "hostile.db"
    result = replay([tmp_path], db_path, workers=0)
    (article,) = rows(db_path, "articles")
    assert article["url"] == url and article["title"] == page.expected.title
    assert result.captures == 2


def test_identical_payload_revisit_is_read_from_the_record_it_names(tmp_path):
    page = build_site()[BLOG_PATH]
    url = "https://blog.example.net/post.html"
    first = datetime(2025, 1, 1, tzinfo=UTC)
    ids = write_warc(tmp_path / "A-1.warc.gz", [
        Exchange(url, body=page.body, headers=html_headers(page.body, page.content_type),
                 seed=url, date=first)])
    response = next(r for r in iter_records(tmp_path / "A-1.warc.gz")
                    if r.rec_type == "response")
    write_warc(tmp_path / "A-2.warc.gz", [
        Revisit(url, of=ids[url], of_date=response.header("WARC-Date"),
                digest=response.header("WARC-Payload-Digest"),
                headers=html_headers(page.body, page.content_type),
                date=first + timedelta(days=1))])
    db_path = tmp_path / "revisit.db"
    replay([tmp_path], db_path, workers=0)
    (article,) = rows(db_path, "articles")
    assert article["title"] == page.expected.title
    revisit = next(c for c in rows(db_path, "captures") if c["warc_file"] == "A-2.warc.gz")
    assert article["capture_id"] == revisit["id"]
    assert revisit["content_length"] == len(page.body)


def test_missing_path_is_a_clear_cli_error(tmp_path):
    result = CliRunner().invoke(cli, ["replay", str(tmp_path / "nope"), "--db",
                                      str(tmp_path / "x.db")])
    assert result.exit_code != 0 and "does not exist" in result.output


# --- WARC_REPLAY: the middleware ----------------------------------------------------------


@pytest.fixture
def replay_middleware(crawled, tmp_path):
    crawler = get_crawler(SeedsSpider, settings_dict={
        "WARC_REPLAY": str(crawled.warc_dir), "ARCHIVE_DIR": str(tmp_path / "archive")})
    return build_from_crawler(WarcReplayMiddleware, crawler), crawler


def test_middleware_is_off_without_warc_replay(tmp_path):
    from scrapy.exceptions import NotConfigured

    crawler = get_crawler(SeedsSpider, settings_dict={"ARCHIVE_DIR": str(tmp_path)})
    with pytest.raises(NotConfigured):
        build_from_crawler(WarcReplayMiddleware, crawler)


def test_middleware_answers_with_the_response_as_recorded(replay_middleware, fixture_site,
                                                          site_pages):
    middleware, crawler = replay_middleware
    url = fixture_site.url(BLOG_PATH)
    request = Request(url)
    response = middleware.process_request(request)
    assert response.status == 200 and "replayed" in response.flags
    assert response.headers[b"Content-Encoding"] == b"gzip"  # as stored: still compressed
    decoded = build_from_crawler(HttpCompressionMiddleware, crawler).process_response(
        request, response)
    assert decoded.body == site_pages[BLOG_PATH].body
    assert str(response.ip_address) == "127.0.0.1"
    assert request.meta["capture_id"] and request.meta["fetched_at"].endswith("Z")


def test_middleware_replays_a_redirect_as_recorded(replay_middleware, fixture_site):
    middleware, _ = replay_middleware
    response = middleware.process_request(Request(fixture_site.url("/r/toloka")))
    assert response.status == 301
    assert response.headers[b"Location"].decode().endswith(FRENCH_PATH)


def test_middleware_reports_a_url_not_in_the_archive(replay_middleware, fixture_site,
                                                     caplog):
    middleware, crawler = replay_middleware
    with caplog.at_level(logging.WARNING), pytest.raises(IgnoreRequest):
        middleware.process_request(Request(fixture_site.url("/never-crawled.html")))
    assert crawler.stats.get_value("replay/missing") == 1
    assert any("not in archive" in message for message in caplog.messages)
    (error,) = rows(Path(crawler.settings["ARCHIVE_DIR"]) / "archive.db", "errors")
    assert error["stage"] == "replay" and error["url"].endswith("/never-crawled.html")


def test_middleware_tells_methods_apart(tmp_path):
    url = "https://api.example.com/search"
    write_warc(tmp_path / "methods.warc.gz", [
        Exchange(url, method="POST", body=b"posted", request_body=b"q=1",
                 headers=[("Content-Type", "text/plain")]),
        Exchange(url, method="GET", body=b"got", headers=[("Content-Type", "text/plain")]),
    ])
    crawler = get_crawler(SeedsSpider, settings_dict={
        "WARC_REPLAY": str(tmp_path), "ARCHIVE_DIR": str(tmp_path / "archive")})
    middleware = build_from_crawler(WarcReplayMiddleware, crawler)
    assert middleware.process_request(Request(url)).body == b"got"
    assert middleware.process_request(Request(url, method="POST", body=b"q=1")).body == b"posted"
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request(url, method="PUT"))


@pytest.fixture(scope="module")
def site_pages():
    return build_site()


# --- WARC_REPLAY: a whole crawl with the site gone and every socket audited --------------

# Loaded by every Python process of the crawl (PYTHONPATH): the crawl itself, the
# forkserver and the extraction workers. Logs every Internet socket created (with the code
# that created it), every connection, datagram sent and name looked up.
AUDIT_HOOK = textwrap.dedent('''
    import os, socket, sys
    _LOG = os.environ["SOCKET_AUDIT_LOG"]
    _INET = (socket.AF_INET, socket.AF_INET6)
    _LOCAL = {None, "", "localhost", "127.0.0.1", "::1", socket.gethostname()}

    def _write(line):
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {line}\\n")

    def _caller():
        frame = sys._getframe(2)
        while frame and frame.f_code.co_filename.endswith("socket.py"):
            frame = frame.f_back
        return f"{frame.f_code.co_filename}:{frame.f_code.co_name}" if frame else "?"

    def _hook(event, args):
        if event == "socket.__new__" and args[1] in _INET:
            _write(f"new {_caller()}")
        elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            if getattr(args[0], "family", None) in _INET:
                _write(f"{event} {args[1]!r}")
        elif event in ("socket.getaddrinfo", "socket.gethostbyname") and args[0] not in _LOCAL:
            _write(f"{event} {args[0]!r}")

    _write(f"hook {' '.join(sys.argv)[:200]}")
    sys.addaudithook(_hook)
''')

# The one Internet socket a crawl's imports create: urllib3 binds one to ::1 to learn
# whether the machine has IPv6. It is never connected.
IPV6_PROBE = "urllib3/util/connection.py:_has_ipv6"


@pytest.fixture(scope="module")
def audit_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    (folder / "sitecustomize.py").write_text(AUDIT_HOOK, encoding="utf-8")
    return folder


def audit_env(audit_dir: Path, log: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(audit_dir), "SOCKET_AUDIT_LOG": str(log)}


def test_the_socket_audit_sees_a_connection(audit_dir, tmp_path):
    """The control: the same hook does log a connection when one is made."""
    import subprocess

    log = tmp_path / "control.log"
    with FixtureServer() as server:
        code = f"import urllib.request; urllib.request.urlopen({server.url('/robots.txt')!r})"
        subprocess.run([sys.executable, "-c", code], env=audit_env(audit_dir, log), check=True)
    lines = log.read_text().splitlines()
    assert any(" hook " in line for line in lines)
    assert any(" socket.connect ('127.0.0.1'" in line for line in lines)


@pytest.fixture(scope="module")
def offline_replay(crawl, audit_dir, tmp_path_factory):
    """Crawl the fixture site, stop it, then crawl again from the WARC files alone, with
    every Python process auditing its sockets. A second WARC, from elsewhere, holds a page
    of a real domain (its robots.txt is not archived)."""
    workdir = tmp_path_factory.mktemp("offline")
    with FixtureServer() as server:
        seeds = server.seed_urls()
        live = crawl(workdir / "live", urls=seeds, settings=LOCAL_REQUISITES_ONLY)
        missing = server.url("/never-crawled.html")
    assert live.process.returncode == EXIT_SOME_FAILED, live.log[-3000:]  # the 404 page
    replay_dir = workdir / "replay-warc"
    shutil.copytree(live.warc_dir, replay_dir)
    page = build_site()[FRENCH_PATH]
    example = "https://news.example.com/2025/toloka.html"
    write_warc(replay_dir / "OTHER-00000.warc.gz", [Exchange(
        example, body=page.body, seed=example, gzip_body=True,
        headers=[*html_headers(page.body, page.content_type),
                 ("Set-Cookie", "sid=1; Domain=.example.com; Path=/")])])
    log = workdir / "sockets.log"
    run = crawl(workdir / "replayed", urls=[*seeds, missing, example],
                settings={"WARC_REPLAY": str(replay_dir), **LOCAL_REQUISITES_ONLY},
                env=audit_env(audit_dir, log))
    # the 404 page and the page missing from the archive are failed seeds
    assert run.process.returncode == EXIT_SOME_FAILED, run.log[-3000:]
    return live, run, log, missing, example


def test_offline_crawl_opens_no_socket(offline_replay):
    _, run, log, _, _ = offline_replay
    lines = log.read_text().splitlines()
    hooked = [line.split(" ", 2)[2] for line in lines if " hook " in line]
    assert any(line.startswith("-m crawl seeds") for line in hooked)  # the crawl itself
    assert len(hooked) >= 3  # and the forkserver and the extraction workers it started
    events = [line.split(" ", 1)[1] for line in lines if " hook " not in line]
    assert events, "the audit saw nothing at all"
    assert [e for e in events if not e.endswith(IPV6_PROBE)] == []


def test_offline_crawl_gives_the_live_articles(offline_replay):
    live, run, _, _, example = offline_replay
    before, after = articles_by_url(live.db_path), articles_by_url(run.db_path)
    assert before and set(after) == set(before) | {example}
    for url, row in before.items():
        assert (after[url]["title"], after[url]["text"]) == (row["title"], row["text"])
        assert after[url]["final_url"] == row["final_url"]


def test_offline_crawl_writes_no_warc_and_reports_what_is_missing(offline_replay):
    _, run, _, missing, example = offline_replay
    assert not list(run.warc_dir.glob("*.warc*"))
    assert "not in archive" in run.log
    errors = rows(run.db_path, "errors")
    replay_errors = {e["url"] for e in errors if e["stage"] == "replay"}
    # the page never crawled, and robots.txt of the host only the hand-made WARC holds
    assert replay_errors == {missing, "https://news.example.com/robots.txt"}
    # recorded once, as missing from the archive; not a second time as a failed fetch
    assert [e["stage"] for e in errors if e["url"] == missing] == ["replay"]
    (crawl_row,) = rows(run.db_path, "crawls")
    stats = json.loads(crawl_row["stats"])
    assert stats["replay/missing"] == 2
    assert stats["replay/responses"] == stats["downloader/response_count"]


def test_offline_crawl_points_articles_at_the_archived_records(offline_replay):
    _, run, _, _, _ = offline_replay
    db = sqlite_utils.Database(run.db_path)
    joined = list(db.query("select a.final_url, c.url, c.warc_file from articles a "
                           "join captures c on c.id = a.capture_id"))
    assert len(joined) == db["articles"].count
    assert all(r["final_url"] == r["url"] for r in joined)


# --- an article made of two responses ------------------------------------------------------


def test_a_weibo_long_post_is_rebuilt_whole(crawl, tmp_path):
    """Live, the post's text comes from a second request (/statuses/extend); the replay
    completes the /statuses/show article from that capture, as the crawl did."""
    from crawler.demo.site.weibo_api import WeiboApiServer
    from crawler.demo.site.weibo_posts import MAIN_BID, MAIN_UID

    seed = f"https://weibo.com/{MAIN_UID}/{MAIN_BID}"
    with WeiboApiServer() as api:
        live = crawl(tmp_path / "live", urls=[seed], settings={
            "WEIBO_API_BASE": api.base_url, "WEIBO_PASSPORT_BASE": api.base_url})
    assert live.process.returncode == 0, live.log[-3000:]
    (before,) = rows(live.db_path, "articles")
    assert json.loads(before["extra"])["long_text_capture_id"]
    db_path = tmp_path / "rebuilt.db"
    replay([live.warc_dir], db_path, workers=0)
    (after,) = rows(db_path, "articles")
    for name in (*ARTICLE_FIELDS, "capture_id"):
        assert after[name] == before[name], name


def _weibo_answers():
    from crawler.demo.site.weibo_posts import MAIN_BID, MAIN_MID, MAIN_UID, long_text_html, statuses

    seed = f"https://weibo.com/{MAIN_UID}/{MAIN_BID}"
    show = (f"https://m.weibo.cn/statuses/show?id={MAIN_BID}",
            json.dumps({"ok": 1, "data": statuses()[MAIN_BID]}, ensure_ascii=False).encode())
    extend = (f"https://m.weibo.cn/statuses/extend?id={MAIN_MID}",
              json.dumps({"ok": 1, "data": {"ok": 1, "longTextContent": long_text_html()}},
                         ensure_ascii=False).encode())
    return seed, show, extend


def _json_exchange(url: str, body: bytes, seed: str) -> Exchange:
    return Exchange(url, body=body, seed=seed,
                    headers=html_headers(body, "application/json; charset=utf-8"))


@pytest.mark.parametrize("show_answer", ["missing", "walled", "whole"])
def test_a_weibo_long_text_capture_is_an_article_of_its_own(tmp_path, show_answer):
    """The /statuses/extend answer holds the whole text: an article even where the
    /statuses/show capture is missing or a wall; merged with it where it is had."""
    seed, (show_url, show_body), (extend_url, extend_body) = _weibo_answers()
    exchanges = [_json_exchange(extend_url, extend_body, seed)]
    if show_answer == "walled":
        wall = json.dumps({"ok": -100, "url": "https://passport.weibo.cn/signin"}).encode()
        exchanges.insert(0, _json_exchange(show_url, wall, seed))
    elif show_answer == "whole":
        exchanges.insert(0, _json_exchange(show_url, show_body, seed))
    write_warc(tmp_path / "weibo.warc.gz", exchanges)
    db_path = tmp_path / "weibo.db"
    replay([tmp_path], db_path, workers=0)
    (article,) = rows(db_path, "articles")
    extra = json.loads(article["extra"])
    assert article["url"] == seed
    assert article["text"].endswith("或将成为推动AI落地的关键。")
    assert not extra["text_truncated"]
    if show_answer == "whole":
        assert article["author"] and article["published"] and "long_text_only" not in extra
        assert article["final_url"] == show_url
    else:
        assert article["author"] is None and extra["long_text_only"]
        assert article["final_url"] == extend_url
