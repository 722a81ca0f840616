import gzip
import os
import subprocess
import sys
from io import BytesIO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from crawler.warc.writer import RollingWarcWriter


def _response(builder, url, payload):
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], "HTTP/1.1")
    return builder.create_warc_record(url, "response", payload=BytesIO(payload),
                                      length=len(payload), http_headers=headers)


def test_files_are_open_until_closed_then_renamed(tmp_path):
    writer = RollingWarcWriter(tmp_path, prefix="TEST", warcinfo={"software": "test"})
    (location,) = writer.write(_response(writer.builder, "http://a.test/", b"hello"))
    assert writer.current_path.name.endswith(".warc.gz.open")
    assert location.warc_file == writer.current_path.name.removesuffix(".open")
    writer.close()
    (path,) = writer.closed_files
    assert path.name == location.warc_file and path.exists()
    assert not list(tmp_path.glob("*.open"))
    name_parts = path.name.split("-")
    assert name_parts[0] == "TEST" and len(name_parts[1]) == 17 and name_parts[2] == "00000"


def test_every_file_opens_with_warcinfo_and_offsets_point_at_records(tmp_path):
    writer = RollingWarcWriter(tmp_path, max_size=2000, warcinfo={"software": "test"})
    locations, payloads = [], []
    for n in range(6):
        payloads.append(os.urandom(900))  # incompressible, so files really fill up
        locations += writer.write(_response(writer.builder, f"http://a.test/{n}", payloads[-1]))
    writer.close()
    assert len(writer.closed_files) > 1
    for path in writer.closed_files:
        with path.open("rb") as fh:
            types = [rec.rec_type for rec in ArchiveIterator(fh)]
        assert types[0] == "warcinfo"
        gzip.decompress(path.read_bytes())  # every member is complete
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    for n, location in enumerate(locations):
        with (tmp_path / location.warc_file).open("rb") as fh:
            fh.seek(location.offset)
            raw = fh.read(location.length)
        record = next(ArchiveIterator(BytesIO(raw)))
        assert record.rec_headers.get_header("WARC-Target-URI") == f"http://a.test/{n}"
        assert record.rec_headers.get_header("WARC-Record-ID") == location.record_id
        assert record.content_stream().read() == payloads[n]


def _exchange(builder, fixed_id: str):
    """A response, request, metadata and revisit record with fixed ids and dates, so that
    two copies serialise alike; non-ASCII header values and an empty body included."""
    date = {"WARC-Date": "2026-12-01T10:00:00.123456Z"}
    body = "<html><body>數據標注 données</body></html>".encode() * 40
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                       ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
                                       ("X-Title", "數據")], "HTTP/1.1")
    response = builder.create_warc_record(
        "http://a.test/p?q=1", "response", payload=BytesIO(body), length=len(body),
        http_headers=http,
        warc_headers_dict={**date, "WARC-Record-ID": f"<urn:uuid:{fixed_id}-1>",
                           "WARC-IP-Address": "127.0.0.1"})
    request = builder.create_warc_record(
        "http://a.test/p?q=1", "request", payload=BytesIO(b""), length=0,
        http_headers=StatusAndHeaders("GET /p?q=1 HTTP/1.1", [("Host", "a.test")],
                                      is_http_request=True),
        warc_headers_dict={**date, "WARC-Record-ID": f"<urn:uuid:{fixed_id}-2>",
                           "WARC-Concurrent-To": f"<urn:uuid:{fixed_id}-1>"})
    fields = b"seed: http://a.test/p?q=1\r\nhopsFromSeed: \r\n"
    metadata = builder.create_warc_record(
        "http://a.test/p?q=1", "metadata", payload=BytesIO(fields), length=len(fields),
        warc_content_type="application/warc-fields",
        warc_headers_dict={**date, "WARC-Record-ID": f"<urn:uuid:{fixed_id}-3>"})
    revisit = builder.create_warc_record(
        "http://a.test/p?q=1", "revisit",
        http_headers=StatusAndHeaders("304 Not Modified", [("ETag", '"x"')], "HTTP/1.1"),
        warc_headers_dict={**date, "WARC-Record-ID": f"<urn:uuid:{fixed_id}-4>",
                           "WARC-Payload-Digest": "sha1:AAAA",
                           "WARC-Profile": "http://netpreserve.org/warc/1.1/revisit/"
                                           "server-not-modified"})
    info = builder.create_warcinfo_record("x.warc.gz", {"software": "test"})
    info.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:{fixed_id}-5>")
    info.rec_headers.replace_header("WARC-Date", date["WARC-Date"])
    return [response, request, metadata, revisit, info]


def test_records_are_written_byte_for_byte_as_warcio_writes_them(tmp_path):
    from warcio.recordbuilder import RecordBuilder
    from warcio.warcwriter import WARCWriter

    from crawler.warc.writer import gzip_member, record_builder, record_bytes

    ours = _exchange(record_builder(), "0")
    theirs = _exchange(RecordBuilder(warc_version="1.1"), "0")
    for mine, reference in zip(ours, theirs, strict=True):
        expected = BytesIO()
        WARCWriter(expected, gzip=False, warc_version="1.1").write_record(reference)
        data = record_bytes(mine)
        assert data == expected.getvalue(), mine.rec_type
        assert gzip.decompress(gzip_member(data)) == data
    writer = RollingWarcWriter(tmp_path, warcinfo={"software": "test"})
    writer.write(*_exchange(writer.builder, "1")[:4])
    writer.close()
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v",
                            str(writer.closed_files[0])], capture_output=True, text=True)
    assert check.returncode == 0 and "digest pass" in check.stdout, check.stdout
