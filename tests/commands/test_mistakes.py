"""A newcomer's ordinary mistakes, run for real: each is one line on stderr naming the file,
option or setting, a non-zero status (README "Exit status"), and never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from crawler.store.outcomes import (
    EXIT_ARCHIVE,
    EXIT_NONE_FETCHED,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
)
from tests.crawling import REPO, crawl_command, crawl_env
from tests.warc_factory import Exchange, html_headers, write_warc

AS_ROOT = os.geteuid() == 0


def run(args: list[str], cwd=REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=crawl_env(), capture_output=True, text=True,
                          timeout=120, check=False)


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "scrapy", "crawl", "seeds", *args])


def crawler(*args: str, cwd=REPO) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "crawler", *args], cwd=cwd)


def assert_one_line(process: subprocess.CompletedProcess[str], status: int,
                    *fragments: str) -> str:
    output = process.stdout + process.stderr
    assert "Traceback" not in output, output[-3000:]
    lines = [line for line in process.stderr.splitlines() if line.strip()]
    assert process.returncode == status, output[-3000:]
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def archive(tmp_path):
    return tmp_path / "archive"


# --- scrapy crawl seeds --------------------------------------------------------------------


def test_missing_seed_file(archive):
    process = scrapy("-a", "seeds=/nonexistent/seeds.txt", "-s", f"ARCHIVE_DIR={archive}")
    assert_one_line(process, EXIT_USAGE, "/nonexistent/seeds.txt", "no such file")
    assert not archive.exists()  # nothing was started


def test_seed_file_that_is_a_folder(archive, tmp_path):
    process = scrapy("-a", f"seeds={tmp_path}", "-s", f"ARCHIVE_DIR={archive}")
    assert_one_line(process, EXIT_USAGE, str(tmp_path), "is a folder")


@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode")
def test_unreadable_seed_file(archive, tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("https://example.com/\n")
    seeds.chmod(0)
    process = scrapy("-a", f"seeds={seeds}", "-s", f"ARCHIVE_DIR={archive}")
    assert_one_line(process, EXIT_USAGE, str(seeds), "permission denied")


def test_unknown_spider_argument_is_an_error_not_the_default_seeds(archive):
    # -a seed= (for seeds=) used to fall back to seeds/seeds.txt and fetch real sites
    process = scrapy("-a", "seed=my.txt", "-s", f"ARCHIVE_DIR={archive}")
    assert_one_line(process, EXIT_USAGE, "unknown spider argument -a seed=",
                    "did you mean -a seeds=?")
    assert not archive.exists()


def test_unknown_option(archive):
    process = scrapy("--bogus", "-s", f"ARCHIVE_DIR={archive}")
    assert_one_line(process, EXIT_USAGE, "unknown option --bogus")


@pytest.mark.parametrize("value", ["/proc/seedcrawler/archive", "README.md"],
                         ids=["proc", "a-file"])
def test_archive_dir_that_cannot_be_made(value):
    process = scrapy("-a", "urls=http://127.0.0.1:9/", "-s", f"ARCHIVE_DIR={value}")
    assert_one_line(process, EXIT_ARCHIVE, f"ARCHIVE_DIR={value}")


def test_archive_dir_under_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    process = scrapy("-a", "urls=http://127.0.0.1:9/", "-s",
                     f"ARCHIVE_DIR={tmp_path / 'file' / 'archive'}")
    assert_one_line(process, EXIT_ARCHIVE, "ARCHIVE_DIR=", "Not a directory")


@pytest.mark.skipif(AS_ROOT, reason="root writes in read-only folders")
def test_read_only_archive_dir(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        process = scrapy("-a", "urls=http://127.0.0.1:9/", "-s", f"ARCHIVE_DIR={folder}")
    finally:
        folder.chmod(0o755)
    assert_one_line(process, EXIT_ARCHIVE, f"ARCHIVE_DIR={folder}", "ermission denied")


def test_archive_db_that_is_not_a_database(archive):
    process = scrapy("-a", "urls=http://127.0.0.1:9/", "-s", f"ARCHIVE_DIR={archive}",
                     "-s", f"ARCHIVE_DB={REPO / 'README.md'}")
    assert_one_line(process, EXIT_ARCHIVE, "not an SQLite database")


@pytest.mark.parametrize(("setting", "says"), [
    ("WARC_MAX_SIZE=1GB", "WARC_MAX_SIZE must be a whole number"),
    ("DOWNLOAD_DELAY=soon", "DOWNLOAD_DELAY must be a number"),
    ("ROBOTSTXT_OBEY=maybe", "ROBOTSTXT_OBEY must be True or False"),
    ("EXTRACT_WORKERS=-1", "EXTRACT_WORKERS must be at least 0"),
])
def test_setting_of_the_wrong_type(archive, setting, says):
    process = scrapy("-a", "urls=http://127.0.0.1:9/", "-s", f"ARCHIVE_DIR={archive}",
                     "-s", setting)
    assert_one_line(process, EXIT_USAGE, f"-s {setting}", says)


def test_unknown_log_level(archive):
    process = scrapy("-L", "VERBOSE", "-s", f"ARCHIVE_DIR={archive}")
    assert_one_line(process, EXIT_USAGE, "VERBOSE", "not a log level")


def test_warc_replay_of_something_that_is_not_a_warc(archive, tmp_path):
    process = scrapy("-a", "urls=http://127.0.0.1:9/", "-s", f"ARCHIVE_DIR={archive}",
                     "-s", "WARC_REPLAY=README.md")
    assert_one_line(process, EXIT_USAGE, "WARC_REPLAY=README.md", "not a WARC file")
    process = scrapy("-a", "urls=http://127.0.0.1:9/", "-s", f"ARCHIVE_DIR={archive}",
                     "-s", f"WARC_REPLAY={tmp_path}")
    assert_one_line(process, EXIT_USAGE, f"WARC_REPLAY={tmp_path}", "no WARC file")


def test_setting_name_near_ours_gets_a_warning_naming_it(archive):
    process = run(crawl_command(archive, urls=["not-a-url"],
                                settings={"ARCHVE_DIR": str(archive / "typo")}))
    assert "Traceback" not in process.stderr
    warnings = [line for line in process.stderr.splitlines() if "ARCHVE_DIR" in line]
    assert len(warnings) == 1 and "did you mean ARCHIVE_DIR?" in warnings[0], warnings
    assert not (archive / "typo").exists()
    # nothing valid to crawl: status 4, said in the summary, an error line for the seed
    assert process.returncode == EXIT_NONE_FETCHED
    assert "No seeds to crawl" in process.stderr


def test_empty_seed_file_exits_4(archive, tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("# nothing yet\n\n")
    process = run(crawl_command(archive, seeds_file=seeds))
    assert process.returncode == EXIT_NONE_FETCHED, process.stderr[-3000:]
    assert "Traceback" not in process.stderr
    assert "exit status  4 (no seed fetched)" in process.stderr


def test_seed_file_saved_as_gbk_keeps_going(archive, tmp_path, fixture_site):
    seeds = tmp_path / "gbk-seeds.txt"
    good = fixture_site.url("/blog/2025/06/scale-ai-meta.html")
    seeds.write_bytes("# 种子（GBK）\n".encode("gbk") + good.encode() + b"\n"
                      + f"{fixture_site.base_url}/新闻/一.html\n".encode("gbk"))
    process = run(crawl_command(archive, seeds_file=seeds))
    assert "Traceback" not in process.stderr
    assert process.returncode == EXIT_SOME_FAILED, process.stderr[-3000:]
    bad = [line for line in process.stderr.splitlines() if "WARNING" in line and ":3:" in line]
    assert len(bad) == 1 and f"{seeds}:3: not UTF-8" in bad[0], bad
    assert "1 to crawl: 1 fetched, 0 failed (1 bad line)" in process.stderr


# --- crawler crawl -------------------------------------------------------------------------


def test_crawler_crawl_rejects_unknown_options():
    assert_one_line(crawler("crawl", "--bogus"), EXIT_USAGE, "--bogus")
    assert_one_line(crawler("crawl", "-s", "ARCHIVE_DIR"), EXIT_USAGE, "NAME=VALUE")


def test_crawler_crawl_reports_the_seed_file(archive):
    process = crawler("crawl", "--seeds", "/nonexistent", "--archive-dir", str(archive))
    assert_one_line(process, EXIT_USAGE, "/nonexistent", "no such file")


# --- crawler replay / index ------------------------------------------------------------------


@pytest.fixture
def warc_dir(tmp_path):
    folder = tmp_path / "warc"
    folder.mkdir()
    body = b"<html><head><title>t</title></head><body><p>text</p></body></html>"
    write_warc(folder / "a.warc.gz", [Exchange("https://example.com/", body=body,
                                               headers=html_headers(body))])
    return folder


def test_replay_of_a_file_that_is_not_a_warc(tmp_path):
    db = tmp_path / "x.db"
    process = crawler("replay", "README.md", "--db", str(db))
    assert_one_line(process, 1, "README.md", "not a WARC file")
    assert not db.exists()


def test_replay_of_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    db = tmp_path / "x.db"
    process = crawler("replay", str(tmp_path / "empty"), "--db", str(db))
    assert_one_line(process, 1, "no WARC file", str(tmp_path / "empty"))
    assert not db.exists()


def test_replay_into_a_db_whose_folder_is_missing(tmp_path, warc_dir):
    db = tmp_path / "missing-folder" / "x.db"
    process = crawler("replay", str(warc_dir), "--db", str(db))
    assert_one_line(process, 1, f"--db {db}", "does not exist")


def test_replay_into_a_file_that_is_not_a_database(warc_dir):
    process = crawler("replay", str(warc_dir), "--db", "README.md")
    assert_one_line(process, 1, "--db README.md", "not an SQLite database")


def test_index_of_a_file_that_is_not_a_warc(tmp_path):
    readme = tmp_path / "README.md"
    shutil.copy(REPO / "README.md", readme)
    process = crawler("index", str(readme))
    assert_one_line(process, 1, "README.md", "not a WARC file")
    assert not (tmp_path / "README.md.cdxj").exists()
    (tmp_path / "empty").mkdir()
    assert_one_line(crawler("index", str(tmp_path / "empty")), 1, "no WARC file")


def test_replay_and_index_still_work(tmp_path, warc_dir):
    process = crawler("replay", str(warc_dir), "--db", str(tmp_path / "x.db"),
                      "--no-progress")
    assert process.returncode == 0, process.stderr
    assert "1 WARC file(s)" in process.stdout
    process = crawler("index", str(warc_dir))
    assert process.returncode == 0 and (warc_dir / "a.warc.gz.cdxj").exists()
