"""The browser: Debian's Chromium (``RENDER_BROWSER``, ``/usr/bin/chromium``) driven through
scrapy-playwright, for the requests :mod:`crawler.fetch.render` sends to it
(``meta["playwright"]``); every other request takes Scrapy's HTTP/1.1 handler, untouched.

- Nothing starts until the first page is rendered: a crawl that renders nothing starts
  neither Playwright's driver nor a browser.
- At most ``RENDER_PAGES`` pages are open at once; a page has ``RENDER_TIMEOUT`` seconds
  to load and ``RENDER_WAIT`` more for its network to go quiet (half a second without a
  request in flight).
- A browser that crashes (or is killed) fails the pages it had open, and the next page
  starts a new one. A page still busy well past its time (a hung renderer or browser) is
  abandoned and the browser killed and restarted. Either way the page is recorded in
  ``errors`` by the spider, and the crawl goes on.
- Requests are not intercepted: the browser sends its own headers (its user agent with the
  crawler's appended), and Playwright reports them as sent. The cache is disabled through
  CDP (``Network.setCacheDisabled``) and service workers are blocked, so each exchange the
  page makes is a real one; :class:`PageSession` keeps them for the WARC.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shlex
import signal
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod

from crawler.fetch.handler import ArchivingDownloadHandler
from crawler.warc.browser import BrowserExchange

if TYPE_CHECKING:
    from playwright.async_api import Page, Request
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Request as ScrapyRequest
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

__all__ = ["BROWSER_FLAGS", "BrowserMissing", "PageSession", "RenderDownloadHandler",
           "RenderTimeout", "browser_args"]

logger = logging.getLogger(__name__)

#: Chromium runs headless as root here (no sandbox), and makes no request of its own
BROWSER_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-domain-reliability", "--disable-breakpad",
    "--disable-client-side-phishing-detection", "--metrics-recording-only",
    "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
)
#: resource types whose requests scripts make (``X`` in hopsFromSeed); the rest are embeds
SCRIPT_REQUESTS = frozenset({"xhr", "fetch", "eventsource", "websocket"})
#: failures that are the page's or the crawler's doing, not the site's
QUIET_FAILURES = ("net::ERR_ABORTED", "net::ERR_BLOCKED_BY_CLIENT")
_IDLE_SECONDS = 0.5
_CONTEXT = "render"


class RenderTimeout(Exception):
    """A page that did not finish rendering in time: abandoned, the browser restarted."""


class BrowserMissing(Exception):
    """``RENDER_BROWSER`` is not an executable file."""


def browser_args(value: Any) -> list[str]:
    """``RENDER_BROWSER_ARGS``: a list, a JSON list, or flags separated by white space."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.strip()
        return [str(v) for v in json.loads(value)] if value.startswith("[") else shlex.split(value)
    return [str(v) for v in value]


def launch_options(settings: BaseSettings, marker: str) -> dict[str, Any]:
    """Playwright's launch options: Chromium from ``RENDER_BROWSER`` with our flags, then
    ``PLAYWRIGHT_LAUNCH_OPTIONS`` (its ``args`` are added to ours)."""
    options: dict[str, Any] = {
        "executable_path": settings.get("RENDER_BROWSER") or "/usr/bin/chromium",
        "headless": True,
        "timeout": 60_000,
    }
    user = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS") or {})
    args = [*BROWSER_FLAGS, *browser_args(settings.get("RENDER_BROWSER_ARGS")),
            *browser_args(user.pop("args", None)), marker]
    options.update(user)
    options["args"] = args
    return options


class PageSession:
    """The network exchanges of one rendered page, as the browser finishes them.

    :param max_size: bodies over this many bytes are not kept (``WARC-Truncated: length``)
    :param block: URL patterns (``*`` wildcards) the browser must not fetch
    """

    def __init__(self, max_size: int = 0, block: list[str] | None = None) -> None:
        self.max_size = max_size
        self.block = block or []
        self.exchanges: list[BrowserExchange] = []
        #: (url, resource type, failure) of requests that got no response
        self.failed: list[tuple[str, str, str]] = []
        #: exchanges answered without the network (a cache, a service worker): not kept
        self.not_from_network = 0
        self.unfinished = 0
        self.dom_taken_at: datetime | None = None
        self._inflight: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._last_activity = time.monotonic()

    async def attach(self, page: Page, request: ScrapyRequest) -> None:
        """scrapy-playwright's page init callback: before the page navigates."""
        # scrapy-playwright routes every request to rewrite its headers; intercepted
        # requests are reported with provisional headers. Without the route the browser
        # sends its own (set per context) and Playwright reports them as sent.
        await page.unroute("**")
        cdp = await page.context.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if self.block:
            await cdp.send("Network.setBlockedURLs", {"urls": self.block})
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_finished)
        page.on("requestfailed", self._on_failed)

    async def settle(self, page: Page, wait: float) -> None:
        """After the load event: wait until no request has been in flight for half a
        second, at most ``wait`` seconds."""
        deadline = time.monotonic() + max(wait, 0)
        while time.monotonic() < deadline:
            if not self._inflight and time.monotonic() - self._last_activity >= _IDLE_SECONDS:
                break
            await asyncio.sleep(0.05)
        self.dom_taken_at = datetime.now(UTC)

    async def drain(self, timeout: float = 10) -> None:
        """Wait for the bodies of the finished requests to be read."""
        self.unfinished = len(self._inflight)
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()

    @property
    def fetched_urls(self) -> list[str]:
        return [exchange.url for exchange in self.exchanges]

    def _on_request(self, request: Request) -> None:
        self._inflight.add(id(request))
        self._last_activity = time.monotonic()

    def _on_failed(self, request: Request) -> None:
        self._done(request)
        self.failed.append((request.url, request.resource_type, request.failure or "failed"))

    def _on_finished(self, request: Request) -> None:
        task = asyncio.ensure_future(self._keep(request))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _done(self, request: Request) -> None:
        self._inflight.discard(id(request))
        self._last_activity = time.monotonic()

    async def _keep(self, request: Request) -> None:
        try:
            exchange = await self._exchange(request)
        except PlaywrightError as exc:
            logger.debug("Could not read %s from the browser: %s", request.url, exc)
            exchange = None
        finally:
            self._done(request)
        if exchange is not None:
            self.exchanges.append(exchange)

    async def _exchange(self, request: Request) -> BrowserExchange | None:
        if not request.url.startswith(("http://", "https://")):
            return None  # data:, blob:: no exchange with anyone
        response = await request.response()
        if response is None:
            return None
        sent = [(h["name"], h["value"]) for h in await request.headers_array()]
        names = {name.lower() for name, _ in sent}
        # A response from the network has the headers the browser really sent (Host, or
        # HTTP/2's :authority); one served from a cache or a service worker has only the
        # provisional ones. Such an exchange never happened: it is not archived.
        if response.from_service_worker or not names & {"host", ":authority"}:
            self.not_from_network += 1
            return None
        body, truncated = b"", None
        received = [(h["name"], h["value"]) for h in await response.headers_array()]
        if request.redirected_to is not None:
            # Browsers keep no body of a redirect: the record's is empty, cut short unless
            # the server sent none.
            length = [v for k, v in received if k.lower() == "content-length"]
            truncated = None if length and length[-1].strip() == "0" else "unspecified"
        else:
            sizes = await request.sizes()
            if self.max_size and sizes.get("responseBodySize", 0) > self.max_size:
                truncated = "length"
            else:
                try:
                    body = await response.body()
                except PlaywrightError:
                    truncated = "unspecified"
        server = None
        with contextlib.suppress(PlaywrightError):
            server = await response.server_addr()
        depth, previous = 0, request.redirected_from
        while previous is not None:
            depth += 1
            previous = previous.redirected_from
        frame_url, main = None, True
        with contextlib.suppress(PlaywrightError):
            frame_url = request.frame.url
            main = request.frame.parent_frame is None
        start = request.timing.get("startTime") or time.time() * 1000
        return BrowserExchange(
            url=request.url, method=request.method, request_headers=sent,
            status=response.status, status_text=response.status_text,
            response_headers=received,
            body=body, started_at=datetime.fromtimestamp(start / 1000, UTC),
            resource_type=request.resource_type, request_body=request.post_data_buffer or b"",
            ip_address=server["ipAddress"] if server else None, truncated=truncated,
            redirected_from=request.redirected_from.url if request.redirected_from else None,
            redirect_depth=depth, frame_url=frame_url, is_main_frame=main,
        )


class RenderDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's download handler, started lazily, with a page pool, a hard time
    limit per page and a browser that is restarted after a crash or a hang."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.crawler = crawler
        # Every request not rendered: the archive's own HTTP/1.1 handler.
        self.plain = ArchivingDownloadHandler(crawler)
        self.pages = max(1, settings.getint("RENDER_PAGES", 2))
        self.page_timeout = settings.getfloat("RENDER_TIMEOUT", 30.0)
        self.wait = settings.getfloat("RENDER_WAIT", 10.0)
        self.max_size = settings.getint("PAGE_REQUISITES_MAX_SIZE", 0)
        self.block = browser_args(settings.get("RENDER_BLOCK"))
        self.user_agent = settings.get("RENDER_USER_AGENT")
        self.crawler_agent = settings.get("USER_AGENT") or ""
        self.accept_language = (settings.getdict("DEFAULT_REQUEST_HEADERS") or {}).get(
            "Accept-Language")
        # Our marker on the browser's command line: the process to kill when it hangs.
        self.marker = f"--seedcrawler-render={uuid.uuid4().hex}"
        self.config.launch_options = launch_options(settings, self.marker)
        self.config.max_pages_per_context = self.pages
        self.config.navigation_timeout_ms = self.page_timeout * 1000
        self.config.target_closed_max_retries = 0  # a crash fails the page: it is recorded
        self.config.restart_disconnected_browser = True
        self.process_request_headers = None
        self.launches = 0
        self._counted: Any = None
        self._started = False
        self._start_lock: asyncio.Lock | None = None
        self._slots: asyncio.Semaphore | None = None

    async def download_request(self, request: ScrapyRequest) -> Response:  # type: ignore[override]
        if request.meta.get("playwright"):
            return await super().download_request(request)
        return await self.plain.download_request(request)

    # Started by the first page, not when the engine starts.
    async def _maybe_launch_in_thread(self) -> None:
        return None

    def _engine_started(self) -> None:  # type: ignore[override]
        return None

    @property
    def hard_timeout(self) -> float:
        """Seconds after which a page still rendering is abandoned."""
        return self.page_timeout + self.wait + 15

    async def _ensure_started(self) -> None:
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if self._started:
                return
            executable = Path(self.config.launch_options["executable_path"])
            if not (executable.is_file() and os.access(executable, os.X_OK)):
                raise BrowserMissing(f"{executable} not found: apt-get install chromium, set "
                                     "RENDER_BROWSER, or crawl with RENDER=never")
            await self._launch()
            self._started = True

    async def _maybe_launch_browser(self) -> None:
        await super()._maybe_launch_browser()
        browser = getattr(self, "browser", None)
        if browser is not None and browser is not self._counted:
            self._counted = browser
            self.launches += 1
            self.stats.inc_value("render/browser_launches")
            if self.launches > 1:
                logger.warning("Browser restarted (launch %d)", self.launches)
            else:
                logger.info("Browser started: Chromium %s", self.browser.version)

    def context_kwargs(self) -> dict[str, Any]:
        """The browser context of rendered pages: its user agent (Chromium's, naming the
        crawler), languages, and no service workers."""
        agent = self.user_agent
        if not agent:
            major = self.browser.version.split(".", 1)[0]
            agent = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                     f"Chrome/{major}.0.0.0 Safari/537.36 {self.crawler_agent}").strip()
        kwargs: dict[str, Any] = {"user_agent": agent, "service_workers": "block",
                                  "viewport": {"width": 1280, "height": 1024}}
        if self.accept_language:
            kwargs["extra_http_headers"] = {"Accept-Language": self.accept_language}
        return kwargs

    async def _download_request(self, request: ScrapyRequest,
                                spider: Spider | None = None) -> Response:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.pages)
        async with self._slots:
            await self._ensure_started()
            await self._maybe_launch_browser()
            session = PageSession(self.max_size, self.block)
            meta = request.meta
            meta["render_session"] = session
            meta.update({
                "playwright_context": _CONTEXT,
                "playwright_context_kwargs": self.context_kwargs(),
                "playwright_include_page": True,
                "playwright_page_init_callback": session.attach,
                "playwright_page_methods": [PageMethod(session.settle, self.wait)],
            })
            self.stats.inc_value("render/pages")
            try:
                return await asyncio.wait_for(super()._download_request(request, spider),
                                              self.hard_timeout)
            except TimeoutError as exc:
                self.stats.inc_value("render/timeouts")
                await self.kill_browser(f"{request.url} still rendering after "
                                        f"{self.hard_timeout:.0f} s")
                raise RenderTimeout(f"still rendering after {self.hard_timeout:.0f} s") from exc
            finally:
                page = meta.pop("playwright_page", None)
                await session.drain()
                if page is not None:
                    await self._close_page(page)

    async def _close_page(self, page: Page) -> None:
        try:
            await asyncio.wait_for(page.close(), 10)
        except TimeoutError:
            await self.kill_browser("a page would not close")
        except PlaywrightError:
            pass  # closed with its browser

    async def kill_browser(self, why: str) -> None:
        """Kill the browser (SIGKILL), so that the next page starts a new one."""
        pids = _pids_with(self.marker)
        logger.error("Killing the browser (%s): pid %s", why, ", ".join(map(str, pids)) or "?")
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while hasattr(self, "browser") and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if hasattr(self, "browser"):  # no disconnection seen: forget it anyway
            self.context_wrappers.clear()
            del self.browser

    async def close(self) -> None:  # type: ignore[override]
        if not self._started:
            # Nothing of the browser's was started: close as Scrapy's own handler, quietly
            # (the run summary stays the last thing a crawl without rendering logs).
            await HTTP11DownloadHandler.close(self)
            await self.plain.close()
            return
        await super().close()
        await self.plain.close()

    async def _close(self) -> None:
        try:
            await asyncio.wait_for(super()._close(), 30)
        except TimeoutError:
            await self.kill_browser("it would not close")


def _pids_with(marker: str) -> list[int]:
    """The processes whose command line holds ``marker`` (the browser, not its helpers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker.encode() in arguments:
            found.append(int(entry.name))
    return found
