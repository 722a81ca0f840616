import shutil
import socket
import subprocess
import sys
from pathlib import Path

import sqlite_utils
from click.testing import CliRunner

from crawler.cli import cli
from tests.crawling import REPO


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name, command in cli.commands.items():
        assert name in result.output
        sub = CliRunner().invoke(cli, [name, "--help"])
        assert sub.exit_code == 0 and command.help


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_demo(archive, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", "demo", "--archive-dir",
                           str(archive), *args], capture_output=True, text=True, timeout=300)


def counts(archive) -> tuple[int, int]:
    db = sqlite_utils.Database(archive / "archive.db")
    try:
        return db["articles"].count, db["captures"].count
    finally:
        db.close()


def test_demo_crawls_the_fixture_site_offline_and_twice_keeps_one_copy(tmp_path):
    archive = tmp_path / "demo"
    port = free_port()  # never the demo's fixed port in a test
    process = run_demo(archive, "--port", str(port))
    assert process.returncode == 0, process.stdout[-2000:] + process.stderr[-3000:]
    assert f"{archive}/archive.db" in process.stdout
    assert f"crawler browse --db {archive}/archive.db" in process.stdout
    # the printed commands run as printed: the venv's scripts, by a path that exists
    for line in process.stdout.splitlines():
        if line.startswith("    ") and "/bin/" in line.split()[0]:
            assert Path(line.split()[0]).exists() or (REPO / line.split()[0]).exists(), line
    assert f"http://127.0.0.1:{port}" in process.stdout
    db = sqlite_utils.Database(archive / "archive.db")
    assert db["articles"].count == 5
    assert db["captures"].count >= 8
    warc_files = list((archive / "warc").glob("*.warc.gz"))
    assert warc_files and not list((archive / "warc").glob("*.open"))
    for path in warc_files:
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)])
        assert check.returncode == 0
    # the run summary closes the log: only Scrapy's "Spider closed" line comes after it
    lines = process.stderr.rstrip().splitlines()
    start = max(i for i, line in enumerate(lines) if "=== seedcrawler run finished" in line)
    after = [line for line in lines[start:] if line.startswith("20")]
    assert len(after) == 1 and "Spider closed (finished)" in after[0], after
    assert "exit status  3 (some seeds failed)" in process.stderr  # its 404 page
    first_captures = db["captures"].count

    # Again, with no --port: the port the archive's last demo used, the same URLs, so a
    # scheduled re-crawl: every page answers 304, one copy of each article.
    again = run_demo(archive)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"http://127.0.0.1:{port}" in again.stdout
    assert counts(archive)[0] == 5
    assert "articles     0 new, 0 changed, 5 unchanged" in again.stderr
    assert "revisits     6 (6 not modified)" in again.stderr

    # The port taken: the demo serves on another, and starts its archive afresh.
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", port))
        blocker.listen()
        third = run_demo(archive)
    assert third.returncode == 0, third.stderr[-3000:]
    assert f"port {port} is in use" in third.stdout
    assert "was started afresh" in third.stdout
    assert counts(archive) == (5, first_captures)
    assert "Traceback" not in process.stderr + again.stderr + third.stderr


def test_demo_never_deletes_an_archive_with_other_crawls(tmp_path, crawled):
    archive = tmp_path / "mixed"
    shutil.copytree(crawled.archive_dir, archive)  # a real crawl's archive
    (archive / "demo-seeds.txt").write_text(f"http://127.0.0.1:{free_port()}/x\n")
    process = run_demo(archive, "--port", "0")
    assert process.returncode == 0, process.stderr[-3000:]
    assert "holds other crawls" in process.stdout
    db = sqlite_utils.Database(archive / "archive.db")
    assert db["crawls"].count == 2  # the earlier crawl is still there
