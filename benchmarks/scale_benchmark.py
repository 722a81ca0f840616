"""Scale-out: pages/s of 1, 2 and 4 workers sharing one crawl through Redis, and what Redis
holds per URL.

    python benchmarks/scale_benchmark.py                    # 240 pages, 0.5 s latency, 2 rounds
    python benchmarks/scale_benchmark.py --pages 400 --latency 1 --rounds 3 --workers 1,2,4,8

Starts a throwaway redis-server (127.0.0.1, a free port, no persistence) and a local news
site whose every page answers after ``--latency`` seconds, then, in interleaved rounds, runs
N ``scrapy crawl seeds -s REDIS_URL=...`` workers on the same seed list (a fresh frontier and
ARCHIVE_DIR each time) and reports, per N, the best round: pages/s over the whole run (first
worker started to last worker exited, start-up included) and over the crawl (from the first
page request the site saw to the last worker's exit: every page fetched, extracted, stored).
Each worker takes at most ``--concurrency`` requests at a time and extracts in one process
(``EXTRACT_WORKERS=1``).

``--memory N`` (default 10,000) then measures Redis's own accounting (``MEMORY USAGE``, and
``used_memory`` from ``INFO memory``) for N queued requests, N fingerprints and N capture
states, made as a crawl makes them.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.crawling import crawl_command, crawl_env  # noqa: E402
from tests.scale.redis_server import RedisServer  # noqa: E402
from tests.scale.site import NewsSite  # noqa: E402


def run_workers(count: int, site: NewsSite, redis_url: str, workdir: Path, name: str,
                concurrency: int) -> dict[str, float]:
    seeds = workdir / "seeds.txt"
    seeds.write_text("\n".join(site.page_urls()) + "\n", encoding="utf-8")
    archive = workdir / f"archive-{name}"
    settings = {"REDIS_URL": redis_url, "FRONTIER_NAME": name, "FRONTIER_IDLE_TIMEOUT": "0",
                "FRONTIER_HOST_DELAY": "0", "CONCURRENT_REQUESTS": str(concurrency),
                "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency), "EXTRACT_WORKERS": "1",
                "LOG_LEVEL": "WARNING"}
    site.clear()
    started = time.time()
    processes = [subprocess.Popen(crawl_command(archive, seeds, settings=settings), cwd=REPO,
                                  env=crawl_env(), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(count)]
    try:
        codes = [process.wait() for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    ended = time.time()
    if codes != [0] * count:
        raise SystemExit(f"a worker failed: {codes}")
    hits = site.page_hits()
    counts = site.counts()
    if len(counts) != len(site.pages) or max(counts.values()) != 1:
        raise SystemExit(f"{count} workers: not every page fetched exactly once")
    first = min(h.at for h in hits)
    shutil.rmtree(archive)
    return {"wall": ended - started, "crawl": ended - first}


def measure_memory(server: RedisServer, n: int) -> list[tuple[str, float, float]]:
    from scrapy import Request, Spider
    from scrapy_redis.dupefilter import RFPDupeFilter

    from crawler.scale.connection import FrontierKeys
    from crawler.scale.leases import LeasedQueue
    from crawler.scale.state import RedisCaptureState

    client = server.client()
    client.flushall()
    keys = FrontierKeys("seedcrawler:memory:")

    class Seeds(Spider):
        name = "seeds"

        def parse(self, response):
            return None

    spider = Seeds()
    queue = LeasedQueue(client, spider, keys, 60_000, 3, "bench-1")
    dupefilter = RFPDupeFilter(client, keys.dupefilter)
    state = RedisCaptureState(client, keys.captures)
    results = []

    def used() -> int:
        return int(client.info("memory")["used_memory"])

    def url(i: int) -> str:
        return f"https://www.example-news.com.cn/2025/06/{i % 28 + 1:02d}/article-{i:08d}.html"

    for label, key, add in (
        ("queued request (pickled, with its meta)", keys.queue,
         lambda i: queue.push(Request(url(i), callback=spider.parse, dont_filter=True,
                                      meta={"seed_url": url(i)}))),
        ("fingerprint (seen URL)", keys.dupefilter,
         lambda i: dupefilter.request_seen(Request(url(i)))),
        ("capture state (incremental runs)", keys.captures,
         lambda i: state.remember({
             "url": url(i), "etag": f'"{i:016x}-5f3a"',
             "last_modified": "Wed, 01 Jan 2025 00:00:00 GMT",
             "payload_digest": "sha1:2ZXJBDWGJ5GYVOUXPZCJUS6W47GGQQYU",
             "warc_record_id": f"<urn:uuid:3f0c{i:08x}-9d6e-4a4e-8c4b-0d2f1e6c7a55>",
             "warc_date": "2025-06-06T12:00:00.123456Z"})),
    ):
        before = used()
        for i in range(n):
            add(i)
        after = used()
        per_key = client.memory_usage(key, samples=0) / n
        results.append((label, per_key, (after - before) / n))
    client.flushall()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--memory", type=int, default=10_000)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    server = RedisServer(workdir / "redis").start()
    site = NewsSite(args.pages, latency=args.latency)
    best: dict[int, dict[str, float]] = {}
    try:
        for round_ in range(args.rounds):
            for count in counts:
                result = run_workers(count, site, server.url, workdir,
                                     f"bench-{round_}-{count}", args.concurrency)
                print(f"round {round_ + 1}: {count} worker(s): {result['wall']:.1f} s wall, "
                      f"{result['crawl']:.1f} s from the first page request", file=sys.stderr)
                if count not in best or result["wall"] < best[count]["wall"]:
                    best[count] = result
        memory = measure_memory(server, args.memory) if args.memory else []
    finally:
        site.close()
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{args.pages} pages, {args.latency} s latency each, {args.concurrency} requests "
          f"at a time per worker, best of {args.rounds} interleaved rounds; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}\n")
    print("| workers | wall s | pages/s (wall) | crawl s | pages/s (crawl) "
          "| vs 1 worker (wall) | vs 1 worker (crawl) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    first = best[counts[0]]
    for count in counts:
        wall, crawl = best[count]["wall"], best[count]["crawl"]
        print(f"| {count} | {wall:.1f} | {args.pages / wall:.1f} | {crawl:.1f} | "
              f"{args.pages / crawl:.1f} | {first['wall'] / wall:.2f} | "
              f"{first['crawl'] / crawl:.2f} |")
    if memory:
        print(f"\nRedis memory, {args.memory:,} entries each:\n")
        print("| what | bytes each (MEMORY USAGE of its key) | bytes each (used_memory) |")
        print("|---|---:|---:|")
        for label, per_key, per_used in memory:
            print(f"| {label} | {per_key:.0f} | {per_used:.0f} |")


if __name__ == "__main__":
    main()
