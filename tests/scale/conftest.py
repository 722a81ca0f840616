"""Fixtures of the scale-out tests: a throwaway redis-server, and workers of a shared
crawl (``scrapy crawl seeds -s REDIS_URL=...``) run as subprocesses, as a user runs them.

Without ``redis-server`` the tests skip with the reason, except under CI (the ``CI``
environment variable set), where they fail: CI must not skip them silently.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.crawling import REPO, crawl_command, crawl_env
from tests.scale.redis_server import REDIS_SERVER, RedisServer


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    if not Path(REDIS_SERVER).is_file():
        message = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@dataclass
class Workers:
    """Worker processes of one shared crawl, their logs in files."""

    processes: list[subprocess.Popen[str]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def wait(self, timeout: float = 240) -> list[int]:
        return [process.wait(timeout=timeout) for process in self.processes]

    def log(self, n: int) -> str:
        return self.logs[n].read_text(encoding="utf-8", errors="replace")

    def kill_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def start_workers(count: int, archive_dir: Path, seeds_file: Path, redis_url: str,
                  settings: dict[str, str], log_dir: Path) -> Workers:
    """Start ``count`` workers on one seed list and one Redis, sharing ``archive_dir``."""
    workers = Workers()
    log_dir.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        log = log_dir / f"worker-{n}.log"
        command = crawl_command(archive_dir, seeds_file,
                                settings={"REDIS_URL": redis_url, **settings})
        with log.open("w", encoding="utf-8") as fh:
            workers.processes.append(subprocess.Popen(
                command, cwd=REPO, env=crawl_env(), stdout=fh, stderr=subprocess.STDOUT,
                text=True))
        workers.logs.append(log)
    return workers


def replay(paths: list[Path], db_path: Path) -> subprocess.CompletedProcess[str]:
    """``crawler replay PATH... --db FILE``: the combined archive."""
    return subprocess.run(
        [sys.executable, "-m", "crawler", "replay", *map(str, paths), "--db", str(db_path),
         "--workers", "2", "--no-progress"],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=240, check=False)


def check_warc(path: Path) -> None:
    """A closed WARC file whose every gzip member is whole and every digest right."""
    assert subprocess.run(["gzip", "-t", str(path)]).returncode == 0, path
    check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
