"""The shared frontier: scrapy-redis's scheduler with leases, shared seeds and idle handling.

``SCHEDULER = "crawler.scale.scheduler.LeasedScheduler"`` (set by the add-on when
``REDIS_URL`` is set). What it changes in scrapy-redis 0.9.1's ``Scheduler``:

- **Leases** (``leases.py``): a popped request stays in Redis, leased to this worker, until
  the engine is done with it (downloaded, archived, its callback's requests enqueued); then
  it is acknowledged. The worker renews its leases every third of ``FRONTIER_LEASE_TIMEOUT``;
  those of a dead worker expire and go back in the queue.
- **Once per crawl**: every request is checked against the shared fingerprint set, even
  with ``dont_filter=True``, unless it continues a request this worker leased (a redirect hop
  or a retry, which inherit the lease in their meta). The seeds every worker yields from
  ``start()`` (made with ``dont_filter``) are thus enqueued once across workers, and so are
  feed entries and whatever else the spider yields.
- **Idle handling**: a worker closes when nothing is queued or leased anywhere for
  ``FRONTIER_IDLE_TIMEOUT`` seconds; while another worker holds leases it waits, since
  those may yield new requests or expire and come back. (scrapy-redis's own idle handling
  lives in ``RedisSpider``, which reads start URLs from a list and knows nothing of leases.)
- **Life cycle**: the first worker to join a frontier with nothing queued, leased or alive
  starts a new crawl (it clears the previous crawl's fingerprints); a worker that joins a
  frontier with work left resumes it. When the last worker leaves a finished crawl, its
  fingerprints are kept ``FRONTIER_FINISHED_TTL`` seconds more, so a worker started late
  for that crawl joins it (and finds its URLs done) instead of crawling them all again;
  after that they expire and the next worker starts a new crawl. The per-URL capture state
  (``state.py``) is kept across crawls.
- No deprecated Scrapy API is called (scrapy-redis passes ``spider=`` to the stats and calls
  ``Spider.log``).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.scale.connection import FrontierKeys, redis_client, worker_id
from crawler.scale.leases import _NOW, LeasedQueue
from crawler.store.archive import Archive
from crawler.store.paths import ArchivePaths
from crawler.store.workers import recover_orphaned_files

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: seconds between the tries of an enqueue while Redis does not answer (30 s in all)
ENQUEUE_RETRY_WAITS = (1, 2, 4, 8, 15)

# KEYS: workers queue leases finished per-run-keys...   ARGV: worker heartbeat_ms
# -> 1: a new crawl; 2: a crawl that had just finished, taken up again; 0: a running crawl
_JOIN = _NOW + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local state = 0
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0
    and redis.call('ZCARD', KEYS[3]) == 0 then
  if redis.call('EXISTS', KEYS[4]) == 1 then
    for i = 5, #KEYS do redis.call('PERSIST', KEYS[i]) end
    state = 2
  else
    for i = 5, #KEYS do redis.call('DEL', KEYS[i]) end
    state = 1
  end
  redis.call('DEL', KEYS[4])
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return state
"""

# KEYS: workers queue leases finished per-run-keys...   ARGV: worker finished_ttl_ms
# -> 1: the crawl is over (its fingerprints kept finished_ttl_ms for late workers)
_LEAVE = _NOW + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0
    and redis.call('ZCARD', KEYS[3]) == 0 then
  local ttl = tonumber(ARGV[2])
  for i = 5, #KEYS do
    if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) else redis.call('DEL', KEYS[i]) end
  end
  if ttl > 0 then redis.call('SET', KEYS[4], now, 'PX', ttl) end
  return 1
end
return 0
"""


class LeasedScheduler(Scheduler):
    """A worker's view of the shared frontier (see the module docstring)."""

    _instances = 0

    def __init__(self, crawler: Crawler, **kwargs: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.keys = FrontierKeys.from_settings(settings)
        # host-pid, as in its WARC file names (a second crawler in one process: host-pid.2)
        LeasedScheduler._instances += 1
        self.worker = worker_id() + (f".{self._instances}" if self._instances > 1 else "")
        self._host = socket.gethostname()
        self.lease_ms = max(1000, int(settings.getfloat("FRONTIER_LEASE_TIMEOUT", 30) * 1000))
        self.idle_timeout = settings.getfloat("FRONTIER_IDLE_TIMEOUT", 10)
        self.max_reclaims = settings.getint("FRONTIER_MAX_RECLAIMS", 3)
        self.finished_ttl_ms = int(settings.getfloat("FRONTIER_FINISHED_TTL", 300) * 1000)
        server = redis_client(settings)
        super().__init__(
            server, persist=True, queue_key=self.keys.queue, dupefilter_key=self.keys.dupefilter,
            dupefilter=RFPDupeFilter(server, self.keys.dupefilter,
                                     debug=settings.getbool("DUPEFILTER_DEBUG")),
            **kwargs)
        self.stats = crawler.stats
        self.queue: LeasedQueue
        self._leases: dict[Request, str] = {}
        self._idle_since: float | None = None
        self._waiting = False
        self._last_reclaim = 0.0
        self._tick: task.LoopingCall | None = None
        # Leases are renewed from a thread of their own: a reactor busy for a while (the
        # extraction pool starting, a large WARC write) must not let them expire.
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._renewer = threading.Thread(target=self._renew_loop, name="frontier-leases",
                                         daemon=True)
        self._redis_down = False
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeasedScheduler:
        return cls(crawler)

    # --- life cycle ----------------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = LeasedQueue(self.server, spider, self.keys, self.lease_ms,
                                 self.max_reclaims, self.worker, self.serializer)
        k = self.keys
        state = self.server.register_script(_JOIN)(
            keys=[k.workers, k.queue, k.leases, k.finished, *k.per_run],
            args=[self.worker, self.lease_ms])
        queued, leased = self.queue.pending()
        live = self.server.zcard(k.workers)
        if state == 1:
            logger.info("Shared frontier %r: starting a new crawl as worker %s",
                        k.prefix, self.worker)
        elif state == 2:
            logger.info("Shared frontier %r: joining the crawl that finished less than %.0f s "
                        "ago, as worker %s (its URLs are not fetched again)", k.prefix,
                        self.finished_ttl_ms / 1000, self.worker)
        else:
            logger.info("Shared frontier %r: joining as worker %s (%d queued, %d leased, "
                        "%d worker(s))", k.prefix, self.worker, queued, leased, live)
        self.stats.set_value("frontier/worker", self.worker)
        # Where this worker writes, so a worker on this host can mend it if it dies.
        self.server.sadd(k.warc_dirs, self._warc_dir_entry(self._paths().warc_dir))
        self._renewer.start()
        # Every second: acknowledge what is done; when waiting for the others, look again.
        self._tick = task.LoopingCall(self.tick)
        self._tick.start(1.0, now=False)

    def close(self, reason: str) -> None:
        if self._tick is not None and self._tick.running:
            self._tick.stop()
        self._stop.set()
        try:
            self.ack_finished()
            unfinished = list(self._leases.values())
            if unfinished:
                # Stopped with requests in flight: the other workers take them now.
                self.queue.release(unfinished)
                self.stats.inc_value("frontier/released", len(unfinished))
                logger.info("Put %d unfinished request(s) back in the shared queue",
                            len(unfinished))
            k = self.keys
            # Every folder this crawl's workers on this host write to (they may not share
            # one), read before leaving: the last to leave may clear the list.
            warc_dirs = self.server.smembers(k.warc_dirs)
            over = self.server.register_script(_LEAVE)(
                keys=[k.workers, k.queue, k.leases, k.finished, *k.per_run],
                args=[self.worker, self.finished_ttl_ms])
            abandoned = self.server.llen(k.abandoned)
        except RedisError as exc:
            logger.error("Could not leave the shared frontier cleanly (%s); its leases "
                         "expire and go back in the queue", exc)
            return
        if abandoned:
            logger.warning("%d request(s) were set aside after their lease expired %d times "
                           "(Redis list %s)", abandoned, self.max_reclaims, k.abandoned)
        if over:
            logger.info("Shared crawl %r finished: nothing queued, leased or running", k.prefix)
        # A worker killed meanwhile left its WARC file open: make it whole, and replay it
        # into this worker's database (before the archive closes it, at spider_closed).
        paths = self._paths()
        folders = {paths.warc_dir.resolve()}
        for entry in warc_dirs:
            host, _, folder = entry.decode().partition("\t")
            if host == self._host and Path(folder).is_dir():
                folders.add(Path(folder))
        for folder in sorted(folders):
            recover_orphaned_files(folder, paths.db_path, self.crawler.settings)

    def _paths(self) -> ArchivePaths:
        return Archive.of(self.crawler).paths

    def _warc_dir_entry(self, folder: Path) -> str:
        return f"{self._host}\t{folder.resolve()}"

    # --- the queue -----------------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        for wait in (*ENQUEUE_RETRY_WAITS, None):
            try:
                return self._enqueue(request)
            except RedisError as exc:
                self._warn_down(exc)
                if wait is None:
                    # Not queued anywhere: on record, for the next run to try again.
                    logger.error("Could not enqueue %s (Redis: %s)", request.url, exc)
                    Archive.of(self.crawler).record_error(
                        request.url, "frontier", type(exc).__name__, str(exc))
                    return False
                # Redis is away: nothing else can go on meanwhile, so wait right here.
                time.sleep(wait)
        return False

    def _enqueue(self, request: Request) -> bool:
        continues_lease = "frontier_lease" in request.meta
        if not (request.dont_filter and continues_lease) and self.df.request_seen(request):
            self.df.log(request, self.spider)
            self.stats.inc_value("frontier/filtered")
            return False
        self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        try:
            self.ack_finished()
            reclaimed = 0
            if time.monotonic() - self._last_reclaim >= 1:
                self._last_reclaim = time.monotonic()
                reclaimed = self.queue.reclaim()
            popped = self.queue.pop_leased()
        except RedisError as exc:
            self._warn_down(exc)
            return None
        self._redis_down = False
        if reclaimed:
            self.stats.inc_value("frontier/reclaimed", reclaimed)
            logger.warning("Put %d expired lease(s) back in the shared queue (a worker died?)",
                           reclaimed)
        if popped is None:
            return None
        self._waiting = False
        lease, request = popped
        request.meta["frontier_lease"] = lease
        with self._lock:
            self._leases[request] = lease
        self.stats.inc_value("scheduler/dequeued/redis")
        self.stats.inc_value("frontier/leased")
        return request

    def has_pending_requests(self) -> bool:
        try:
            return len(self.queue) > 0
        except RedisError as exc:
            self._warn_down(exc)
            return False

    # --- leases --------------------------------------------------------------------------

    def _in_progress(self) -> set[Request] | None:
        # The engine keeps every request it took from the scheduler here until the request
        # is downloaded and its response's callback output handled (Scrapy 2.19).
        slot = getattr(self.crawler.engine, "_slot", None)
        return getattr(slot, "inprogress", None)

    def ack_finished(self) -> None:
        """Acknowledge the leases of the requests the engine is done with."""
        in_progress = self._in_progress()
        if in_progress is None:
            return
        done = [request for request in self._leases if request not in in_progress]
        if not done:
            return
        self.queue.ack([self._leases[request] for request in done])
        with self._lock:
            for request in done:
                del self._leases[request]
        self.stats.inc_value("frontier/acked", len(done))

    def tick(self) -> None:
        """Every second, on the reactor: acknowledge what is done; when idle and waiting for
        other workers, ask the engine to look again now rather than at its next 5-second
        heartbeat."""
        try:
            self.ack_finished()
        except RedisError as exc:
            self._warn_down(exc)
            return
        if self._waiting:
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None:
                slot.nextcall.schedule()

    def _renew_loop(self) -> None:
        """The lease thread: extend this worker's leases and its heartbeat, a third of the
        lease time apart, for as long as the process lives."""
        interval = self.lease_ms / 3000
        while not self._stop.wait(interval):
            with self._lock:
                leases = list(self._leases.values())
            try:
                self.queue.renew(leases, self.lease_ms)
            except RedisError as exc:
                logger.warning("Could not renew %d lease(s): %s", len(leases), exc)
            except Exception:
                logger.exception("Could not renew the leases")

    def spider_idle(self) -> None:
        """Stay open while work is queued or leased anywhere, then ``FRONTIER_IDLE_TIMEOUT``."""
        try:
            self.ack_finished()
            queued, leased = self.queue.pending()
        except RedisError as exc:
            self._warn_down(exc)
            raise DontCloseSpider from None
        self._waiting = True
        if queued or leased:
            self._idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < self.idle_timeout:
            raise DontCloseSpider
        self._waiting = False

    def _warn_down(self, exc: Exception) -> None:
        if not self._redis_down:
            logger.error("Redis is unreachable (%s): waiting for it", exc)
        self._redis_down = True
        self.stats.inc_value("frontier/redis_errors")
