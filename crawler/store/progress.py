"""Progress of a crawl: a log line every ``PROGRESS_INTERVAL`` seconds, or a live bar when
stderr is a terminal (README "Logs").

    Progress: 20/80 seeds (18 fetched, 2 failed), 41 pages, 2.0 pages/s, ETA 0:00:30
    [#####...............] 20/80 seeds  2 failed  41 pages  2.0 pages/s  ETA 0:00:30

It takes the place of Scrapy's once-a-minute LogStats line, which has no total and no ETA.
The total grows while feeds and sitemaps add their entries. The bar is drawn on stderr and
cleared before every log line; it is redrawn each second.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.store.archive import Archive
from crawler.store.outcomes import SeedLedger

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

BAR_WIDTH = 20
BAR_REFRESH = 1.0  # seconds


def _eta(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class Progress:
    """The ``PROGRESS_INTERVAL`` line and the ``PROGRESS_BAR`` bar."""

    def __init__(self, crawler: Crawler, interval: float, bar: bool,
                 ledger: SeedLedger | None = None) -> None:
        self.crawler = crawler
        self.ledger = ledger  # None: the crawl's archive's
        self.interval = interval
        self.bar = bar
        self.started = time.monotonic()
        self._task: Any = None
        self._drawn = False
        self._filters: list[tuple[logging.Handler, logging.Filter]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        settings = crawler.settings
        interval = settings.getfloat("PROGRESS_INTERVAL")
        bar_setting = settings.get("PROGRESS_BAR")
        if bar_setting in (None, "", "auto"):
            bar = sys.stderr.isatty() and settings.getbool("LOG_ENABLED")
        else:
            bar = settings.getbool("PROGRESS_BAR")
        if interval <= 0 and not bar:
            raise NotConfigured
        progress = cls(crawler, interval, bar)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    # --- life cycle ------------------------------------------------------------------------

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        if self.bar:
            for handler in logging.root.handlers:
                if getattr(handler, "stream", None) is sys.stderr:
                    clear = _ClearBar(self)
                    handler.addFilter(clear)
                    self._filters.append((handler, clear))
        self._task = create_looping_call(self.tick)
        self._task.start(BAR_REFRESH if self.bar else self.interval, now=False)

    def spider_closed(self) -> None:
        if self._task is not None and self._task.running:
            self._task.stop()
        self.clear()
        for handler, clear in self._filters:
            handler.removeFilter(clear)
        self._filters = []

    def tick(self) -> None:
        if self.bar:
            self.draw()
        else:
            logger.info("Progress: %s", self.line())

    # --- what is shown -----------------------------------------------------------------------

    def numbers(self) -> dict[str, Any]:
        counts = (self.ledger or Archive.of(self.crawler).seeds).counts()
        done = counts.fetched + counts.failed
        elapsed = max(time.monotonic() - self.started, 1e-6)
        pages = self.crawler.stats.get_value("response_received_count", 0)
        eta = (counts.total - done) * elapsed / done if done else None
        return {"done": done, "total": counts.total, "fetched": counts.fetched,
                "failed": counts.failed, "pages": pages, "rate": pages / elapsed, "eta": eta}

    def line(self) -> str:
        n = self.numbers()
        return (f"{n['done']}/{n['total']} seeds ({n['fetched']} fetched, {n['failed']} "
                f"failed), {n['pages']} pages, {n['rate']:.1f} pages/s, ETA {_eta(n['eta'])}")

    def bar_text(self, columns: int) -> str:
        n = self.numbers()
        filled = BAR_WIDTH * n["done"] // n["total"] if n["total"] else 0
        text = (f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {n['done']}/{n['total']} "
                f"seeds  {n['failed']} failed  {n['pages']} pages  {n['rate']:.1f} pages/s  "
                f"ETA {_eta(n['eta'])}")
        return text[: max(columns - 1, 10)]

    def draw(self) -> None:
        columns = shutil.get_terminal_size((100, 20)).columns
        sys.stderr.write("\r\x1b[K" + self.bar_text(columns))
        sys.stderr.flush()
        self._drawn = True

    def clear(self) -> None:
        if self._drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._drawn = False


class _ClearBar(logging.Filter):
    """On the stderr log handler: a log line first clears the bar (redrawn next tick)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress

    def filter(self, record: logging.LogRecord) -> bool:
        self.progress.clear()
        return True
