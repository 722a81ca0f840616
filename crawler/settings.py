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
ADDONS = {"crawler.addon.SeedcrawlerAddon": 0,
          # Off unless REDIS_URL is set: the shared frontier of crawler/scale.
          "crawler.scale.SharedFrontierAddon": 10}

# --- Output -----------------------------------------------------------------------------
ARCHIVE_DIR = "archive"
WARC_DIR = None  # default: ARCHIVE_DIR/warc
ARCHIVE_DB = None  # default: ARCHIVE_DIR/archive.db
WARC_MAX_SIZE = 1024**3  # roll over to a new WARC file past this many bytes
WARC_PREFIX = "SEEDS"
WARC_REPLAY = None  # a WARC file or folder to answer requests from (offline replay)
WARC_ENABLED = True  # archive every exchange as WARC (turning it off defeats the purpose)
INCREMENTAL_ENABLED = True  # conditional requests + revisit records for URLs seen before
# After a crash: replays the WARC files a killed run left open into the database.
ARCHIVE_RECOVERY = "crawler.replay.recover_files"
# Database rows are committed together at most this many seconds apart (and before the WARC
# file they point into is closed); 0 commits every row at once.
ARCHIVE_COMMIT_INTERVAL = 1.0

# --- Scaling out: workers sharing one crawl through Redis (crawler.scale) ---------------
REDIS_URL = None  # redis://HOST:PORT/DB: this crawl is one worker of a shared crawl
FRONTIER_NAME = None  # the shared crawl's name (its Redis keys); default: WARC_PREFIX
FRONTIER_IDLE_TIMEOUT = 10.0  # seconds a worker waits with nothing queued or leased anywhere
FRONTIER_LEASE_TIMEOUT = 30.0  # a dead worker's requests go back in the queue after this
FRONTIER_MAX_RECLAIMS = 3  # expired leases after which a request is set aside
FRONTIER_FINISHED_TTL = 300.0  # a late worker joins a crawl finished this recently
FRONTIER_HOST_DELAY = None  # seconds between two requests to a host, crawl-wide; default:
# DOWNLOAD_DELAY
ARCHIVE_STATE = None  # per-URL capture state (component path); default: the captures table

# --- Seeds ------------------------------------------------------------------------------
SEEDS_FILE = "seeds/seeds.txt"  # used when neither -a seeds= nor -a urls= is given

# --- Extraction -------------------------------------------------------------------------
EXTRACT_WORKERS = None  # processes for text extraction; None = one per core, 0 = in a thread
# False: archive-only (WARC and captures, no article extracted, no worker process);
# `crawler replay` extracts the articles later, from the WARC files.
EXTRACT_ENABLED = True
# A worker holding more than this many MB after a page is retired (a fresh pool takes over);
# 0: never.
EXTRACT_WORKER_MAX_MEMORY = 256
# Bodies past this size are archived, not extracted (crawler.extract.guard).
EXTRACT_MAX_BYTES = 5 * 1024 * 1024

# --- Limits per exchange (crawler.fetch.limits, .handler, .retry_after) ------------------
DOWNLOAD_LIMITS_ENABLED = True  # the size caps below that keep (and mark) what was received
DOWNLOAD_MAXSIZE = 100 * 1024 * 1024  # a body is cut here and archived WARC-Truncated: length
DOWNLOAD_WARNSIZE = 20 * 1024 * 1024  # log a warning past this size
# All bodies in flight together: past this, the largest one is cut (WARC-Truncated: length).
DOWNLOAD_INFLIGHT_MAXSIZE = 128 * 1024 * 1024
COMPRESSION_MAXSIZE = 50 * 1024 * 1024  # decoded size of a gzip/br/zstd body (bombs)
ROBOTSTXT_MAXSIZE = 500 * 1024  # robots.txt read up to this size (as Google does)
DOWNLOAD_FAIL_ON_DATALOSS = False  # archive bodies cut short (WARC-Truncated: disconnect)
RETRY_AFTER_MAX = 60.0  # longest Retry-After obeyed (seconds); longer ones are not retried

# --- Site endpoints ---------------------------------------------------------------------
WEIBO_API_BASE = "https://m.weibo.cn"

# --- Weibo (crawler.adapters.weibo, crawler.fetch.weibo_session) ---------------------
WEIBO_PASSPORT_BASE = "https://passport.weibo.com"  # the visitor system (cookies SUB/SUBP)
WEIBO_RETRY_TIMES = 3  # retries of a walled post, with exponential backoff
WEIBO_BACKOFF_BASE = 5.0  # seconds before the first retry; doubled at each one (+ jitter)
WEIBO_BACKOFF_MAX = 300.0  # longest wait between two tries
WEIBO_VISITOR_ENABLED = True  # try the visitor-cookie flow (at most once per run)
WEIBO_LONG_TEXT = True  # fetch the whole text of long posts (/statuses/extend)
# m.weibo.cn's robots.txt admits named search engines only; the adapter fetches just the
# posts seeded one by one (one API call each, two for a long post), politely: see README.
WEIBO_OBEY_ROBOTSTXT = False
# UA sniffing answers 432 to unknown agents: a mobile browser's, naming the crawler.
WEIBO_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1 "
    "seedcrawler/0.1 (+https://github.com/seedcrawler/seedcrawler)"
)

# --- Feeds and sitemaps as seeds (crawler.frontier.feeds) ----------------------------------------
FEED_MAX_AGE_DAYS = 7  # crawl feed entries dated within this many days; 0 = all
FEED_SITEMAP_MAX_DEPTH = 2  # levels of sitemap indexes followed below a seed
# Pages (and child sitemaps) queued per seed from its feeds and sitemaps; 0 = no cap. A feed
# stands for the seed's latest pages (most RSS feeds list 10 to 100); at the default
# politeness, about a second per request to a host, 100 entries take a couple of minutes.
FEED_MAX_ENTRIES = 100

# --- Page requisites (crawler.frontier.requisites) -----------------------------------
PAGE_REQUISITES = True  # fetch and archive what every archived HTML page embeds
PAGE_REQUISITES_MAX_SIZE = 20 * 1024**2  # bytes per resource; larger ones are not fetched
PAGE_REQUISITES_MAX_PER_PAGE = 500  # resources per page (or stylesheet), in document order
PAGE_REQUISITES_EXCLUDE = None  # regex (or list): requisite URLs never fetched (ads, trackers)

# --- Crawl scope: links followed from archived pages (crawler.frontier.scope) -------------
CRAWL_SCOPE = "page"  # page | prefix | host | domain (-a scope=); page follows no link
CRAWL_DEPTH = 5  # link hops from the seed (-a depth=); -1: no limit
CRAWL_MAX_PAGES = 0  # pages per run, seeds included; 0: no limit
CRAWL_INCLUDE = None  # regex (or list): a followed link must match one (-a include=)
CRAWL_EXCLUDE = None  # regex (or list): a link matching one is not followed (-a exclude=)

# --- Pages that need JavaScript (crawler.fetch.render, .browser, .browser_recorder) ---------
RENDER = "auto"  # never | auto | always (-a render=); auto: script-built shells only
RENDER_DOMAINS = {}  # {host: mode}, or "host=mode,host=mode"; subdomains included
RENDER_BROWSER = "/usr/bin/chromium"  # Debian's Chromium; no browser is ever downloaded
RENDER_BROWSER_ARGS = []  # more Chromium flags (a list, JSON list, or space-separated)
RENDER_PAGES = 2  # pages open in the browser at once
RENDER_TIMEOUT = 30.0  # seconds a page has to load in the browser
RENDER_WAIT = 10.0  # more seconds, at most, for its network to go quiet after the load
RENDER_SHELL_MAX_TEXT = 400  # visible characters above which a page is no script shell
RENDER_BLOCK = []  # URL patterns (* wildcards) the browser never fetches
RENDER_USER_AGENT = None  # default: Chromium's user agent + USER_AGENT

# --- WACZ (crawler.wacz) ----------------------------------------------------------------
WACZ_ENABLED = False  # package the whole archive as one WACZ file at the end of each run
WACZ_FILE = None  # default: ARCHIVE_DIR/archive.wacz
WACZ_TEXT = True  # put the articles' text in pages.jsonl (replayweb.page searches it)

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
# The spider yields at most one item per response: Scrapy's default (100) starts 100 tasks
# per response to process them (a third of the reactor's time in a bare crawl).
CONCURRENT_ITEMS = 1
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8,fr;q=0.7",
}

# --- Progress and logs (crawler.store.progress, crawler.logs) ---------------------------
PROGRESS_INTERVAL = 10.0  # seconds between progress lines; 0 = none
PROGRESS_BAR = None  # a live bar instead of the lines: None = when stderr is a terminal
LOGSTATS_INTERVAL = 0  # Scrapy's once-a-minute line, replaced by the progress line

# --- Housekeeping -----------------------------------------------------------------------
LOG_LEVEL = "INFO"
# The run ends with seedcrawler's own summary; the full stats go to the crawls table.
STATS_DUMP = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
