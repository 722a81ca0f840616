"""The shared frontier's parts against a real redis-server, without a crawl: leases,
reclaims, the once-per-crawl filter, the crawl life cycle, host slots, capture state, and
the wiring (nothing of it without ``REDIS_URL``)."""

from __future__ import annotations

import subprocess
import time
from itertools import count

import pytest
from scrapy import Request, Spider
from scrapy.settings import Settings

from crawler.scale import SharedFrontierAddon
from crawler.scale.connection import FrontierKeys
from crawler.scale.leases import LeasedQueue
from crawler.scale.politeness import _RESERVE
from crawler.scale.state import RedisCaptureState
from crawler.store.outcomes import EXIT_FRONTIER
from tests.crawling import REPO, crawl_command, crawl_env

_names = count()


@pytest.fixture
def keys() -> FrontierKeys:
    return FrontierKeys(f"seedcrawler:unit-{next(_names)}:")


@pytest.fixture
def client(redis_server):
    return redis_server.client()


def _queue(client, keys, worker="w-1", lease_ms=60_000, max_reclaims=3) -> LeasedQueue:
    return LeasedQueue(client, Spider(name="seeds"), keys, lease_ms, max_reclaims, worker)


def test_a_popped_request_stays_leased_until_acknowledged(client, keys):
    queue = _queue(client, keys)
    queue.push(Request("http://example.com/a"))
    lease, request = queue.pop_leased()
    assert request.url == "http://example.com/a"
    assert lease.startswith("w-1:")
    assert queue.pending() == (0, 1)
    assert queue.pop_leased() is None
    queue.ack([lease])
    assert queue.pending() == (0, 0)
    assert not client.exists(keys.leased, keys.lease_scores)


def test_expired_leases_go_back_in_the_queue_with_their_priority(client, keys):
    dead = _queue(client, keys, worker="dead-1", lease_ms=1000)
    dead.push(Request("http://example.com/low", priority=0))
    dead.push(Request("http://example.com/high", priority=5))
    leases = [dead.pop_leased()[0], dead.pop_leased()[0]]
    assert dead.reclaim() == 0  # not expired yet
    time.sleep(1.1)
    alive = _queue(client, keys, worker="alive-1")
    assert alive.reclaim() == 2
    assert [alive.pop_leased()[1].url for _ in range(2)] == [
        "http://example.com/high", "http://example.com/low"]
    dead.ack(leases)  # a late acknowledgement of a lease that is gone: harmless
    assert alive.pending() == (0, 2)


def test_renewed_leases_do_not_expire(client, keys):
    queue = _queue(client, keys, lease_ms=1000)
    queue.push(Request("http://example.com/a"))
    lease, _ = queue.pop_leased()
    for _ in range(3):
        time.sleep(0.4)
        assert queue.renew([lease], 1000) == 1
    assert queue.reclaim() == 0
    assert client.zscore(keys.workers, "w-1") is not None  # the worker's heartbeat too


def test_a_request_that_keeps_killing_workers_is_set_aside(client, keys):
    queue = _queue(client, keys, lease_ms=1000, max_reclaims=1)
    queue.push(Request("http://example.com/poison"))
    for _ in range(2):
        assert queue.pop_leased() is not None
        time.sleep(1.1)
        queue.reclaim()
    assert queue.pending() == (0, 0)
    assert client.llen(keys.abandoned) == 1


def test_release_puts_unfinished_requests_back_at_once(client, keys):
    queue = _queue(client, keys)
    queue.push(Request("http://example.com/a"))
    lease, _ = queue.pop_leased()
    queue.release([lease])
    assert queue.pending() == (1, 0)


def test_the_lease_a_retry_inherits_is_not_queued_with_it(client, keys):
    queue = _queue(client, keys)
    queue.push(Request("http://example.com/a"))
    lease, request = queue.pop_leased()
    request.meta["frontier_lease"] = lease
    queue.push(request.replace(dont_filter=True))
    assert "frontier_lease" not in queue.pop_leased()[1].meta


class _Stats:
    def __init__(self):
        self.values: dict[str, object] = {}

    def inc_value(self, key, count=1, start=0):
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key, value):
        self.values[key] = value


class _Crawler:
    """What LeasedScheduler uses of a crawler."""

    def __init__(self, settings: Settings) -> None:
        from scrapy.signalmanager import SignalManager

        self.settings = settings
        self.stats = _Stats()
        self.signals = SignalManager()
        self.engine = None


class _NoLoop:
    """Stands in for twisted's LoopingCall: these tests run no reactor."""

    def __init__(self, *args):
        self.running = False

    def start(self, *args, **kwargs):
        self.running = True

    def stop(self):
        self.running = False


@pytest.fixture(autouse=True)
def _no_reactor(monkeypatch):
    from crawler.scale import scheduler

    monkeypatch.setattr(scheduler.task, "LoopingCall", _NoLoop)


def _scheduler(redis_server, name: str, archive_dir, finished_ttl: float = 0):
    from crawler.scale.scheduler import LeasedScheduler

    settings = Settings({"REDIS_URL": redis_server.url, "FRONTIER_NAME": name,
                         "FRONTIER_LEASE_TIMEOUT": 3, "ARCHIVE_DIR": str(archive_dir),
                         "EXTRACT_WORKERS": 0, "FRONTIER_FINISHED_TTL": finished_ttl})
    scheduler = LeasedScheduler.from_crawler(_Crawler(settings))
    scheduler.open(Spider(name="seeds"))
    return scheduler


def test_seeds_every_worker_yields_are_enqueued_once(redis_server, tmp_path, recwarn):
    name = f"unit-{next(_names)}"
    first = _scheduler(redis_server, name, tmp_path)
    second = _scheduler(redis_server, name, tmp_path)
    try:
        seed = Request("http://example.com/seed", dont_filter=True,
                       meta={"is_start_request": True})
        assert first.enqueue_request(seed)
        assert not second.enqueue_request(seed.copy())
        assert first.stats.values["scheduler/enqueued/redis"] == 1
        assert second.stats.values["frontier/filtered"] == 1
        popped = second.next_request()
        # A redirect hop or retry of a leased request (dont_filter) is not a duplicate.
        assert second.enqueue_request(popped.replace(dont_filter=True))
        # Any other request goes through the filter, dont_filter or not: a feed entry two
        # feeds list is enqueued once.
        entry = Request("http://example.com/entry", dont_filter=True)
        assert second.enqueue_request(entry)
        assert not first.enqueue_request(entry.copy())
    finally:
        first.close("finished")
        second.close("finished")
    assert not [w for w in recwarn if "deprecat" in str(w.message).lower()]


def test_the_last_worker_to_leave_a_finished_crawl_clears_it(redis_server, tmp_path):
    name = f"unit-{next(_names)}"
    client = redis_server.client()
    first = _scheduler(redis_server, name, tmp_path)
    second = _scheduler(redis_server, name, tmp_path)
    assert first.enqueue_request(Request("http://example.com/a"))
    # Crawl the one request (no engine: its lease is acknowledged by hand).
    request = second.next_request()
    second.queue.ack([second._leases.pop(request)])
    first.close("finished")
    assert client.exists(first.keys.dupefilter)  # the second worker is still there
    second.close("finished")
    assert not client.keys(f"seedcrawler:{name}:*")
    # The next crawl on this frontier starts afresh: the URL is new again.
    third = _scheduler(redis_server, name, tmp_path)
    try:
        assert third.enqueue_request(Request("http://example.com/a"))
    finally:
        third.close("finished")


def test_a_worker_started_late_joins_the_crawl_that_just_finished(redis_server, tmp_path):
    name = f"unit-{next(_names)}"
    client = redis_server.client()
    first = _scheduler(redis_server, name, tmp_path, finished_ttl=1)
    assert first.enqueue_request(Request("http://example.com/a"))
    request = first.next_request()
    first.queue.ack([first._leases.pop(request)])
    first.close("finished")
    assert 0 < client.pttl(first.keys.dupefilter) <= 1000
    late = _scheduler(redis_server, name, tmp_path, finished_ttl=1)
    assert client.pttl(first.keys.dupefilter) == -1  # a crawl again: kept while it runs
    assert not late.enqueue_request(Request("http://example.com/a"))  # done already
    late.close("finished")
    time.sleep(1.1)
    # Once the crawl has been finished that long, the next worker starts a new one.
    assert not client.exists(first.keys.dupefilter, first.keys.finished)
    later = _scheduler(redis_server, name, tmp_path, finished_ttl=1)
    try:
        assert later.enqueue_request(Request("http://example.com/a"))
    finally:
        later.close("finished")


def test_a_worker_joining_unfinished_work_resumes_it(redis_server, tmp_path):
    name = f"unit-{next(_names)}"
    first = _scheduler(redis_server, name, tmp_path)
    first.enqueue_request(Request("http://example.com/a"))
    first.enqueue_request(Request("http://example.com/b"))
    first._stop.set()  # dies: no leave, no release, its lease left to expire
    taken = first.next_request().url
    second = _scheduler(redis_server, name, tmp_path)
    try:
        assert not second.enqueue_request(Request("http://example.com/a"))  # still seen
        assert {taken, second.next_request().url} == {"http://example.com/a",
                                                      "http://example.com/b"}
    finally:
        second.close("finished")


def test_host_slots_are_one_delay_apart_whoever_takes_them(client, keys):
    reserve = client.register_script(_RESERVE)
    waits = [int(reserve(keys=[keys.host("example.com")], args=[400])) for _ in range(4)]
    # Taken at once, one after the other: 0, then one delay more each time (± clock ms).
    for n, wait in enumerate(waits):
        assert 400 * n - 20 <= wait <= 400 * n, waits
    assert int(reserve(keys=[keys.host("other.example")], args=[400])) == 0
    assert 0 < client.pttl(keys.host("example.com")) <= 400 * 4 + 1000


def test_capture_state_is_shared_through_redis(client, keys):
    state = RedisCaptureState(client, keys.captures)
    assert state.last_capture("http://example.com/a") is None
    row = {"url": "http://example.com/a", "etag": '"x"', "last_modified": None,
           "payload_digest": "sha1:ABC", "warc_record_id": "<urn:uuid:1>",
           "warc_date": "2025-01-01T00:00:00.000000Z", "status": 200, "warc_offset": 7,
           "warc_file": "SEEDS-1.warc.gz", "content_length": 10}
    state.remember(row)
    other = RedisCaptureState(client, keys.captures)  # another worker
    assert other.last_capture("http://example.com/a") == {
        key: row.get(key) for key in ("url", "etag", "last_modified", "payload_digest",
                                      "warc_record_id", "warc_date", "warc_file",
                                      "warc_offset")}


def test_the_addon_wires_the_shared_frontier_only_with_redis_url():
    settings = Settings({"DOWNLOAD_DELAY": 1.0})
    SharedFrontierAddon().update_settings(settings)
    assert settings["SCHEDULER"] != "crawler.scale.scheduler.LeasedScheduler"
    settings = Settings({"DOWNLOAD_DELAY": 1.0, "REDIS_URL": "redis://127.0.0.1:1/0"})
    SharedFrontierAddon().update_settings(settings)
    assert settings["SCHEDULER"] == "crawler.scale.scheduler.LeasedScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["ARCHIVE_STATE"] == "crawler.scale.state.RedisCaptureState"
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert handlers["http"] == handlers["https"] == (
        "crawler.scale.politeness.SharedHostDelayHandler")
    assert settings.getdict("FRONTIER_INNER_HANDLERS")["https"].endswith("DownloadHandler")
    from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

    from crawler.scale.robots import SharedRobotsTxtMiddleware

    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares[RobotsTxtMiddleware] is None
    assert middlewares[SharedRobotsTxtMiddleware] == 100


def test_without_redis_url_nothing_imports_redis(tmp_path):
    # A real crawl (of a port nobody listens on) that lists the modules it loaded at exit.
    command = crawl_command(tmp_path / "archive", urls=["http://127.0.0.1:9/nothing"])
    out = tmp_path / "modules.txt"
    wrapper = ("import atexit, runpy, sys\n"
               "out = sys.argv.pop(1)\n"
               "atexit.register(lambda: open(out, 'w').write('\\n'.join(sorted(sys.modules))))\n"
               "sys.argv[0] = 'scrapy'\n"
               "runpy.run_module('scrapy', run_name='__main__')\n")
    command[1:3] = ["-c", wrapper, str(out)]
    done = subprocess.run(command, cwd=REPO, env=crawl_env(), capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    modules = out.read_text().split()
    assert "crawler.spiders.seeds" in modules and "crawler.scale" in modules
    loaded = [name for name in modules if name.split(".")[0] in ("redis", "scrapy_redis")
              or name.startswith("crawler.scale.")]
    assert not loaded, loaded
    assert (tmp_path / "archive" / "archive.db").is_file()  # the usual layout
    assert not (tmp_path / "archive" / "workers").exists()


def test_a_leaving_worker_mends_what_a_dead_one_left_in_another_archive_dir(redis_server,
                                                                            tmp_path):
    import io

    from crawler.warc.writer import RollingWarcWriter

    name = f"unit-{next(_names)}"
    alive = _scheduler(redis_server, name, tmp_path / "a")
    dead = _scheduler(redis_server, name, tmp_path / "b")
    dead._stop.set()  # killed: it never leaves
    writer = RollingWarcWriter(tmp_path / "b" / "warc", warcinfo={"software": "test"})
    writer.write(writer.builder.create_warc_record("http://example.com/", "resource",
                                                   payload=io.BytesIO(b"x"),
                                                   length=1))
    open_file = writer.current_path
    with open(open_file, "ab") as fh:
        fh.write(b"\x1f\x8b\x08 a record cut short")
    writer._fh.close()  # its lock goes with the process
    alive.close("finished")
    assert not list((tmp_path / "b" / "warc").glob("*.open"))
    (repaired,) = (tmp_path / "b" / "warc").glob("*.warc.gz")
    assert repaired.name == open_file.name.removesuffix(".open")


def test_a_worker_without_its_redis_says_so_in_one_line(tmp_path):
    port = _closed_port()
    command = crawl_command(tmp_path / "archive", urls=["http://127.0.0.1:9/nothing"],
                            settings={"REDIS_URL": f"redis://:hunter2@127.0.0.1:{port}/0"})
    done = subprocess.run(command, cwd=REPO, env=crawl_env(), capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == EXIT_FRONTIER  # README: Exit status
    assert f"seedcrawler: cannot reach Redis at redis://:***@127.0.0.1:{port}/0" in done.stderr
    assert "Traceback" not in done.stderr and "hunter2" not in done.stderr


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_request_redis_cannot_take_is_recorded_not_dropped(redis_server, tmp_path,
                                                              monkeypatch):
    import sqlite_utils
    from redis.exceptions import ConnectionError as RedisConnectionError

    from crawler.scale import scheduler as module

    worker = _scheduler(redis_server, f"unit-{next(_names)}", tmp_path)
    monkeypatch.setattr(module, "ENQUEUE_RETRY_WAITS", (0, 0))
    calls = []

    def down(request):
        calls.append(request)
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(worker, "_enqueue", down)
    assert not worker.enqueue_request(Request("http://example.com/lost"))
    assert len(calls) == 3
    archive = module.Archive.of(worker.crawler)
    rows = list(sqlite_utils.Database(archive.paths.db_path)["errors"].rows)
    assert [(r["url"], r["stage"], r["error"]) for r in rows] == [
        ("http://example.com/lost", "frontier", "ConnectionError")]
    monkeypatch.undo()
    worker.close("finished")
