"""One crawl's output: the WARC writer and the SQLite archive, shared by the recorder
middleware, the spider and the pipeline of a crawler.

Order of writes for every exchange: the WARC records first (handed to the OS), then the
capture row, so the database never points at bytes that are not on disk. Rows are committed
in batches (``ARCHIVE_COMMIT_INTERVAL``), always before the WARC file they point into is
closed: a crash loses only uncommitted rows, and the next run rebuilds them from the
``.open`` file it repairs and replays.
"""

from __future__ import annotations

import json
import logging
import platform
import socket
import time
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import scrapy
from scrapy import signals
from scrapy.utils.misc import load_object
from twisted.internet import task

from crawler import __version__
from crawler.faults import crash_point
from crawler.logs import log_always
from crawler.store.db import ArchiveDB
from crawler.store.lock import lock_archive, release_archive
from crawler.store.outcomes import SeedLedger, exit_status
from crawler.store.paths import ArchivePaths
from crawler.store.state import capture_state, is_full_capture
from crawler.store.summary import format_summary
from crawler.warc.index import BackgroundIndexer
from crawler.warc.live_index import LiveIndex
from crawler.warc.records import (
    PROFILE_IDENTICAL,
    PROFILE_NOT_MODIFIED,
    crawl_fields,
    metadata_record,
    payload_digest,
    request_record,
    response_record,
    revisit_record,
)
from crawler.warc.repair import orphaned_open_files, repair_open_file
from crawler.warc.writer import RollingWarcWriter

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

_archives: WeakKeyDictionary[Crawler, Archive] = WeakKeyDictionary()

#: replays the files a crash left open into the database (the ARCHIVE_RECOVERY setting)
DEFAULT_RECOVERY = "crawler.replay.recover_files"
#: errors of these stages, recorded under a seed's URL, mean the seed failed
SEED_FAILURE_STAGES = frozenset({"fetch", "blocked", "deleted", "replay"})


class Archive:
    """The WARC files and SQLite archive a crawler writes to (one per crawler)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.settings = crawler.settings
        self.paths = ArchivePaths.from_settings(crawler.settings)
        # Opened here, while the crawler is built: an archive that cannot be written stops
        # the run before anything is fetched (and `scrapy crawl` exits non-zero).
        self.paths.check_writable()
        # `scrapy crawl` takes the lock first (crawler/commands/crawl.py); this covers
        # crawlers started from Python.
        lock_archive(self.paths.archive_dir)
        # Files a killed run left open (not those other workers of a shared crawl write).
        self.repaired = [repair_open_file(path) for path in
                         orphaned_open_files(self.paths.warc_dir)]
        if any(result.path for result in self.repaired):
            self._reconcile([result.path for result in self.repaired if result.path])
        self.db = ArchiveDB(self.paths.db_path)
        # The last capture of each URL, for incremental runs: this database, or Redis.
        self.state = capture_state(crawler, self.db)
        # A CDXJ index (pywb's format) beside every WARC file once it is closed; the lines of
        # what this run writes are made as it writes (LiveIndex), not by reading files back.
        self.indexer = BackgroundIndexer()
        self.live_index = LiveIndex()
        for repaired in self.repaired:
            if repaired.path is not None:
                self.indexer.submit(repaired.path)
        self.warc = RollingWarcWriter(
            self.paths.warc_dir,
            prefix=self.settings.get("WARC_PREFIX", "SEEDS"),
            max_size=self.settings.getint("WARC_MAX_SIZE", 1024**3),
            warcinfo=self.warcinfo(),
            on_close=self._warc_closed,
            before_close=self.db.commit,
        )
        self.crawl_id: int | None = None
        self.closed = False
        # commits a batch that no later write comes to commit (a crawl waiting on the network)
        self._committer = task.LoopingCall(self.db.commit_if_due)
        #: what became of every seed (crawler.store.outcomes)
        self.seeds = SeedLedger()
        self.started = time.monotonic()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def _reconcile(self, files: list[Path]) -> None:
        """Bring the database level with WARC files an interrupted run left behind: their
        records get capture rows and their pages articles, as `crawler replay` does.

        The replay is ``ARCHIVE_RECOVERY`` (``crawler.replay.recover_files``), loaded by
        name: the replay machinery builds on this package, not the other way round.
        """
        recover = load_object(self.settings.get("ARCHIVE_RECOVERY") or DEFAULT_RECOVERY)
        workers = self.settings.get("EXTRACT_WORKERS")
        summary = recover(files, self.paths.db_path,
                          None if workers in (None, "") else int(workers))
        logger.warning("Recovered %d file(s) an interrupted run left open: %s",
                       len(files), summary)

    @classmethod
    def of(cls, crawler: Crawler) -> Archive:
        if crawler not in _archives:
            _archives[crawler] = cls(crawler)
        return _archives[crawler]

    # --- life cycle ----------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        seed_list = getattr(spider, "seed_list", None)
        for url in seed_list.urls if seed_list else ():
            self.seeds.add(url)
        self.started = time.monotonic()
        self.crawl_id = self.db.start_crawl(
            seed_source=getattr(spider, "seed_source", ""),
            seeds=len(seed_list.seeds) if seed_list else 0,
        )
        # From here to spider_closed, rows are committed in batches.
        interval = self.settings.getfloat("ARCHIVE_COMMIT_INTERVAL", 1.0)
        if interval > 0:
            self.db.commit_interval = interval
            self._committer.start(interval, now=False)
        logger.info("Archiving to %s (WARC in %s)", self.paths.db_path, self.paths.warc_dir)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        if self._committer.running:
            self._committer.stop()
        self.warc.close()  # commits the rows first
        self.indexer.close()
        stats = self.crawler.stats
        stats.set_value("archive/warc_files", len(self.warc.closed_files))
        stats.set_value("archive/warc_bytes", self.warc.bytes_written)
        seed_list = getattr(spider, "seed_list", None)
        seed_errors = [str(e) for e in seed_list.errors] if seed_list else []
        shared = bool(self.settings.get("REDIS_URL"))
        if reason == "finished" and shared:
            # A worker of a shared crawl: the seeds it never got went to the other workers.
            self.seeds.forget_pending()
        elif reason == "finished":
            self.seeds.give_up_pending("no answer (the request was dropped)")
        seeds = self.seeds.counts(invalid=len(seed_errors))
        status = exit_status(seeds, reason, shared=shared)
        stats.set_value("seeds/total", seeds.total)
        stats.set_value("seeds/fetched", seeds.fetched)
        stats.set_value("seeds/failed", seeds.failed)
        stats.set_value("seeds/not_tried", seeds.not_tried)
        stats.set_value("seedcrawler/exit_status", status)
        seconds = time.monotonic() - self.started
        all_stats = stats.get_stats()
        counts = {
            "requests": all_stats.get("downloader/request_count", 0),
            "responses": all_stats.get("downloader/response_count", 0),
            "captures": all_stats.get("archive/captures", 0),
            "articles": all_stats.get("articles/stored", 0),
            "errors": all_stats.get("archive/errors", 0),
            "bytes_written": self.warc.bytes_written,
            "articles_new": all_stats.get("articles/new", 0),
            "articles_changed": all_stats.get("articles/changed", 0),
            "articles_unchanged": all_stats.get("articles/unchanged", 0),
            "revisits": all_stats.get("archive/revisits", 0),
            "blocked": all_stats.get("archive/errors/blocked", 0),
            "responses_by_status": json.dumps({
                key.rsplit("/", 1)[1]: value for key, value in sorted(all_stats.items())
                if key.startswith("downloader/response_status_count/")
            }),
        }
        assert self.crawl_id is not None
        self.db.finish_crawl(self.crawl_id, reason, counts, all_stats)
        self.db.checkpoint()
        self.db.close()
        release_archive(self.paths.archive_dir)
        # Printed whatever the log level (crawler.logs): it is what a person reads.
        log_always(logger, "%s", format_summary(
            all_stats, reason=reason, db_path=self.paths.db_path,
            warc_files=self.warc.closed_files, seed_errors=seed_errors, seeds=seeds,
            failures=self.seeds.failures(), seconds=seconds, status=status,
        ))

    def _warc_closed(self, path: Path) -> None:
        self.indexer.submit(path, self.live_index.take(path.name))

    def warcinfo(self) -> dict[str, str]:
        s = self.settings
        robots = "obey" if s.getbool("ROBOTSTXT_OBEY") else "ignore"
        return {
            "software": f"seedcrawler/{__version__} (Scrapy {scrapy.__version__}; "
            f"warcio {version('warcio')}; Python {platform.python_version()})",
            "hostname": socket.gethostname(),
            "ip": _local_ip(),
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "robots": robots,
            "http-header-user-agent": s.get("USER_AGENT") or "",
            "isPartOf": s.get("WARC_PREFIX", "SEEDS"),
            "description": "seedcrawler archive of seed URLs",
        }

    # --- writes ----------------------------------------------------------------------------

    def record_exchange(self, request: Request, response: Response,
                        truncated: str | None = None) -> tuple[int, str]:
        """Write the request/response pair to WARC, then its capture row.

        :param truncated: why the body is incomplete (``WARC-Truncated``), if it is
        :return: the capture id and the capture time (ISO 8601, UTC)
        """
        fetched_at = _request_sent_at(request)
        prior = request.meta.get("prior_capture")
        profile = None if truncated else revisit_profile(response, prior)
        if profile and prior:
            resp_rec = revisit_record(self.warc.builder, response, fetched_at, profile, prior)
            self.crawler.stats.inc_value("archive/revisits")
        else:
            resp_rec = response_record(self.warc.builder, response, fetched_at, truncated)
        resp_id = resp_rec.rec_headers.get_header("WARC-Record-ID")
        req_rec = request_record(self.warc.builder, request, fetched_at, concurrent_to=resp_id)
        meta_rec = metadata_record(self.warc.builder, request, fetched_at, refers_to=resp_id)
        records = [rec for rec in (resp_rec, req_rec, meta_rec) if rec is not None]
        locations = self.warc.write(*records)
        self.live_index.add(records, locations)
        resp_loc, req_loc, *_ = locations
        crash_point("archive:after-warc")
        headers = response.headers
        fetched = fetched_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        row = {
            "crawl_id": self.crawl_id,
            "url": request.url,
            "method": request.method,
            "status": response.status,
            "content_type": _header(headers, b"Content-Type"),
            "content_length": len(response.body),
            "fetched_at": fetched,
            "ip_address": str(response.ip_address) if response.ip_address else None,
            "location": _header(headers, b"Location"),
            "etag": _header(headers, b"ETag"),
            "last_modified": _header(headers, b"Last-Modified"),
            "warc_file": resp_loc.warc_file,
            "warc_offset": resp_loc.offset,
            "warc_length": resp_loc.length,
            "warc_record_id": resp_loc.record_id,
            "warc_request_record_id": req_loc.record_id,
            "warc_date": resp_rec.rec_headers.get_header("WARC-Date"),
            "payload_digest": resp_loc.payload_digest,
            "record_type": resp_rec.rec_type,
            "revisit_profile": profile if resp_rec.rec_type == "revisit" else None,
            "refers_to_record_id": prior["warc_record_id"]
            if resp_rec.rec_type == "revisit" and prior else None,
            "truncated": truncated,
        }
        crawl = dict(crawl_fields(request) or ())
        row["hops"], row["via"] = crawl.get("hopsFromSeed"), crawl.get("via")
        capture_id = self.db.add_capture(row)
        if is_full_capture(row):
            self.state.remember(row)
        self.db.commit_if_due()
        self.crawler.stats.inc_value("archive/captures")
        return capture_id, fetched

    def article_not_modified(self, url: str, final_url: str | None = None) -> None:
        """A 304 for a page: its article, if it has one, was seen again unchanged.

        :param url: the article's key
        :param final_url: the URL that answered (default: ``url``; the Weibo session passes
            the key only)
        """
        self.crawler.stats.inc_value("pages/not_modified")
        if self.db.touch_article(url, final_url or url, self.crawl_id):
            self.crawler.stats.inc_value("articles/unchanged")

    def record_error(self, url: str, stage: str, error: str, detail: str = "",
                     seed: str | None = None) -> None:
        """Keep a failure in the ``errors`` table (and count it).

        :param seed: the seed the failure costs, when ``url`` is not that seed's own URL;
            a fetch, blocked, deleted or replay error of a seed makes the seed failed
        """
        self.crawler.stats.inc_value("archive/errors")
        self.crawler.stats.inc_value(f"archive/errors/{stage}")
        if stage in SEED_FAILURE_STAGES:
            why = f"{error} {detail}".strip() if stage == "fetch" else (
                f"{stage}: {error}" + (f" ({detail})" if detail else ""))
            self.seeds.failed(seed or url, why)
        self.db.add_error(self.crawl_id, url, stage, error, detail)

    def store_article(self, article: dict[str, Any]) -> str:
        """Store an article (a version too when its text is new or changed): its status."""
        status = self.db.store_article({**article, "crawl_id": self.crawl_id})
        self.db.commit_if_due()
        self.crawler.stats.inc_value("articles/stored")
        self.crawler.stats.inc_value(f"articles/{status}")
        return status


def revisit_profile(response: Response, prior: dict[str, Any] | None) -> str | None:
    """The revisit profile an exchange calls for, given the URL's last full capture."""
    if not prior:
        return None
    if response.status == 304:
        return PROFILE_NOT_MODIFIED
    if response.status == 200 and payload_digest(response.body) == prior["payload_digest"]:
        return PROFILE_IDENTICAL
    return None


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value is not None else None


def _request_sent_at(request: Request) -> datetime:
    """When the request went out: now minus the latency Scrapy measured, if any."""
    now = datetime.now(UTC)
    latency = request.meta.get("download_latency")
    return now - timedelta(seconds=latency) if latency else now


def _local_ip() -> str:
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"
