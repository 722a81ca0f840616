"""The README stays true to the code: every setting and command is documented."""

import re
from pathlib import Path

from crawler import settings
from crawler.cli import cli

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")

# Scrapy's own settings that crawler/settings.py merely tunes are documented by Scrapy.
SCRAPY_OWN = {
    "BOT_NAME", "SPIDER_MODULES", "NEWSPIDER_MODULE", "COMMANDS_MODULE", "ADDONS",
    "CONCURRENT_REQUESTS",
    "AUTOTHROTTLE_START_DELAY", "AUTOTHROTTLE_TARGET_CONCURRENCY", "DOWNLOAD_TIMEOUT",
    "RETRY_TIMES", "DEFAULT_REQUEST_HEADERS", "TELNETCONSOLE_ENABLED",
    "REMOTE_CONTROL_ENABLED", "FEED_EXPORT_ENCODING", "STATS_DUMP",
}


def test_every_project_setting_is_in_the_readme():
    names = [n for n in dir(settings) if re.fullmatch(r"[A-Z][A-Z0-9_]+", n)]
    missing = [n for n in names if n not in SCRAPY_OWN and f"`{n}`" not in README]
    assert not missing, f"settings missing from README.md: {missing}"


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"crawler {name}" in README, name


def test_readme_shows_the_two_commands():
    assert "make crawl" in README and "make test" in README
