"""Replay throughput: ``crawler replay`` of a WARC file against the extraction alone.

    python benchmarks/replay_benchmark.py --pages 2000            # one core per process
    python benchmarks/replay_benchmark.py --pages 2000 --workers 2 --keep /tmp/bench

Builds a WARC file of ``--pages`` article pages the way the crawler writes them (a gzip
payload per response, a request and a ``metadata`` record each), the pages made from the
fixture site's five article pages (``crawler.demo.site.pages.build_site()``) with a
sentence of their own added, so that no two are alike. Then times, with the same number of
processes:

- extraction alone: ``crawler.extract.extract`` over the decoded payloads, in a process
  pool (the pool started inside the timing, as replay starts its own);
- replay: ``crawler.replay.replay`` of the WARC file into an empty database (reading every
  record, the capture rows, extraction, the article rows).

It prints a markdown table (pages/s of each, and replay / extraction) and exits 0; the
target is a ratio of at least 0.8.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.demo.site.pages import build_site  # noqa: E402
from crawler.extract import extract  # noqa: E402
from crawler.extract.pool import WorkerPool, default_workers  # noqa: E402
from crawler.replay import replay  # noqa: E402
from crawler.text.decode import decode_html  # noqa: E402
from crawler.warc.records import warc_date  # noqa: E402
from crawler.warc.writer import record_builder  # noqa: E402

# A sentence per page, in each template's language, so that every page is its own.
_EXTRA = {
    "zh": "第{n}號補充說明：本段文字為基準測試而加入，內容與原文無關。",
    "fr": "Note numéro {n} : ce paragraphe est ajouté pour la mesure et ne change rien.",
}


def make_pages(count: int) -> list[tuple[str, str, bytes]]:
    """``count`` distinct article pages: (url, content type, body as served)."""
    templates = [page for page in build_site().values() if page.expected is not None]
    pages = []
    for n in range(count):
        page = templates[n % len(templates)]
        # Decoded as extraction decodes it (a page may declare GBK and be UTF-8).
        decoded = decode_html(page.body, page.content_type)
        charset, text = decoded.encoding, decoded.text
        phrase = page.expected.body[0]
        extra = _EXTRA["fr" if page.expected.language == "fr" else "zh"].format(n=n)
        if phrase in text:
            text = text.replace(phrase, f"{phrase}{extra}", 1)
        body = text.encode(charset, errors="xmlcharrefreplace")
        url = f"https://bench{n % 7}.example.com/{n // 7}/page-{n}.html"
        pages.append((url, page.content_type, body))
    return pages


def write_warc(path: Path, pages: list[tuple[str, str, bytes]]) -> None:
    """The pages as the crawler archives them (gzip payload, request, metadata)."""
    builder = record_builder()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        writer.write_record(builder.create_warcinfo_record(path.name, {"software": "bench"}))
        for n, (url, content_type, body) in enumerate(pages):
            date = warc_date(start + timedelta(seconds=n))
            payload = gzip.compress(body, mtime=0)
            headers = [("Content-Type", content_type), ("Content-Encoding", "gzip"),
                       ("Content-Length", str(len(payload)))]
            response = builder.create_warc_record(
                url, "response", payload=BytesIO(payload), length=len(payload),
                http_headers=StatusAndHeaders("200 OK", headers, "HTTP/1.1"),
                warc_headers_dict={"WARC-Date": date})
            response_id = response.rec_headers.get_header("WARC-Record-ID")
            request = builder.create_warc_record(
                url, "request", payload=BytesIO(b""), length=0,
                http_headers=StatusAndHeaders(f"GET /{url.split('/', 3)[3]} HTTP/1.1",
                                              [("Host", url.split("/")[2])],
                                              is_http_request=True),
                warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id})
            fields = f"seed: {url}\r\nhopsFromSeed: \r\n".encode()
            metadata = builder.create_warc_record(
                url, "metadata", payload=BytesIO(fields), length=len(fields),
                warc_content_type="application/warc-fields",
                warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response_id})
            for record in (response, request, metadata):
                writer.write_record(record)


async def _extract_all(pages: list[tuple[str, str, bytes]], workers: int) -> int:
    pool = WorkerPool(workers, preload=("crawler.extract",))
    try:
        results = await asyncio.gather(
            *(pool.run(extract, body, url, content_type) for url, content_type, body in pages))
    finally:
        pool.close()
    return sum(result is not None for result in results)


def time_extraction(pages: list[tuple[str, str, bytes]], workers: int) -> tuple[float, int]:
    started = time.perf_counter()
    articles = asyncio.run(_extract_all(pages, workers))
    return time.perf_counter() - started, articles


def time_replay(warc: Path, db_path: Path, workers: int) -> tuple[float, int, int]:
    started = time.perf_counter()
    result = replay([warc], db_path, workers=workers)
    seconds = time.perf_counter() - started
    return seconds, result.articles_stored, result.records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages in the WARC file")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="processes for both (default: one per core)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each, interleaved; the best of each is reported (a busy "
                             "machine slows some runs down)")
    parser.add_argument("--keep", type=Path, help="keep the WARC file and database here")
    args = parser.parse_args(argv)

    workdir = Path(args.keep or tempfile.mkdtemp(prefix="replay-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        pages = make_pages(args.pages)
        warc = workdir / "BENCH-00000.warc.gz"
        write_warc(warc, pages)
        warc_bytes = warc.stat().st_size
        extract_times, replay_times = [], []
        for run in range(max(1, args.repeat)):
            extract_s, extracted = time_extraction(pages, args.workers)
            extract_times.append(extract_s)
            db_path = workdir / f"replay-{run}.db"  # an empty database each time
            replay_s, stored, records = time_replay(warc, db_path, args.workers)
            replay_times.append(replay_s)
            print(f"run {run + 1}: extraction {extract_s:.1f} s, replay {replay_s:.1f} s",
                  file=sys.stderr)
        extract_s, replay_s = min(extract_times), min(replay_times)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)

    extract_rate, replay_rate = len(pages) / extract_s, len(pages) / replay_s
    print(f"machine: {platform.machine()}, {args.workers} process(es), "
          f"Python {platform.python_version()}; WARC: {len(pages)} pages, "
          f"{warc_bytes:,} bytes, {records} records; best of {max(1, args.repeat)} runs each")
    print()
    print("| run | pages | seconds | pages/s | articles |")
    print("|---|---:|---:|---:|---:|")
    print(f"| extraction alone | {len(pages)} | {extract_s:.1f} | {extract_rate:.1f} "
          f"| {extracted} |")
    print(f"| `crawler replay` | {len(pages)} | {replay_s:.1f} | {replay_rate:.1f} "
          f"| {stored} |")
    print()
    ratio = replay_rate / extract_rate
    print(f"replay / extraction: {ratio:.2f} (target >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
