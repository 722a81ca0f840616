"""The crawl-time side of the Weibo adapter: walls, retries, visitor cookies, rate limits.

README: "Weibo". One :class:`WeiboSession` per crawler holds the run's state; the ``seeds``
spider hands it every Weibo API response (``parse_weibo``) and failure (``weibo_error``).

- A wall (visitor system, ``ok: -100``, no ``data``, bad JSON, 403, 432) is retried with
  exponential backoff (tenacity's waits, slept with ``asyncio.sleep``: the reactor never
  blocks), up to ``WEIBO_RETRY_TIMES``; then it is recorded as ``blocked`` with its reason,
  never stored as an article, and the run goes on.
- The visitor-cookie flow (``WEIBO_PASSPORT_BASE``) runs at most once per run, on the first
  wall that cookies can cure; every walled post waiting for it is retried once with them.
- HTTP 418 means "rate limited" (for minutes or hours, for the whole address): every Weibo
  request pauses for the backoff (:class:`WeiboGateMiddleware` holds them), then goes on.
  After more than ``WEIBO_RETRY_TIMES`` 418 answers in a row, Weibo is given up for the rest
  of the run: the gate drops every later Weibo request before it is sent, and each such post
  is recorded as ``blocked`` / ``rate_limited``, for the next run to try again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from weakref import WeakKeyDictionary

from scrapy import FormRequest, Request
from scrapy.exceptions import IgnoreRequest
from tenacity import RetryCallState, wait_exponential, wait_random

from crawler.adapters import canonical_url
from crawler.adapters.weibo import (
    WALL_STATUSES,
    WeiboUnavailable,
    api_data,
    api_request,
    with_long_text,
)
from crawler.extract.articles import build_article
from crawler.store.archive import Archive
from crawler.warc.records import reason_phrase

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.spiders import Spider
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

#: walls that visitor cookies may cure
VISITOR_REASONS = frozenset({"visitor_system", "login_required", "forbidden"})
# Meta keys of one download that must not leak into its retry.
_TRANSIENT_META = ("capture_id", "fetched_at", "download_latency")
_CALLBACK_JSON_RE = re.compile(r"\((\{.*\})\)", re.DOTALL)
# What the visitor page's own script sends as its browser fingerprint.
_FINGERPRINT = json.dumps(
    {"os": "1", "browser": "Chrome120,0,0,0", "fonts": "undefined",
     "screenInfo": "390*844*24", "plugins": ""},
    separators=(",", ":"),
)

_sessions: WeakKeyDictionary[Crawler, WeiboSession] = WeakKeyDictionary()


class WeiboSession:
    """One crawl's Weibo state: the 418 switch, the visitor-cookie attempt, the backoff."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.retry_times = settings.getint("WEIBO_RETRY_TIMES", 3)
        base = settings.getfloat("WEIBO_BACKOFF_BASE", 5.0)
        most = settings.getfloat("WEIBO_BACKOFF_MAX", 300.0)
        # Exponential with some jitter, so posts walled together do not retry together.
        self._wait = wait_exponential(multiplier=base, max=most) + wait_random(
            0, min(base, most) / 2
        )
        self.passport_base = (
            settings.get("WEIBO_PASSPORT_BASE") or "https://passport.weibo.com"
        ).rstrip("/")
        self.visitor_enabled = settings.getbool("WEIBO_VISITOR_ENABLED", True)
        self.long_text = settings.getbool("WEIBO_LONG_TEXT", True)
        self.obey_robots = settings.getbool("WEIBO_OBEY_ROBOTSTXT", False)
        #: Weibo given up for the rest of the run (too many HTTP 418 in a row)
        self.rate_limited = False
        self._teapots = 0  # HTTP 418 answers in a row
        self._resume_at = 0.0  # time.monotonic() before which Weibo requests wait
        self._visitor: asyncio.Future[dict[str, str] | None] | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> WeiboSession:
        if crawler not in _sessions:
            _sessions[crawler] = cls(crawler)
        return _sessions[crawler]

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    @property
    def archive(self) -> Archive:
        return Archive.of(self.crawler)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1, 2, ...)."""
        state = RetryCallState(None, None, (), {})  # type: ignore[arg-type]
        state.attempt_number = attempt
        return self._wait(state)

    def note_answer(self, url: str, status: int) -> None:
        """Count HTTP 418 answers in a row: pause Weibo after one, give up after too many."""
        if status != 418:
            self._teapots = 0
            return
        self._teapots += 1
        self.stats.inc_value("weibo/http_418")
        if self._teapots > self.retry_times:
            if not self.rate_limited:
                self.rate_limited = True
                self.stats.set_value("weibo/rate_limited", True)
                logger.warning("Weibo answered HTTP 418 (rate limited) %d times in a row, "
                               "last for %s: no more Weibo requests in this run",
                               self._teapots, url)
            return
        delay = self.backoff(self._teapots)
        self._resume_at = max(self._resume_at, time.monotonic() + delay)
        logger.warning("Weibo answered HTTP 418 (rate limited) for %s: pausing Weibo "
                       "requests for %.1f s", url, delay)

    def pause_left(self) -> float:
        """Seconds Weibo requests must still wait after an HTTP 418 (0: none)."""
        return max(0.0, self._resume_at - time.monotonic())

    # --- responses -------------------------------------------------------------------------

    async def handle(self, spider: Spider, response: Response) -> AsyncIterator[Any]:
        """Turn one API response into an article, a follow-up request, or a recorded wall."""
        request = response.request
        assert request is not None
        meta = request.meta.get("weibo") or {}
        seed_url = request.meta.get("seed_url", request.url)
        status = response.status
        content_type = _header(response, b"Content-Type")
        if status == 304:
            # Answer to crawler.fetch.conditional's conditional request: the post is unchanged.
            self.archive.article_not_modified(canonical_url(seed_url))
            return
        if status >= 400 and status not in WALL_STATUSES:
            # An ordinary failure (Scrapy's RetryMiddleware already retried 5xx).
            self._record(_failed_url(request), "fetch", f"HTTP {status}",
                         f"{reason_phrase(status)} {request.url}".strip())
            for item in self._fallback(meta, seed_url):
                yield item
            return
        try:
            api_data(response.body, content_type, status, _header(response, b"Location"))
        except WeiboUnavailable as wall:
            async for output in self._on_wall(request, wall, seed_url):
                yield output
            return
        if meta.get("endpoint") == "extend":
            # The row of the /statuses/show answer, its text replaced by the whole text.
            try:
                article = await spider.pool.run(with_long_text, meta["article"], response.body)
            except WeiboUnavailable as wall:  # an answer without longTextContent
                self._record(request.url, "blocked", wall.reason, wall.detail)
                for item in self._fallback(meta, seed_url):
                    yield item
                return
            article["extra"]["long_text_capture_id"] = request.meta.get("capture_id")
            self.stats.inc_value("weibo/long_text")
            self.stats.inc_value("weibo/articles")
            yield article
            return
        # crawler.extract.articles: the code offline replay runs on the same capture.
        try:
            article = await spider.pool.run(
                build_article, response.body, response.url, content_type, seed_url,
                request.meta.get("capture_id"), request.meta.get("fetched_at"),
            )
        except Exception as exc:
            logger.error("Extraction failed for %s: %s", response.url, exc)
            self._record(seed_url, "extract", type(exc).__name__, str(exc))
            return
        if article is None:  # not expected from a valid answer; counted like any page
            self.stats.inc_value("articles/none")
            return
        extra = article.get("extra") or {}
        if extra.get("is_long_text") and self.long_text and extra.get("mid"):
            follow = api_request(extra["mid"], "extend", seed_url, spider.settings,
                                 article=article)
            yield follow.replace(callback=request.callback, errback=request.errback)
            return
        self.stats.inc_value("weibo/articles")
        yield article

    async def _on_wall(self, request: Request, wall: WeiboUnavailable,
                       seed_url: str) -> AsyncIterator[Any]:
        meta = request.meta.get("weibo") or {}
        self.stats.inc_value(f"weibo/walls/{wall.reason}")
        logger.info("Weibo wall for %s (%s): %s %s", seed_url, meta.get("endpoint"),
                    wall.reason, wall.detail)
        if wall.kind == "deleted":
            self._record(_failed_url(request), "deleted", wall.reason, wall.detail)
            self.stats.inc_value(f"weibo/deleted/{wall.reason}")
            for item in self._fallback(meta, seed_url):
                yield item
            return
        if (wall.reason in VISITOR_REASONS and self.visitor_enabled
              and not meta.get("after_visitor") and not self.rate_limited):
            cookies = await self.visitor_cookies(seed_url)
            if cookies is not None and not self.rate_limited:
                self.stats.inc_value("weibo/retries/visitor")
                yield self._retry(request, cookies=cookies, after_visitor=True)
                return
        attempt = meta.get("attempt", 0)
        if attempt < self.retry_times and not self.rate_limited:
            delay = self.backoff(attempt + 1)
            self.stats.inc_value("weibo/retries")
            logger.info("Retrying %s in %.1f s (retry %d of %d)", request.url, delay,
                        attempt + 1, self.retry_times)
            await asyncio.sleep(delay)
            yield self._retry(request, attempt=attempt + 1)
            return
        tries = attempt + 1 + bool(meta.get("after_visitor"))
        self._blocked(_failed_url(request), wall,
                      f"{wall.detail} ({request.url}, {tries} tries)")
        for item in self._fallback(meta, seed_url):
            yield item

    def handle_failure(self, failure: Failure) -> list[Any]:
        """Errback of Weibo requests: network errors, and requests the 418 switch dropped."""
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta.get("weibo") or {}
        seed_url = request.meta.get("seed_url", request.url)
        if failure.check(IgnoreRequest) and self.rate_limited:
            wall = WeiboUnavailable("rate_limited")
            self._blocked(_failed_url(request), wall,
                          f"not fetched: HTTP 418 earlier in this run ({request.url})")
        else:
            self._record(_failed_url(request), "fetch", type(failure.value).__name__,
                         f"{failure.value} ({request.url})")
        return self._fallback(meta, seed_url)

    # --- visitor cookies -------------------------------------------------------------------

    async def visitor_cookies(self, seed_url: str) -> dict[str, str] | None:
        """``SUB``/``SUBP`` from the visitor system; the flow runs at most once per run."""
        if self._visitor is None:
            self._visitor = asyncio.ensure_future(self._visitor_flow(seed_url))
        return await asyncio.shield(self._visitor)

    async def _visitor_flow(self, seed_url: str) -> dict[str, str] | None:
        self.stats.inc_value("weibo/visitor/attempts")
        engine = self.crawler.engine
        assert engine is not None
        base = self.passport_base
        meta = {"seed_url": seed_url, "weibo": {"endpoint": "visitor"},
                "dont_obey_robotstxt": not self.obey_robots, "handle_httpstatus_all": True,
                "dont_retry": True,  # best effort, once: a wall just stays a wall
                "download_timeout": min(30, self.crawler.settings.getint("DOWNLOAD_TIMEOUT"))}
        referer = f"{base}/visitor/visitor?entry=miniblog&a=enter"
        headers = {"Referer": referer}
        if self.crawler.settings.get("WEIBO_USER_AGENT"):
            headers["User-Agent"] = self.crawler.settings["WEIBO_USER_AGENT"]
        try:
            gen = await engine.download_async(FormRequest(
                f"{base}/visitor/genvisitor", formdata={"cb": "gen_callback", "fp": _FINGERPRINT},
                headers=headers, meta=dict(meta), dont_filter=True))
            data = _callback_data(gen)
            tid = data.get("tid")
            if not tid:
                raise ValueError(f"genvisitor answered HTTP {gen.status} without a tid")
            query = urlencode({
                "a": "incarnate", "t": tid, "w": "3" if data.get("new_tid") else "2",
                "c": f"{int(data.get('confidence') or 100):03d}", "gc": "",
                "cb": "cross_domain", "from": "weibo", "_rand": f"{random.random():.16f}",
            })
            incarnate = await engine.download_async(Request(
                f"{base}/visitor/visitor?{query}", headers=headers, meta=dict(meta),
                dont_filter=True))
            data = _callback_data(incarnate)
            cookies = {"SUB": data.get("sub"), "SUBP": data.get("subp")}
            for name, value in _set_cookies(incarnate).items():
                cookies[name] = cookies.get(name) or value
            if not cookies.get("SUB"):
                raise ValueError(f"incarnate answered HTTP {incarnate.status} without SUB")
        except Exception as exc:
            self.stats.inc_value("weibo/visitor/failed")
            logger.warning("Weibo visitor-cookie flow failed (%s: %s); not trying it again "
                           "in this run", type(exc).__name__, exc)
            return None
        self.stats.inc_value("weibo/visitor/ok")
        logger.info("Got Weibo visitor cookies from %s", base)
        return {name: value for name, value in cookies.items() if value}

    # --- helpers ---------------------------------------------------------------------------

    def _retry(self, request: Request, cookies: dict[str, str] | None = None,
               **changes: Any) -> Request:
        meta = {k: v for k, v in request.meta.items() if k not in _TRANSIENT_META}
        meta["weibo"] = {**meta.get("weibo", {}), **changes}
        if cookies:
            return request.replace(meta=meta, dont_filter=True, cookies=cookies)
        return request.replace(meta=meta, dont_filter=True)

    def _fallback(self, meta: dict[str, Any], seed_url: str) -> list[dict[str, Any]]:
        # The long text could not be had: keep the post with the text /statuses/show gave.
        if meta.get("endpoint") != "extend":
            return []
        self.stats.inc_value("weibo/long_text_missing")
        self.stats.inc_value("weibo/articles")
        logger.warning("Storing %s with its truncated text: the long text was not had",
                       seed_url)
        return [meta["article"]]

    def _blocked(self, seed_url: str, wall: WeiboUnavailable, detail: str) -> None:
        self.stats.inc_value(f"weibo/blocked/{wall.reason}")
        logger.warning("Weibo post %s blocked: %s (%s)", seed_url, wall.reason, detail)
        self._record(seed_url, "blocked", wall.reason, detail)

    def _record(self, url: str, stage: str, error: str, detail: str) -> None:
        self.archive.record_error(url, stage, error, detail)


class WeiboGateMiddleware:
    """Downloader middleware: Weibo requests wait out a 418 pause, and are dropped once
    Weibo is given up for the run."""

    def __init__(self, session: WeiboSession) -> None:
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WeiboGateMiddleware:
        return cls(WeiboSession.of(crawler))

    async def process_request(self, request: Request) -> None:
        if "weibo" not in request.meta:
            return
        while (wait := self.session.pause_left()) > 0 and not self.session.rate_limited:
            await asyncio.sleep(wait)
        if self.session.rate_limited:
            self.session.stats.inc_value("weibo/skipped_rate_limited")
            raise IgnoreRequest("Weibo rate limit (HTTP 418) earlier in this run")

    def process_response(self, request: Request, response: Response) -> Response:
        # Counted here, as each answer arrives, rather than in the callback: requests the
        # engine takes from the scheduler meanwhile already wait.
        if "weibo" in request.meta:
            self.session.note_answer(request.url, response.status)
        return response


def _failed_url(request: Request) -> str:
    # What a failure is recorded under: the seed, for a post that is not stored; the API URL
    # for a long text that is missing (the post is stored, with its truncated text).
    if (request.meta.get("weibo") or {}).get("endpoint") == "extend":
        return request.url
    return request.meta.get("seed_url", request.url)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value is not None else None


def _callback_data(response: Response) -> dict[str, Any]:
    # window.gen_callback && gen_callback({"retcode":20000000,"msg":"succ","data":{...}});
    match = _CALLBACK_JSON_RE.search(response.text)
    if not match:
        raise ValueError(f"HTTP {response.status}: no JSONP answer from {response.url}")
    answer = json.loads(match.group(1))
    data = answer.get("data")
    return data if isinstance(data, dict) else {}


def _set_cookies(response: Response) -> dict[str, str]:
    cookies = {}
    for header in response.headers.getlist(b"Set-Cookie"):
        name, _, rest = header.decode("latin-1").partition("=")
        if name.strip() in ("SUB", "SUBP"):
            cookies[name.strip()] = rest.split(";", 1)[0].strip()
    return cookies
