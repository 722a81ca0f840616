"""CDXJ indexes (crawler/warc/index.py): written by the crawler for every closed WARC file
and by `crawler index`, read by WARC_REPLAY to find captures without reading the WARCs."""

from __future__ import annotations

import io
import json
import os
import shutil
from datetime import UTC, datetime, timedelta

import pytest
import surt
from click.testing import CliRunner

from crawler.cli import cli
from crawler.demo.site.server import FixtureServer
from crawler.store.outcomes import EXIT_SOME_FAILED
from crawler.warc import index as index_module
from crawler.warc.index import (
    BackgroundIndexer,
    CaptureIndex,
    cdxj_lines,
    index_is_fresh,
    index_path,
    read_index,
    write_index,
)
from crawler.warc.reader import iter_records
from tests.warc_factory import Exchange, write_warc


def parse(line: str) -> tuple[str, str, dict]:
    key, timestamp, data = line.split(" ", 2)
    return key, timestamp, json.loads(data)


def test_the_crawl_indexes_every_warc_file_it_closes(crawled):
    for warc in crawled.warc_files:
        index = index_path(warc)
        assert index.is_file() and index.name == warc.name + ".cdxj"
        lines = index.read_text(encoding="utf-8").splitlines()
        assert lines == sorted(lines)
        responses = {r.offset: r for r in iter_records(warc) if r.rec_type == "response"}
        assert len(lines) == len(responses)
        for line in lines:
            key, timestamp, fields = parse(line)
            record = responses[int(fields["offset"])]
            assert fields["url"] == record.target_uri
            assert key == surt.surt(record.target_uri)
            assert int(fields["length"]) == record.length
            assert fields["filename"] == warc.name
            assert fields["status"] == record.http_headers.get_statuscode()
            assert fields["digest"] == record.header("WARC-Payload-Digest")
            assert fields["method"] == "GET"
            assert record.header("WARC-Date").replace("-", "").replace(":", "").replace(
                "T", "").startswith(timestamp)


def test_every_rolled_over_file_gets_its_index(crawl, tmp_path):
    # A server of its own: the shared one counts the requests it receives.
    with FixtureServer() as server:
        run = crawl(tmp_path / "archive", urls=server.seed_urls(),
                    settings={"WARC_MAX_SIZE": "20000"})
    assert run.process.returncode == EXIT_SOME_FAILED, run.log[-3000:]  # the 404 page
    assert len(run.warc_files) > 1
    assert sorted(p.name for p in run.warc_dir.glob("*.cdxj")) == sorted(
        p.name + ".cdxj" for p in run.warc_files)
    _assert_indexes_are_cdxj_indexers(run.warc_files)


def _assert_indexes_are_cdxj_indexers(warcs):
    """The index the crawl wrote as it wrote each file (LiveIndex) is, byte for byte, the
    one cdxj-indexer makes by reading the file."""
    assert warcs
    for warc in warcs:
        assert index_path(warc).read_text(encoding="utf-8") == "".join(cdxj_lines(warc)), warc


def test_the_crawl_writes_the_lines_cdxj_indexer_gives(crawled, requisite_crawls):
    # pages, redirects, errors, robots.txt, gzip bodies; requisites and, on the second run
    # of the requisite site, revisit records
    _assert_indexes_are_cdxj_indexers(crawled.warc_files)
    _assert_indexes_are_cdxj_indexers(requisite_crawls.first.warc_files)
    second = requisite_crawls.second.warc_files
    assert any(r.rec_type == "revisit" for w in second for r in iter_records(w))
    _assert_indexes_are_cdxj_indexers(second)


def test_live_index_leaves_files_it_cannot_index_to_cdxj_indexer(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders

    from crawler.warc.live_index import LiveIndex
    from crawler.warc.writer import RollingWarcWriter

    def exchange(writer, url, method, body=b""):
        response = writer.builder.create_warc_record(
            url, "response", payload=io.BytesIO(b"ok"), length=2,
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/plain")],
                                          "HTTP/1.1"))
        request = writer.builder.create_warc_record(
            url, "request", payload=io.BytesIO(body), length=len(body),
            http_headers=StatusAndHeaders(f"{method} / HTTP/1.1", [("Host", "a.test")],
                                          is_http_request=True),
            warc_headers_dict={"WARC-Concurrent-To":
                               response.rec_headers.get_header("WARC-Record-ID")})
        return [response, request]

    live = LiveIndex()
    for name, method in (("get", "GET"), ("post", "POST")):
        writer = RollingWarcWriter(tmp_path / name, warcinfo={"software": "test"})
        for n in range(3):
            records = exchange(writer, f"http://a.test/{n}", "GET" if n else method,
                               b"a=1" if method == "POST" else b"")
            live.add(records, writer.write(*records))
        filename = writer.current_name
        writer.close()
        lines = live.take(filename)
        if method == "GET":
            assert lines == cdxj_lines(writer.closed_files[0])
        else:
            assert lines is None  # a POST's key holds its body: cdxj-indexer reads the file
    writer = RollingWarcWriter(tmp_path / "alone", warcinfo={"software": "test"})
    response = exchange(writer, "http://a.test/", "GET")[0]
    live.add([response], writer.write(response))
    assert live.take(writer.current_name) is None  # a response without its request


def test_index_command_writes_skips_and_forces(crawled, tmp_path):
    folder = tmp_path / "warc"
    folder.mkdir()
    source = crawled.warc_files[0]
    shutil.copy(source, folder / source.name)
    shutil.copy(source, folder / "LEFT-OPEN.warc.gz.open")
    runner = CliRunner()
    first = runner.invoke(cli, ["index", str(folder)])
    assert first.exit_code == 0, first.output
    assert "1 index(es) written, 0 up to date, 1 skipped" in first.output
    assert index_path(folder / source.name).read_text() == index_path(source).read_text()
    assert not index_path(folder / "LEFT-OPEN.warc.gz.open").exists()
    again = runner.invoke(cli, ["index", str(folder)])
    assert "0 index(es) written, 1 up to date" in again.output
    forced = runner.invoke(cli, ["index", "--force", str(folder / source.name)])
    assert "1 index(es) written" in forced.output


def test_a_cut_file_is_indexed_up_to_its_last_whole_record(crawled, tmp_path):
    source = crawled.warc_files[0]
    records = [r for r in iter_records(source) if r.rec_type == "response"]
    last = records[-1]
    cut = tmp_path / "cut.warc.gz.open"
    cut.write_bytes(source.read_bytes()[: last.offset + last.length // 2])
    offsets = {int(parse(line)[2]["offset"]) for line in cdxj_lines(cut)}
    assert offsets == {r.offset for r in records[:-1]}


def test_index_is_stale_once_the_warc_changes(crawled, tmp_path):
    warc = tmp_path / crawled.warc_files[0].name
    shutil.copy(crawled.warc_files[0], warc)
    assert not index_is_fresh(warc)
    write_index(warc)
    assert index_is_fresh(warc)
    later = index_path(warc).stat().st_mtime_ns + 10**9
    os.utime(warc, ns=(later, later))
    assert not index_is_fresh(warc)


def test_capture_index_reads_the_cdxj_and_not_the_warc(crawled, monkeypatch):
    def no_scan(*args, **kwargs):
        raise AssertionError("the WARC file was read")

    monkeypatch.setattr(index_module, "cdxj_lines", no_scan)
    index = CaptureIndex.from_paths([crawled.warc_dir])
    assert not index.indexed_in_memory
    entries = [e for w in crawled.warc_files for e in read_index(index_path(w))]
    assert len(index) == len(entries)
    some = entries[0]
    assert index.latest("GET", some.url) == some
    assert index.latest("GET", some.url + "?not-crawled") is None


def test_files_without_an_index_are_indexed_in_memory(tmp_path):
    write_warc(tmp_path / "X.warc.gz", [Exchange("https://example.com/", body=b"hi")])
    index = CaptureIndex.from_paths([tmp_path])
    assert [w.name for w in index.indexed_in_memory] == ["X.warc.gz"]
    assert index.latest("GET", "https://example.com/").path == tmp_path / "X.warc.gz"
    assert not index_path(tmp_path / "X.warc.gz").exists()  # nothing written


def test_the_latest_capture_wins(tmp_path):
    url = "https://example.com/news"
    day = datetime(2025, 3, 1, tzinfo=UTC)
    write_warc(tmp_path / "A-1.warc.gz", [Exchange(url, body=b"old", date=day)])
    write_warc(tmp_path / "A-2.warc.gz", [Exchange(url, body=b"new", date=day + timedelta(1)),
                                          Exchange(url, status=404, date=day - timedelta(1))])
    for warc in tmp_path.glob("*.warc.gz"):
        write_index(warc)
    index = CaptureIndex.from_paths([tmp_path])
    latest = index.latest("GET", url)
    assert latest.status == 200 and latest.path.name == "A-2.warc.gz"
    assert [e.status for e in index.captures("GET", url)] == [404, 200, 200]


def test_same_second_ties_go_to_the_later_record(tmp_path):
    url = "https://example.com/same"
    moment = datetime(2025, 3, 1, 12, 0, 0, 100, tzinfo=UTC)
    write_warc(tmp_path / "A.warc.gz", [Exchange(url, status=503, date=moment),
                                        Exchange(url, status=200, date=moment)])
    assert CaptureIndex.from_paths([tmp_path]).latest("GET", url).status == 200


def test_background_indexer_reports_failures_and_carries_on(crawled, tmp_path, caplog):
    good = tmp_path / crawled.warc_files[0].name
    shutil.copy(crawled.warc_files[0], good)
    indexer = BackgroundIndexer()
    indexer.submit(tmp_path / "missing.warc.gz")
    indexer.submit(good)
    indexer.close()
    assert indexer.written == [index_path(good)]
    assert [path.name for path, _ in indexer.failed] == ["missing.warc.gz"]
    assert "Could not index" in caplog.text


@pytest.mark.parametrize("name", ["a.warc.gz", "a.warc", "a.warc.gz.open", "a.warc.open"])
def test_warc_names(name):
    assert index_module.is_warc_name(name)
    assert not index_module.is_warc_name(name + ".cdxj")
