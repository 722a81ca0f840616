"""The replay itself: WARC files -> captures rows -> articles (see :mod:`crawler.replay`).

The WARC files are the source of truth; the database is a view of them. A replay reads every
record of the files given (``.warc.gz``, ``.warc``, and ``.open`` files a crash left, up to
their last whole record), then:

1. stores a ``captures`` row per ``response``/``revisit`` record, with the columns the live
   crawl writes, paired with its ``request`` record (by ``WARC-Concurrent-To``); a record
   already in the database (same ``WARC-Record-ID``) is updated, not added again;
2. finds, for every seed, the latest 2xx capture of each URL it led to: the seed is named
   by the capture's ``metadata`` record (``seed:``); in WARCs from other tools, which have
   none, it is the start of the redirect chain that ended at the URL, else the URL itself;
3. runs the live crawl's code on them, :func:`crawler.extract.articles.build_article`, in a
   process pool across the cores (:mod:`crawler.replay.worker`), and stores the articles as
   the live crawl does.

Replaying the same files twice leaves the same rows. No network access is made.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from tqdm import tqdm

from crawler.adapters.base import PageUnavailable
from crawler.extract.pool import WorkerPool
from crawler.replay.result import ReplayResult
from crawler.replay.worker import PRELOAD, Task, extract_capture, warm_up
from crawler.store.db import ArchiveDB
from crawler.warc.capture import (
    capture_row,
    fetched_at_of,
    last_header,
    status_of,
    warc_fields,
)
from crawler.warc.index import WarcFile, require_warcs
from crawler.warc.reader import StoredRecord, TruncatedWarc, iter_records
from crawler.warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

__all__ = ["ReplayResult", "Replayer", "recover_files", "replay"]


@dataclass
class _Capture:
    """A 2xx capture that may hold an article, remembered between the two passes."""

    sequence: int  # order of reading: breaks ties between equal dates
    moment: datetime
    date: str  # its WARC-Date
    url: str
    content_type: str | None
    capture_id: int
    payload_path: str | None  # None for a revisit until the record it names is found
    payload_offset: int | None
    refers_to: str | None  # a revisit's WARC-Refers-To
    crawl_id: int | None  # the crawl that made the capture, if the database knows it
    seed_url: str | None = None


@dataclass
class _FileRecords:
    """One WARC file's records as the scan needs them: payloads dropped (the workers read
    again the few that may hold articles), metadata records whole."""

    responses: list[tuple[StoredRecord, int]] = field(default_factory=list)  # + payload length
    requests: dict[str, StoredRecord] = field(default_factory=dict)  # by response record id
    metadata: dict[str, StoredRecord] = field(default_factory=dict)  # by response record id

    @property
    def has_seeds(self) -> bool:
        """Whether the file was written by this crawler (metadata records name the seeds)."""
        return any(_seed_fields(record) is not None for record in self.metadata.values())


class Replayer:
    """Rebuild or refresh one database from WARC files.

    :param db_path: the SQLite archive (created when missing)
    :param workers: extraction processes (None: one per core; 0: a thread of this process)
    :param progress: show progress bars on stderr
    """

    def __init__(self, db_path: str | Path, workers: int | None = None,
                 progress: bool = False) -> None:
        self.db_path = Path(db_path)
        self.workers = workers
        self.progress = progress
        self.result = ReplayResult(self.db_path)
        self._folders: list[Path] = []
        self._columns: set[str] = set()
        self._retry_lock = asyncio.Lock()

    def run(self, paths: Iterable[str | Path]) -> ReplayResult:
        """Replay the WARC files among ``paths`` (files or folders of them).

        :raises FileNotFoundError: a path does not exist, or holds no WARC file
            (:class:`~crawler.warc.index.NoWarcFiles`)
        :raises ~crawler.warc.index.NotWarc: a file given is not a WARC file
        """
        started = time.monotonic()
        files = require_warcs(paths)
        self.db = ArchiveDB(self.db_path)
        try:
            self._columns = set(self.db.db["captures"].columns_dict)
            asyncio.run(self._run(files))
            self.db.checkpoint()
        finally:
            self.db.close()
        self.result.seconds = time.monotonic() - started
        return self.result

    async def _run(self, files: list[WarcFile]) -> None:
        pool = WorkerPool(self.workers, preload=PRELOAD)
        try:
            # Start the workers now: they import their modules while the files are read.
            warm = [asyncio.ensure_future(pool.run(warm_up)) for _ in range(pool.workers)]
            await asyncio.sleep(0)
            captures = self._scan(files)
            await asyncio.gather(*warm, return_exceptions=True)
            await self._extract_all(pool, captures)
        finally:
            pool.close()

    # --- pass 1: every record -> captures rows, and the captures that may hold articles ---

    def _scan(self, files: list[WarcFile]) -> list[_Capture]:
        self.result.files = len(files)
        # The folders given: where a revisit may find a file that was not replayed now.
        self._folders = list(dict.fromkeys(
            warc.path.parent.joinpath(*[".."] * warc.name.count("/")).resolve()
            for warc in files))
        candidates: list[_Capture] = []
        redirects: dict[str, str] = {}  # target URL -> URL that redirected to it
        payloads: dict[str, tuple[str, int, int]] = {}  # record id -> (path, offset, length)
        unseeded: list[_Capture] = []  # captures in files without metadata records
        sequence = 0
        total = sum(warc.path.stat().st_size for warc in files)
        bar = tqdm(total=total, desc="reading", unit="B", unit_scale=True,
                   disable=not self.progress, leave=False)
        with bar:
            for warc in files:
                records = self._read_file(warc, bar)
                has_seeds = records.has_seeds
                for record, payload_length in records.responses:
                    sequence += 1
                    capture = self._store_capture(warc, record, payload_length, records,
                                                  payloads, sequence)
                    status = status_of(record)
                    if status is not None and 300 <= status < 400 and record.target_uri:
                        location = last_header(record.http_headers, "Location")
                        if location:
                            with contextlib.suppress(ValueError):  # "http://[": no redirect
                                redirects[urljoin(record.target_uri, location)] = \
                                    record.target_uri
                    if capture is None:
                        continue
                    if has_seeds:
                        fields = _seed_fields(records.metadata.get(_record_key(record))) or {}
                        # robots.txt is fetched for no seed and never parsed by the spider.
                        if not fields and urlsplit(capture.url).path == "/robots.txt":
                            continue
                        # A page requisite (an image, a stylesheet), or what a rendered page's
                        # scripts requested (X): archived, not extracted.
                        if {"E", "X"} & set(fields.get("hopsFromSeed", "")):
                            continue
                        # A followed link keys its article by its own URL, as the crawl did.
                        capture.seed_url = fields.get("page") or fields.get("seed")
                    else:
                        unseeded.append(capture)
                    candidates.append(capture)
        for capture in unseeded:
            capture.seed_url = _redirect_origin(capture.url, redirects)
        return self._latest_per_seed(candidates, payloads)

    def _read_file(self, warc: WarcFile, bar: tqdm) -> _FileRecords:
        records = _FileRecords()
        started, count = time.monotonic(), self.result.records
        try:
            for record in iter_records(warc.path):
                self.result.records += 1
                bar.update(record.length)
                if self.progress and self.result.records % 200 == 0:
                    rate = (self.result.records - count) / max(time.monotonic() - started, 1e-6)
                    bar.set_postfix_str(f"{self.result.records} records, {rate:.0f} records/s",
                                        refresh=False)
                target = record.header("WARC-Concurrent-To")
                # conversion: a page as the browser rendered it, which its article is
                # extracted from (crawler.fetch.browser_recorder)
                if record.rec_type in ("response", "revisit", "conversion"):
                    records.responses.append((replace(record, payload=b""), len(record.payload)))
                elif record.rec_type == "request" and target:
                    records.requests[target] = replace(record, payload=b"")
                elif record.rec_type == "metadata" and target:
                    records.metadata[target] = record
        except TruncatedWarc as exc:
            # A crawl died while writing this file: every whole record is replayed.
            logger.warning("%s: stopping at the truncated last record (offset %d); "
                           "the records before it are replayed", warc.path, exc.offset)
            self.result.truncated.append(f"{warc.path}: {exc.reason} at offset {exc.offset}")
            self._record_error(warc.name, "replay", "TruncatedWarc", str(exc))
        return records

    def _store_capture(self, warc: WarcFile, record: StoredRecord, payload_length: int,
                       records: _FileRecords, payloads: dict[str, tuple[str, int, int]],
                       sequence: int) -> _Capture | None:
        refers_to = record.header("WARC-Refers-To") if record.rec_type == "revisit" else None
        if refers_to:
            known = payloads.get(refers_to) or self._payload_from_db(refers_to)
            payload_length = known[2] if known else 0
        row = capture_row(record, warc.name, records.requests.get(_record_key(record)),
                          payload_length=payload_length,
                          metadata=records.metadata.get(_record_key(record)))
        capture_id = self.db.upsert_capture(
            {k: v for k, v in row.items() if k in self._columns})
        self.result.captures += 1
        if record.rec_type == "response" and record.record_id:
            payloads[record.record_id] = (str(warc.path), record.offset, payload_length)
        status = status_of(record)
        is_response = record.rec_type in ("response", "conversion")
        if record.rec_type != "conversion" and (status is None or not 200 <= status < 300):
            return None
        if not record.target_uri:
            return None
        # A capture the live crawl stored keeps its crawl: so do the articles made from it.
        crawl_id = self.db.db.execute("select crawl_id from captures where id = ?",
                                      [capture_id]).fetchone()[0]
        date = record.header("WARC-Date") or ""
        return _Capture(
            sequence=sequence,
            moment=_moment(date),
            date=date,
            url=record.target_uri,
            content_type=row["content_type"],
            capture_id=capture_id,
            payload_path=str(warc.path) if is_response else None,
            payload_offset=record.offset if is_response else None,
            refers_to=refers_to,
            crawl_id=crawl_id,
        )

    def _latest_per_seed(self, candidates: list[_Capture],
                         payloads: dict[str, tuple[str, int, int]]) -> list[_Capture]:
        latest: dict[tuple[str | None, str], _Capture] = {}
        for capture in candidates:
            key = (capture.seed_url, capture.url)
            current = latest.get(key)
            if current is None or (capture.moment, capture.sequence) >= (current.moment,
                                                                         current.sequence):
                latest[key] = capture
        chosen = []
        for capture in sorted(latest.values(), key=lambda c: (c.moment, c.sequence)):
            if capture.payload_path is None:  # a revisit: its payload is in another record
                target = payloads.get(capture.refers_to or "") or self._payload_from_db(
                    capture.refers_to)
                if target is None:
                    self._record_error(capture.url, "replay", "RevisitTargetMissing",
                                       f"the record {capture.refers_to} is not in the files "
                                       "replayed nor in the database")
                    continue
                capture.payload_path, capture.payload_offset = target[0], target[1]
            chosen.append(capture)
        return chosen

    def _payload_from_db(self, record_id: str | None) -> tuple[str, int, int] | None:
        if not record_id:
            return None
        # A revisit of a capture in a file not replayed now: the database knows where that
        # capture is; look for its file beside the files replayed.
        row = self.db.db.execute(
            "select warc_file, warc_offset, content_length from captures "
            "where warc_record_id = ?", [record_id]).fetchone()
        if row is None:
            return None
        for folder in self._folders:
            for name in (row[0], row[0] + OPEN_SUFFIX):
                if (folder / name).is_file():
                    return (str(folder / name), row[1], row[2] or 0)
        return None

    # --- pass 2: extraction across the cores, stored in capture order ----------------------

    async def _extract_all(self, pool: WorkerPool, captures: list[_Capture]) -> None:
        # Enough pages in flight that the workers never wait while articles are stored;
        # results are stored in capture order, so that the latest capture of a key wins.
        window = max(8, pool.workers * 16)
        pending: deque[tuple[_Capture, asyncio.Future[tuple[str, Any]]]] = deque()
        by_seed: dict[str | None, list[_Capture]] = {}
        for capture in captures:
            by_seed.setdefault(capture.seed_url, []).append(capture)
        bar = tqdm(total=len(captures), desc="extracting", unit=" page",
                   disable=not self.progress, leave=False)
        with bar:
            for capture in captures:
                siblings = by_seed[capture.seed_url] if capture.seed_url else [capture]
                related = tuple((c.url, c.payload_path or "", c.payload_offset or 0,
                                 c.capture_id) for c in siblings if c is not capture)
                task = Task(capture.payload_path or "", capture.payload_offset or 0,
                            capture.url, capture.content_type, capture.seed_url,
                            capture.capture_id, fetched_at_of(capture.date), related)
                pending.append((capture, asyncio.ensure_future(self._extract(pool, task))))
                while len(pending) >= window:
                    await self._finish(*pending.popleft())
                    bar.update()
            while pending:
                await self._finish(*pending.popleft())
                bar.update()

    async def _extract(self, pool: WorkerPool, task: Task) -> tuple[str, Any]:
        try:
            return await pool.run(extract_capture, task)
        except (BrokenProcessPool, asyncio.CancelledError):
            # A worker died, on this page or another one in flight, and the pool was
            # replaced (its queued tasks cancelled). Try again, one page at a time, so that
            # only the page that kills a worker fails (unless this task is cancelled).
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise
        async with self._retry_lock:
            return await pool.run(extract_capture, task)

    async def _finish(self, capture: _Capture,
                      future: asyncio.Future[tuple[str, Any]]) -> None:
        try:
            kind, article = await future
        except PageUnavailable as exc:
            self.result.unavailable += 1
            self._record_error(capture.url, exc.kind, exc.reason, capture.url)
            return
        except Exception as exc:
            logger.error("Extraction failed for %s: %s", capture.url, exc)
            self._record_error(capture.url, "extract", type(exc).__name__, str(exc))
            return
        self.result.extracted += 1
        if kind == "not_html":
            self.result.not_html += 1
        elif kind == "feed":
            self.result.feeds += 1
        elif kind == "none":
            self.result.no_article += 1
        elif kind == "skipped":
            self.result.partial += 1
            logger.info("Not extracted: %s: %s", capture.url, article)
        else:
            try:
                status = self.db.store_article({**article, "crawl_id": capture.crawl_id})
            except Exception as exc:
                logger.error("Could not store the article from %s: %s", capture.url, exc,
                             exc_info=True)
                self._record_error(capture.url, "store", type(exc).__name__, str(exc))
                return
            self.result.articles[status] = self.result.articles.get(status, 0) + 1

    # --- errors ---------------------------------------------------------------------------

    def _record_error(self, url: str, stage: str, error: str, detail: str = "") -> None:
        """Keep a failure in the ``errors`` table once: a second replay adds no row."""
        self.result.errors += 1
        seen = self.db.db.execute(
            "select 1 from errors where url = ? and stage = ? and error = ? and detail = ?",
            [url, stage, error, detail]).fetchone()
        if seen is None:
            self.db.add_error(None, url, stage, error, detail)


def _record_key(record: StoredRecord) -> str:
    """The key a response's request and metadata records are filed under: its record id."""
    return record.record_id or ""


def _moment(warc_date: str) -> datetime:
    """A WARC-Date as a datetime, for ordering (dates of any precision compare right)."""
    try:
        moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _seed_fields(record: StoredRecord | None) -> dict[str, str] | None:
    """The fields of a crawl ``metadata`` record (``seed``, ``page``, ``via``,
    ``hopsFromSeed``), or None when it is not one."""
    fields = warc_fields(record)
    return fields if "seed" in fields else None


def _redirect_origin(url: str, redirects: dict[str, str]) -> str:
    """Follow recorded redirects back from ``url`` to the URL that started the chain."""
    seen = {url}
    while url in redirects and redirects[url] not in seen:
        url = redirects[url]
        seen.add(url)
    return url


def replay(paths: Iterable[str | Path], db_path: str | Path, workers: int | None = None,
           progress: bool = False) -> ReplayResult:
    """Rebuild or refresh the SQLite archive at ``db_path`` from WARC files, offline.

    :param paths: WARC files and folders of them
    :param workers: extraction processes (None: one per core)
    :param progress: show progress bars on stderr
    """
    return Replayer(db_path, workers=workers, progress=progress).run(paths)


def recover_files(files: list[Path], db_path: str | Path, workers: int | None = None) -> str:
    """Replay the WARC files an interrupted crawl left open (now repaired) into its
    database, before the next crawl starts: the crash recovery of ``crawler.store.archive``.

    Runs in a thread of its own, since the caller may be inside an event loop (the crawl's)
    and the replay runs its own.

    :return: the replay's summary, on one line
    """
    outcome: list[ReplayResult] = []

    def run() -> None:
        outcome.append(replay(files, db_path, workers=workers))

    thread = threading.Thread(target=run, name="reconcile")
    thread.start()
    thread.join()
    return outcome[0].format().strip().replace("\n", "; ") if outcome else "nothing replayed"
