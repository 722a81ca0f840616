"""Default settings of the seedcrawler Scrapy project.

Every setting here is documented in README.md ("Settings"); the public ones are part of
INTERFACE.md. Override any of them with ``scrapy crawl seeds -s NAME=VALUE``.
"""

BOT_NAME = "seedcrawler"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# `scrapy crawl` with the run lock (crawler/commands/crawl.py)
COMMANDS_MODULE = "crawler.commands"

# The add-on wires the archive parts (WARC recorder, SQLite pipeline, run summary).
ADDONS = {"crawler.addon.SeedcrawlerAddon": 0}

# --- Output -----------------------------------------------------------------------------
ARCHIVE_DIR = "archive"
WARC_DIR = None  # default: ARCHIVE_DIR/warc
ARCHIVE_DB = None  # default: ARCHIVE_DIR/archive.db
WARC_MAX_SIZE = 1024**3  # roll over to a new WARC file past this many bytes
WARC_PREFIX = "SEEDS"
WARC_REPLAY = None  # a WARC file or folder to answer requests from (offline replay)

# --- Seeds ------------------------------------------------------------------------------
SEEDS_FILE = "seeds/seeds.txt"  # used when neither -a seeds= nor -a urls= is given

# --- Extraction -------------------------------------------------------------------------
EXTRACT_WORKERS = None  # processes for text extraction; None = one per core, 0 = in a thread

# --- Site endpoints ---------------------------------------------------------------------
WEIBO_API_BASE = "https://m.weibo.cn"

# --- Politeness -------------------------------------------------------------------------
USER_AGENT = "seedcrawler/0.1 (+https://github.com/seedcrawler/seedcrawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 2
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8,fr;q=0.7",
}

# --- Housekeeping -----------------------------------------------------------------------
LOG_LEVEL = "INFO"
# The run ends with seedcrawler's own summary; the full stats go to the crawls table.
STATS_DUMP = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
