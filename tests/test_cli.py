import subprocess
import sys

import sqlite_utils
from click.testing import CliRunner

from crawler.cli import cli


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name, command in cli.commands.items():
        assert name in result.output
        sub = CliRunner().invoke(cli, [name, "--help"])
        assert sub.exit_code == 0 and command.help


def test_demo_crawls_the_fixture_site_offline(tmp_path):
    archive = tmp_path / "demo"
    process = subprocess.run([sys.executable, "-m", "crawler", "demo", "--archive-dir",
                              str(archive)], capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stdout[-2000:] + process.stderr[-3000:]
    assert f"{archive}/archive.db" in process.stdout
    assert f"crawler browse --db {archive}/archive.db" in process.stdout
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
