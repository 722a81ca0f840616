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
