"""A worker of a shared crawl killed with SIGKILL mid-crawl costs time, not URLs: its leases
expire, the other workers fetch those URLs again, nothing else is fetched twice, every WARC
file ends whole and the combined archive holds every article."""

from __future__ import annotations

import pickle
import time

import pytest
import sqlite_utils

from tests.scale.conftest import check_warc, replay, start_workers
from tests.scale.site import NewsSite, title_of

PAGES = 36
LEASE_TIMEOUT = 4
SETTINGS = {
    "FRONTIER_NAME": "kill-test",
    "FRONTIER_IDLE_TIMEOUT": "0",
    "FRONTIER_LEASE_TIMEOUT": str(LEASE_TIMEOUT),
    "FRONTIER_HOST_DELAY": "0",
    "CONCURRENT_REQUESTS": "3",
    "EXTRACT_WORKERS": "1",
}


def _leased_urls(client, prefix: str, pid: int) -> set[str]:
    """The URLs of the requests worker ``pid`` holds leases on."""
    urls = set()
    for lease, data in client.hgetall(prefix + "leased").items():
        if lease.decode().rsplit(":", 1)[0].endswith(f"-{pid}"):
            urls.add(pickle.loads(data)["url"])
    return urls


def _folder_of(archive, pid: int):
    """The worker folder whose run lock worker ``pid`` holds."""
    for lock in archive.glob("workers/*/.crawl.lock"):
        if lock.read_text(encoding="utf-8").startswith(f"pid {pid} "):
            return lock.parent
    return None


def _pages_archived(folder) -> int:
    """Pages archived in a worker folder so far (its database)."""
    if folder is None or not (folder / "archive.db").exists():
        return 0
    db = sqlite_utils.Database(folder / "archive.db")
    if not db["captures"].exists():
        return 0
    return db.execute("select count(*) from captures where url like '%/news/%'").fetchone()[0]


@pytest.fixture(scope="module")
def killed_run(redis_server, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("killed")
    site = NewsSite(PAGES, latency=0.8)
    seeds = workdir / "seeds.txt"
    seeds.write_text("\n".join(site.page_urls()) + "\n", encoding="utf-8")
    archive = workdir / "archive"
    client = redis_server.client()
    prefix = f"seedcrawler:{SETTINGS['FRONTIER_NAME']}:"
    workers = start_workers(3, archive, seeds, redis_server.url, SETTINGS, workdir / "logs")
    victim = workers.processes[0]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            # Killed with pages archived and requests in flight.
            folder = _folder_of(archive, victim.pid)
            if _pages_archived(folder) and _leased_urls(client, prefix, victim.pid):
                break
            assert victim.poll() is None, workers.log(0)[-3000:]
            time.sleep(0.05)
        else:
            pytest.fail("the first worker never held a lease: " + workers.log(0)[-3000:])
        victim.kill()
        victim.wait()
        killed_at = time.time()
        # Its leases stay in Redis until they expire: what it held when it died.
        leased = _leased_urls(client, prefix, victim.pid)
        codes = [process.wait(timeout=240) for process in workers.processes[1:]]
        assert codes == [0, 0], [workers.log(n)[-3000:] for n in (1, 2)]
        yield {"site": site, "archive": archive, "workers": workers, "leased": leased,
               "killed_at": killed_at, "workdir": workdir, "victim_folder": folder}
    finally:
        workers.kill_all()
        site.close()


def test_nothing_is_missing(killed_run):
    site = killed_run["site"]
    counts = site.counts()
    assert set(counts) == set(site.pages), set(site.pages) - set(counts)


def test_only_the_killed_workers_leases_are_fetched_twice(killed_run):
    site = killed_run["site"]
    twice = {site.url(path) for path, n in site.counts().items() if n > 1}
    assert twice <= killed_run["leased"], twice - killed_run["leased"]
    assert all(n <= 2 for n in site.counts().values())


def test_the_others_finish_the_killed_workers_leases(killed_run):
    site, leased = killed_run["site"], killed_run["leased"]
    assert leased
    # It had done some of the work too: its pages are in the combined archive (last test).
    assert _pages_archived(killed_run["victim_folder"])
    after = {site.url(hit.path) for hit in site.page_hits(since=killed_run["killed_at"])}
    assert leased <= after, leased - after
    logs = killed_run["workers"].log(1) + killed_run["workers"].log(2)
    assert "expired lease(s) back in the shared queue" in logs


def test_every_warc_file_is_whole_and_the_combined_archive_complete(killed_run):
    archive = killed_run["archive"]
    # The killed worker's .open file was cut to its last whole record and closed by a
    # worker that went on.
    assert not list(archive.glob("warc/*.open"))
    warcs = sorted(archive.glob("warc/*.warc.gz"))
    assert len(warcs) == 3
    for path in warcs:
        check_warc(path)
    combined = killed_run["workdir"] / "combined.db"
    done = replay([archive / "warc"], combined)
    assert done.returncode == 0, done.stdout + done.stderr
    titles = {row["title"] for row in sqlite_utils.Database(combined)["articles"].rows}
    assert titles == {title_of(n) for n in range(PAGES)}
