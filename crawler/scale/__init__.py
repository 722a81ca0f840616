"""Scale-out: many ``scrapy crawl seeds`` workers sharing one crawl through Redis.

Off unless ``REDIS_URL`` is set; then :class:`SharedFrontierAddon` turns on

- the shared frontier (``scheduler.py``): scrapy-redis's scheduler and duplicate filter,
  with every request leased to the worker that popped it until the engine is done with it
  (an expired lease goes back in the queue), seeds enqueued once across workers, and
  idle handling that keeps a worker up while other workers still hold leases;
- shared politeness (``politeness.py``): a per-host request slot reserved in Redis, so N
  workers together keep one host's delay;
- robots.txt fetched once per crawl (``robots.py``), not once per worker;
- shared per-URL state (``state.py``): what incremental runs need (validators, digest,
  record id and date of the last capture), so any worker sends conditional requests and
  writes revisit records for a URL another worker fetched before.

This module imports neither ``redis`` nor ``scrapy_redis``: a crawl without ``REDIS_URL``
loads nothing of them. See README, "Scaling out".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.misc import load_object

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

SCHEDULER = "crawler.scale.scheduler.LeasedScheduler"
DUPEFILTER = "scrapy_redis.dupefilter.RFPDupeFilter"
STATE = "crawler.scale.state.RedisCaptureState"
HOST_HANDLER = "crawler.scale.politeness.SharedHostDelayHandler"
ROBOTS = "crawler.scale.robots.SharedRobotsTxtMiddleware"
SCRAPY_ROBOTS = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"
#: the handlers the shared-delay handler wraps, per scheme (set by the add-on)
INNER_HANDLERS = "FRONTIER_INNER_HANDLERS"


def shared(settings: BaseSettings) -> bool:
    """Whether this crawl is one worker of a shared crawl (``REDIS_URL`` is set)."""
    return bool(settings.get("REDIS_URL"))


def host_delay(settings: BaseSettings) -> float:
    """The crawl-wide minimum interval between two requests to one host, in seconds."""
    value = settings.get("FRONTIER_HOST_DELAY")
    if value in (None, ""):
        return settings.getfloat("DOWNLOAD_DELAY")
    return float(value)


class SharedFrontierAddon:
    """Wires the shared frontier when ``REDIS_URL`` is set; does nothing otherwise."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not shared(settings):
            return
        settings.set("SCHEDULER", SCHEDULER, "addon")
        settings.set("DUPEFILTER_CLASS", DUPEFILTER, "addon")
        if not settings.get("ARCHIVE_STATE"):  # None in crawler/settings.py, at "project"
            settings.set("ARCHIVE_STATE", STATE, max(settings.getpriority("ARCHIVE_STATE") or 0,
                                                     SETTINGS_PRIORITIES["addon"]))
        # robots.txt fetched by one worker, read by all (robots.py), in Scrapy's slot.
        priority = settings.getwithbase("DOWNLOADER_MIDDLEWARES").get(SCRAPY_ROBOTS)
        if priority is not None:
            for path, value in ((SCRAPY_ROBOTS, None), (ROBOTS, priority)):
                settings.set_in_component_priority_dict("DOWNLOADER_MIDDLEWARES",
                                                        load_object(path), value)
        if host_delay(settings) > 0:
            # Wrap whatever handles http(s) now: the shared slot is taken just before the
            # request goes out, after the worker's own slot delays and concurrency.
            handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
            inner = {scheme: handlers[scheme] for scheme in ("http", "https")
                     if handlers.get(scheme) and handlers[scheme] != HOST_HANDLER}
            settings.set(INNER_HANDLERS, inner, "addon")
            own = settings.getdict("DOWNLOAD_HANDLERS")
            own.update(dict.fromkeys(inner, HOST_HANDLER))
            settings.set("DOWNLOAD_HANDLERS", own,
                         max(settings.getpriority("DOWNLOAD_HANDLERS") or 0,
                             SETTINGS_PRIORITIES["addon"]))
