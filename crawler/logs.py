"""Quiet, useful logs (README "Logs"): Scrapy's start-up dump only at DEBUG, one line per
failed seed, and a run summary that no log level hides.

- Scrapy logs, at INFO, the versions of its dependencies, every enabled add-on, extension,
  middleware and pipeline, and the overridden settings: about 70 lines before the first
  request. They are moved to DEBUG (``-L DEBUG`` shows them).
- A seed that cannot be fetched makes Scrapy log "Gave up retrying" (ERROR), and a failed
  robots.txt fetch a Twisted traceback (ERROR), before the spider's own line says which seed
  failed and why: Scrapy's lines are moved to DEBUG too.
- :func:`log_always` hands a record to the log's handlers whatever their level: the run
  summary is printed under ``-L WARNING`` and ``-L ERROR`` (``--nolog`` still silences it).
"""

from __future__ import annotations

import logging
import sys

#: logger -> beginnings of the messages of it that only DEBUG shows
DEBUG_ONLY: dict[str, tuple[str, ...]] = {
    "scrapy.utils.log": ("Versions:",),
    "scrapy.addons": ("Enabled addons:",),
    "scrapy.middleware": ("Enabled %(componentname)ss:",),
    "scrapy.crawler": ("Overridden settings:",),
    "scrapy.downloadermiddlewares.retry": ("Gave up retrying",),
    "scrapy.downloadermiddlewares.robotstxt": ("Error downloading",),
}


class _DemoteToDebug(logging.Filter):
    """A logger filter: records whose message starts with one of ``prefixes`` become DEBUG
    records (the handlers' level then decides, as for any DEBUG record)."""

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        if (record.levelno > logging.DEBUG and isinstance(record.msg, str)
                and record.msg.startswith(self.prefixes)):
            record.levelno = logging.DEBUG
            record.levelname = logging.getLevelName(logging.DEBUG)
        return True


def quiet_scrapy_logs() -> None:
    """Move Scrapy's start-up dump and its duplicate failure lines to DEBUG (idempotent)."""
    for name, prefixes in DEBUG_ONLY.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DemoteToDebug) for f in logger.filters):
            logger.addFilter(_DemoteToDebug(prefixes))


def log_always(logger: logging.Logger, msg: str, *args: object) -> None:
    """Log ``msg`` at INFO through every handler the logger would use, whatever their level
    (``-L WARNING`` does not hide it). With no handler at all, it goes to stderr."""
    record = logger.makeRecord(logger.name, logging.INFO, "(seedcrawler)", 0, msg, args, None)
    handlers: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        handlers.extend(current.handlers)
        current = current.parent if current.propagate else None
    if not handlers:
        handlers = [logging.lastResort or logging.StreamHandler(sys.stderr)]
    for handler in handlers:
        handler.handle(record)
