"""The Redis client and the key names of one shared crawl (a *frontier*).

Every key of a frontier starts with ``seedcrawler:{FRONTIER_NAME}:`` (``FRONTIER_NAME``
defaults to ``WARC_PREFIX``), so several crawls can share one Redis database.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from redis.exceptions import RedisError
from scrapy_redis.connection import get_redis_from_settings

if TYPE_CHECKING:
    from redis import Redis
    from scrapy.settings import BaseSettings


def frontier_name(settings: BaseSettings) -> str:
    return str(settings.get("FRONTIER_NAME") or settings.get("WARC_PREFIX") or "SEEDS")


def worker_id() -> str:
    """This worker's name in the frontier: host and pid, as in its WARC file names."""
    host = re.sub(r"[^A-Za-z0-9.]+", "_", socket.gethostname()) or "host"
    return f"{host}-{os.getpid()}"


class FrontierUnavailable(Exception):
    """The Redis of ``REDIS_URL`` cannot be reached."""


def redacted(url: str) -> str:
    """``url`` without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


def redis_client(settings: BaseSettings) -> Redis:
    """A client for ``REDIS_URL``, with scrapy-redis's connection defaults.

    Responses stay bytes: queued requests are pickled.

    :raises FrontierUnavailable: Redis does not answer
    """
    client = get_redis_from_settings(settings)
    try:
        client.ping()
    except RedisError as exc:
        raise FrontierUnavailable(
            f"cannot reach Redis at {redacted(str(settings.get('REDIS_URL')))} ({exc}); "
            "start redis-server or fix REDIS_URL") from None
    return client


@dataclass(frozen=True)
class FrontierKeys:
    """The Redis keys of one frontier."""

    prefix: str

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> FrontierKeys:
        return cls(f"seedcrawler:{frontier_name(settings)}:")

    @property
    def queue(self) -> str:  # zset: pickled request -> -priority (scrapy-redis PriorityQueue)
        return self.prefix + "requests"

    @property
    def dupefilter(self) -> str:  # set of request fingerprints (scrapy-redis RFPDupeFilter)
        return self.prefix + "dupefilter"

    @property
    def leases(self) -> str:  # zset: lease id -> deadline (ms, Redis clock)
        return self.prefix + "leases"

    @property
    def leased(self) -> str:  # hash: lease id -> pickled request
        return self.prefix + "leased"

    @property
    def lease_scores(self) -> str:  # hash: lease id -> its queue score, to put it back
        return self.prefix + "lease-scores"

    @property
    def lease_seq(self) -> str:  # counter for lease ids
        return self.prefix + "lease-seq"

    @property
    def reclaims(self) -> str:  # hash: sha1 of a request -> times its lease expired
        return self.prefix + "reclaims"

    @property
    def abandoned(self) -> str:  # list of requests whose lease expired too often
        return self.prefix + "abandoned"

    @property
    def workers(self) -> str:  # zset: worker id -> heartbeat deadline (ms)
        return self.prefix + "workers"

    @property
    def captures(self) -> str:  # hash: URL -> JSON of its last full capture (kept across runs)
        return self.prefix + "captures"

    @property
    def finished(self) -> str:  # set while a finished crawl's fingerprints are kept
        return self.prefix + "finished"

    @property
    def warc_dirs(self) -> str:  # set of "host<TAB>folder": where this crawl's workers write
        return self.prefix + "warc-dirs"

    @property
    def robots(self) -> str:  # hash: host -> its robots.txt body, fetched once per crawl
        return self.prefix + "robots"

    def host(self, host: str) -> str:  # the next free request slot of a host (ms)
        return self.prefix + "host:" + host

    @property
    def per_run(self) -> tuple[str, ...]:
        """The keys a finished crawl leaves to no one: cleared when the next one starts."""
        return (self.dupefilter, self.reclaims, self.lease_seq, self.robots, self.warc_dirs)
