"""A newcomer's ordinary mistakes, run for real: each is one line on stderr naming the file,
option or setting, a non-zero status (README "Exit status"), and never a traceback.

Every command runs in a subprocess, as typed; they are started together (a module fixture)
since each spends its time starting Python and Scrapy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.demo.site.server import FixtureServer
from crawler.store.outcomes import EXIT_ARCHIVE, EXIT_NONE_FETCHED, EXIT_SOME_FAILED, EXIT_USAGE
from tests.crawling import REPO, TEST_SETTINGS, crawl_command, crawl_env
from tests.warc_factory import Exchange, html_headers, write_warc

AS_ROOT = os.geteuid() == 0
NOWHERE = "urls=http://127.0.0.1:9/never-fetched"


@dataclass(frozen=True)
class Case:
    argv: tuple[str, ...]
    status: int
    says: tuple[str, ...]


def scrapy(*args: str) -> tuple[str, ...]:
    return (sys.executable, "-m", "scrapy", "crawl", "seeds", *args)


def crawler(*args: str) -> tuple[str, ...]:
    return (sys.executable, "-m", "crawler", *args)


def cases(w: Path) -> dict[str, Case]:
    """Every mistake, in the workspace ``w`` (files made by :func:`workspace`)."""
    a = f"ARCHIVE_DIR={w / 'archive'}"
    return {
        "missing seed file": Case(scrapy("-a", "seeds=/nonexistent/seeds.txt", "-s", a),
                                  EXIT_USAGE, ("/nonexistent/seeds.txt", "no such file")),
        "seed file is a folder": Case(scrapy("-a", f"seeds={w}", "-s", a), EXIT_USAGE,
                                      (str(w), "is a folder")),
        "unreadable seed file": Case(scrapy("-a", f"seeds={w / 'locked.txt'}", "-s", a),
                                     EXIT_USAGE, ("locked.txt", "permission denied")),
        # -a seed= (for seeds=) used to fall back to seeds/seeds.txt and fetch real sites
        "unknown spider argument": Case(scrapy("-a", "seed=my.txt", "-s", a), EXIT_USAGE,
                                        ("unknown spider argument -a seed=",
                                         "did you mean -a seeds=?")),
        "empty -a urls=": Case(scrapy("-a", "urls=", "-s", a), EXIT_USAGE,
                               ("-a urls= is empty",)),
        "empty --seeds": Case(crawler("crawl", "--seeds", "", "--archive-dir",
                                      str(w / "archive")), EXIT_USAGE,
                              ("-a seeds= is empty",)),
        "empty ARCHIVE_DIR": Case(crawler("crawl", "--urls", "http://127.0.0.1:9/",
                                          "--archive-dir", ""), EXIT_USAGE,
                                  ("ARCHIVE_DIR is empty",)),
        "unknown option": Case(scrapy("--bogus", "-s", a), EXIT_USAGE,
                               ("unknown option --bogus",)),
        "unknown log level": Case(scrapy("-L", "VERBOSE", "-s", a), EXIT_USAGE,
                                  ("VERBOSE", "not a log level")),
        "ARCHIVE_DIR in /proc": Case(scrapy("-a", NOWHERE, "-s",
                                            "ARCHIVE_DIR=/proc/seedcrawler/archive"),
                                     EXIT_ARCHIVE, ("ARCHIVE_DIR=/proc/seedcrawler/archive",
                                                    "cannot create")),
        # a folder that exists but takes no file, and one that cannot be made, even as root
        "ARCHIVE_DIR=/proc/self": Case(scrapy("-a", NOWHERE, "-s", "ARCHIVE_DIR=/proc/self"),
                                       EXIT_ARCHIVE, ("ARCHIVE_DIR=/proc/self",
                                                      "cannot write in /proc/self")),
        "ARCHIVE_DIR in /sys": Case(scrapy("-a", NOWHERE, "-s",
                                           "ARCHIVE_DIR=/sys/seedcrawler-archive"),
                                    EXIT_ARCHIVE, ("ARCHIVE_DIR=/sys/seedcrawler-archive",
                                                   "cannot create the folder")),
        "ARCHIVE_DIR is a file": Case(scrapy("-a", NOWHERE, "-s", "ARCHIVE_DIR=README.md"),
                                      EXIT_ARCHIVE, ("ARCHIVE_DIR=README.md", "not a folder")),
        "ARCHIVE_DIR under a file": Case(
            scrapy("-a", NOWHERE, "-s", f"ARCHIVE_DIR={w / 'file' / 'archive'}"),
            EXIT_ARCHIVE, ("ARCHIVE_DIR=", "Not a directory")),
        "read-only ARCHIVE_DIR": Case(scrapy("-a", NOWHERE, "-s", f"ARCHIVE_DIR={w / 'ro'}"),
                                      EXIT_ARCHIVE, (f"ARCHIVE_DIR={w / 'ro'}",
                                                     "ermission denied")),
        "ARCHIVE_DB not a database": Case(
            scrapy("-a", NOWHERE, "-s", a, "-s", f"ARCHIVE_DB={REPO / 'README.md'}"),
            EXIT_ARCHIVE, ("ARCHIVE_DB=", "not an SQLite database")),
        "WARC_MAX_SIZE=1GB": Case(scrapy("-a", NOWHERE, "-s", a, "-s", "WARC_MAX_SIZE=1GB"),
                                  EXIT_USAGE, ("-s WARC_MAX_SIZE=1GB",
                                               "WARC_MAX_SIZE must be a whole number")),
        "DOWNLOAD_DELAY=soon": Case(scrapy("-a", NOWHERE, "-s", a, "-s",
                                           "DOWNLOAD_DELAY=soon"),
                                    EXIT_USAGE, ("DOWNLOAD_DELAY must be a number",)),
        "ROBOTSTXT_OBEY=maybe": Case(scrapy("-a", NOWHERE, "-s", a, "-s",
                                            "ROBOTSTXT_OBEY=maybe"),
                                     EXIT_USAGE, ("ROBOTSTXT_OBEY must be True or False",)),
        "EXTRACT_WORKERS=-1": Case(scrapy("-a", NOWHERE, "-s", a, "-s", "EXTRACT_WORKERS=-1"),
                                   EXIT_USAGE, ("EXTRACT_WORKERS must be at least 0",)),
        "-s without a value": Case(scrapy("-a", NOWHERE, "-s", "ARCHIVE_DIR"), EXIT_USAGE,
                                   ("-s NAME=VALUE",)),
        "WARC_REPLAY not a WARC": Case(scrapy("-a", NOWHERE, "-s", a, "-s",
                                              "WARC_REPLAY=README.md"),
                                       EXIT_USAGE, ("WARC_REPLAY=README.md",
                                                    "not a WARC file")),
        "WARC_REPLAY empty folder": Case(scrapy("-a", NOWHERE, "-s", a, "-s",
                                                f"WARC_REPLAY={w / 'empty'}"),
                                         EXIT_USAGE, ("WARC_REPLAY=", "no WARC file")),
        "log file in /proc": Case(scrapy("--logfile", "/proc/seedcrawler/log", "-a", NOWHERE,
                                         "-s", a), EXIT_USAGE,
                                  ("/proc/seedcrawler/log", "cannot write it")),
        "no spider name": Case((sys.executable, "-m", "scrapy", "crawl"), EXIT_USAGE,
                               ("scrapy crawl seeds",)),
        "demo in /proc": Case(crawler("demo", "--archive-dir", "/proc/seedcrawler"), 1,
                              ("--archive-dir /proc/seedcrawler", "cannot create it")),
        "crawler crawl --bogus": Case(crawler("crawl", "--bogus"), EXIT_USAGE, ("--bogus",)),
        "crawler crawl -s NAME": Case(crawler("crawl", "-s", "ARCHIVE_DIR"), EXIT_USAGE,
                                      ("NAME=VALUE",)),
        "crawler crawl missing seeds": Case(
            crawler("crawl", "--seeds", "/nonexistent", "--archive-dir", str(w / "archive")),
            EXIT_USAGE, ("/nonexistent", "no such file")),
        "replay README.md": Case(crawler("replay", "README.md", "--db", str(w / "r1.db")), 1,
                                 ("README.md", "not a WARC file")),
        "replay an empty folder": Case(crawler("replay", str(w / "empty"), "--db",
                                               str(w / "r2.db")),
                                       1, ("no WARC file", str(w / "empty"))),
        "replay --db in a missing folder": Case(
            crawler("replay", str(w / "warc"), "--db", str(w / "missing-folder" / "x.db")),
            1, (f"--db {w / 'missing-folder' / 'x.db'}", "does not exist")),
        "replay --db README.md": Case(crawler("replay", str(w / "warc"), "--db", "README.md"),
                                      1, ("--db README.md", "not an SQLite database")),
        "replay a missing path": Case(crawler("replay", "/nonexistent"), 2,
                                      ("/nonexistent", "does not exist")),
        "index README.md": Case(crawler("index", str(w / "README.md")), 1,
                                ("README.md", "not a WARC file")),
        "index an empty folder": Case(crawler("index", str(w / "empty")), 1,
                                      ("no WARC file",)),
    }


def workspace(w: Path) -> None:
    (w / "empty").mkdir()
    (w / "file").write_text("x")
    (w / "ro").mkdir()
    (w / "ro").chmod(0o555)
    (w / "locked.txt").write_text("http://127.0.0.1:9/never-fetched\n")
    (w / "locked.txt").chmod(0)
    shutil.copy(REPO / "README.md", w / "README.md")
    (w / "warc").mkdir()
    body = b"<html><head><title>t</title></head><body><p>text</p></body></html>"
    write_warc(w / "warc" / "a.warc.gz", [Exchange("https://example.com/", body=body,
                                                   headers=html_headers(body))])


ROOT_ONLY_WRITES = {"unreadable seed file": "root reads files whatever their mode",
                    "read-only ARCHIVE_DIR": "root writes in read-only folders"}


def _run(argv: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=REPO, env=crawl_env(), capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def w(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mistakes")
    workspace(folder)
    return folder


@pytest.fixture(scope="module")
def ran(w) -> dict[str, subprocess.CompletedProcess[str]]:
    # as root these are no mistakes (they would crawl): not run
    todo = {name: case for name, case in cases(w).items()
            if not (AS_ROOT and name in ROOT_ONLY_WRITES)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = dict(zip(todo, pool.map(_run, (case.argv for case in todo.values())),
                        strict=True))
    (w / "ro").chmod(0o755)
    return done


@pytest.mark.parametrize("name", list(cases(Path("/w"))))
def test_a_mistake_is_one_line_and_a_status(name, ran, w):
    if AS_ROOT and name in ROOT_ONLY_WRITES:
        pytest.skip(ROOT_ONLY_WRITES[name])
    case = cases(w)[name]
    process = ran[name]
    output = process.stdout + process.stderr
    assert "Traceback" not in output, output[-3000:]
    assert process.returncode == case.status, output[-3000:]
    lines = [line for line in process.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for fragment in case.says:
        assert fragment in lines[0], lines[0]


def test_nothing_is_written_after_a_mistake(ran, w):
    # the unknown argument and the missing seed file stop the crawl before it starts
    assert not (w / "archive").exists()
    assert not (w / "r1.db").exists() and not (w / "r2.db").exists()
    assert not (w / "README.md.cdxj").exists()


def test_setting_name_near_ours_gets_a_warning_naming_it(tmp_path):
    archive = tmp_path / "archive"
    settings = [f"{k}={v}" for k, v in TEST_SETTINGS.items()]
    argv = scrapy("-a", "urls=not-a-url", "-s", f"ARCHIVE_DIR={archive}",
                  "-s", f"ARCHVE_DIR={archive / 'typo'}",
                  *[arg for pair in settings for arg in ("-s", pair)])
    process = _run(argv)
    assert "Traceback" not in process.stderr
    warnings = [line for line in process.stderr.splitlines() if "ARCHVE_DIR" in line]
    assert len(warnings) == 1 and "did you mean ARCHIVE_DIR?" in warnings[0], warnings
    assert not (archive / "typo").exists()
    # nothing valid to crawl: status 4, said in the summary, and the bad seed named
    assert process.returncode == EXIT_NONE_FETCHED
    assert "No seeds to crawl" in process.stderr
    assert "bad seed     urls:1: not a URL (no scheme): 'not-a-url'" in process.stderr


def test_replay_and_index_still_take_a_real_warc(ran, w, tmp_path):
    process = _run(crawler("replay", str(w / "warc"), "--db", str(tmp_path / "x.db"),
                           "--no-progress"))
    assert process.returncode == 0, process.stderr
    assert "1 WARC file(s)" in process.stdout
    process = _run(crawler("index", str(w / "warc")))
    assert process.returncode == 0 and (w / "warc" / "a.warc.gz.cdxj").exists()


def test_empty_seed_file_exits_4(tmp_path):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("# nothing yet\n\n")
    process = _run(tuple(crawl_command(tmp_path / "archive", seeds_file=seeds)))
    assert process.returncode == EXIT_NONE_FETCHED, process.stderr[-3000:]
    assert "Traceback" not in process.stderr
    assert "No seeds to crawl" in process.stderr
    assert "exit status  4 (no seed fetched)" in process.stderr


def test_seed_file_saved_as_gbk_keeps_going(tmp_path):
    seeds = tmp_path / "gbk-seeds.txt"
    with FixtureServer() as site:  # a server of its own: the shared one counts requests
        good = site.url("/blog/2025/06/scale-ai-meta.html")
        seeds.write_bytes("# 种子（GBK）\n".encode("gbk") + good.encode() + b"\n"
                          + f"{site.base_url}/新闻/一.html\n".encode("gbk"))
        process = _run(tuple(crawl_command(tmp_path / "archive", seeds_file=seeds)))
    assert "Traceback" not in process.stderr
    assert process.returncode == EXIT_SOME_FAILED, process.stderr[-3000:]
    bad = [line for line in process.stderr.splitlines() if "WARNING" in line and ":3:" in line]
    assert len(bad) == 1 and f"{seeds}:3: not UTF-8" in bad[0], bad
    assert "seeds        1 attempted: 1 fetched, 0 failed (1 bad line)" in process.stderr
