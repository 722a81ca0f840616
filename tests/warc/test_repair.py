import os
import shutil
import subprocess
import sys
from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders

from crawler.warc.reader import iter_records
from crawler.warc.repair import complete_length, repair_open_file
from crawler.warc.writer import RollingWarcWriter


def _open_file_with_records(directory, count=4):
    writer = RollingWarcWriter(directory, warcinfo={"software": "test"})
    locations = []
    for n in range(count):
        payload = os.urandom(3000)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], "HTTP/1.1")
        record = writer.builder.create_warc_record(f"http://a.test/{n}", "response",
                                                   payload=BytesIO(payload),
                                                   length=len(payload), http_headers=headers)
        locations += writer.write(record)
    path = writer.current_path
    writer._fh.flush()
    return path, locations  # the writer is abandoned, as by a crash


def test_complete_file_is_closed_unchanged(tmp_path):
    path, locations = _open_file_with_records(tmp_path)
    size = path.stat().st_size
    result = repair_open_file(path)
    assert result.cut_bytes == 0 and result.path.stat().st_size == size
    assert result.path.name == locations[0].warc_file


def test_a_cut_anywhere_leaves_only_complete_records(tmp_path):
    original, locations = _open_file_with_records(tmp_path / "src")
    data = original.read_bytes()
    ends = {loc.offset + loc.length for loc in locations}
    for cut in range(1, len(data), 397):
        work = tmp_path / f"cut{cut}" / original.name
        work.parent.mkdir()
        work.write_bytes(data[:cut])
        result = repair_open_file(work)
        expected = max([0, *(end for end in ends if end <= cut)], default=0)
        warcinfo_end = locations[0].offset
        if cut < warcinfo_end:
            assert result.path is None and not work.exists()
            continue
        assert result.kept_bytes == max(expected, warcinfo_end)
        assert subprocess.run(["gzip", "-t", str(result.path)]).returncode == 0
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(result.path)])
        assert check.returncode == 0
        records = list(iter_records(result.path))
        assert records[0].rec_type == "warcinfo"
        assert len(records) - 1 == sum(end <= cut for end in ends)
        shutil.rmtree(work.parent)


def test_complete_length_ignores_trailing_garbage(tmp_path):
    path, _ = _open_file_with_records(tmp_path, count=1)
    size = path.stat().st_size
    with open(path, "ab") as fh:
        fh.write(b"not gzip at all")
    assert complete_length(path) == size
