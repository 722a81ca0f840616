"""Real replay: a crawl's WARC file served back by pywb, byte for byte.

pywb pins an old redis client that conflicts with this project's dependencies, so it gets a
venv of its own, ``.venv-pywb`` at the repository root (installed from PyPI on first use, then
reused). Deselect with ``-m "not pywb"``.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crawler.demo.site.pages import BLOG_PATH
from crawler.warc.index import index_path
from crawler.warc.reader import iter_records

pytestmark = pytest.mark.pywb

REPO = Path(__file__).resolve().parents[2]
PYWB_VENV = REPO / ".venv-pywb"
PYWB_VERSION = "pywb==2.10.*"


def _install_pywb() -> Path:
    bin_dir = PYWB_VENV / "bin"
    if (bin_dir / "wayback").exists() and (bin_dir / "wb-manager").exists():
        return bin_dir
    shutil.rmtree(PYWB_VENV, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", str(PYWB_VENV)],
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", PYWB_VERSION],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            shutil.rmtree(PYWB_VENV, ignore_errors=True)
            pytest.fail(f"could not install pywb ({' '.join(step)}):\n{done.stdout}\n"
                        f"{done.stderr}")
    return bin_dir


@pytest.fixture(scope="session")
def pywb_bin() -> Path:
    return _install_pywb()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def collections(pywb_bin, crawled, requisite_crawls, tmp_path_factory):
    """pywb collections of the crawl's WARC files: ``coll``, indexed by pywb itself
    (``wb-manager add``), and ``ours``, using the CDXJ files the crawler wrote; and
    ``requisites``, both runs of the requisite site (its servers stopped)."""
    root = tmp_path_factory.mktemp("pywb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    for name in ("coll", "ours", "requisites"):
        subprocess.run([str(pywb_bin / "wb-manager"), "init", name], cwd=root, env=env,
                       check=True, capture_output=True)
    subprocess.run([str(pywb_bin / "wb-manager"), "add", "coll",
                    *map(str, crawled.warc_files)], cwd=root, env=env, check=True,
                   capture_output=True)
    subprocess.run([str(pywb_bin / "wb-manager"), "add", "requisites",
                    *map(str, requisite_crawls.first.warc_files),
                    *map(str, requisite_crawls.second.warc_files)],
                   cwd=root, env=env, check=True, capture_output=True)
    ours = root / "collections" / "ours"
    for warc in crawled.warc_files:
        shutil.copy(warc, ours / "archive" / warc.name)
        shutil.copy(index_path(warc), ours / "indexes" / index_path(warc).name)
    port = _free_port()
    log = open(root / "wayback.log", "w")  # noqa: SIM115
    server = subprocess.Popen([str(pywb_bin / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
                              cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/coll/", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("wayback did not start:\n" + (root / "wayback.log").read_text())
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
        if server.poll() is None:
            server.kill()
        log.close()


def _fetch(url: str, accept_gzip: bool) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url)
    request.add_header("Accept-Encoding", "gzip" if accept_gzip else "identity")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def archived_page(crawled, fixture_site):
    """The blog page's response record and its CDXJ timestamp."""
    url = fixture_site.url(BLOG_PATH)
    for warc in crawled.warc_files:
        for record in iter_records(warc):
            if record.rec_type == "response" and record.target_uri == url:
                for line in index_path(warc).read_text().splitlines():
                    _, timestamp, data = line.split(" ", 2)
                    if json.loads(data)["url"] == url:
                        return url, timestamp, record
    raise AssertionError(f"{url} is not in the crawl")


@pytest.mark.parametrize("collection", ["coll", "ours"])
def test_pywb_serves_the_payload_byte_for_byte(collections, archived_page, collection):
    url, timestamp, record = archived_page
    assert record.http_headers.get_header("Content-Encoding") == "gzip"
    status, headers, body = _fetch(f"{collections}/{collection}/{timestamp}id_/{url}",
                                   accept_gzip=True)
    assert status == 200
    assert body == record.payload  # the bytes as the server sent them, still gzipped
    assert headers.get("Memento-Datetime")


def test_pywb_decodes_for_a_client_without_gzip(collections, archived_page, fixture_site):
    url, timestamp, record = archived_page
    _, _, body = _fetch(f"{collections}/coll/{timestamp}id_/{url}", accept_gzip=False)
    assert body == gzip.decompress(record.payload) == fixture_site.site[BLOG_PATH].body


def _timestamps(run, url):
    for warc in run.warc_files:
        for line in index_path(warc).read_text().splitlines():
            _, timestamp, data = line.split(" ", 2)
            if json.loads(data)["url"] == url:
                yield timestamp


def test_pywb_serves_every_requisite_byte_for_byte(collections, requisite_crawls):
    """Both runs archived, the site stopped: each requisite comes back as it was served,
    at the first run's time, at the second run's (a revisit) and as the latest capture."""
    site = requisite_crawls.site
    records = {r.target_uri: r for r in requisite_crawls.first.records()
               if r.rec_type == "response"}
    for url, body in site.requisites.items():
        moments = [*_timestamps(requisite_crawls.first, url),
                   *_timestamps(requisite_crawls.second, url), "2999"]
        assert len(moments) == 3, (url, moments)
        for moment in moments:
            target = f"{collections}/requisites/{moment}id_/{url}"
            status, _, served = _fetch(target, accept_gzip=False)
            assert (status, served) == (200, body), (url, moment)
            _, _, raw = _fetch(target, accept_gzip=True)
            assert raw == records[url].payload, (url, moment)  # gzip kept where it was sent
