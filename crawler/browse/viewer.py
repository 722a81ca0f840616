"""See the archived page: replayweb.page's viewer served beside Datasette by ``crawler
browse`` (README: "Viewing an archived page").

replayweb.page (npm ``replaywebpage``, AGPL-3.0-or-later) replays a WACZ file in the browser:
its ``ui.js`` draws the page, its service worker ``sw.js`` answers the page's requests from
the archive. It is not shipped with seedcrawler: ``crawler browse --setup-viewer`` (or ``make
viewer``) fetches the pinned version from the npm registry (``npm pack``), checks the
tarball against the integrity hash pinned here, and keeps its ``ui.js``, ``sw.js`` and
licence in :func:`viewer_dir`.

Routes (Datasette ``register_routes``), acting for the archive ``crawler browse`` serves:

- ``/-/view?capture=ID`` (or ``?url=...&ts=...``): the archived rendering of a capture;
- ``/-/replay/ui.js``, ``/-/replay/sw.js``: the viewer (the worker's scope is ``/-/replay/``);
- ``/-/replay/archive.wacz``: the archive as one WACZ file (:mod:`crawler.wacz`), with range
  requests, built on first use and rebuilt when a WARC file is newer than it.

Service workers need a secure context: ``http://127.0.0.1`` and ``http://localhost`` are
one, a LAN address over plain HTTP is not.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import markupsafe
from datasette import hookimpl
from datasette.utils.asgi import Response

from crawler.browse.queries import PLUGIN_NAME

__all__ = ["VIEWER_VERSION", "ViewerConfig", "ViewerSetupError", "install_viewer",
           "viewer_dir", "viewer_installed"]

VIEWER_PACKAGE = "replaywebpage"
VIEWER_VERSION = "2.5.3"
#: ``dist.integrity`` of replaywebpage 2.5.3 on the npm registry
VIEWER_INTEGRITY = ("sha512-nCj2PSON3BxeSJKE8AsYPyULv0XPZKJWfy4l9PyQre9SqwLZ+WKZVs/sfLqPOQ4GrH"
                    "+0YkjbwOhr8cSTH08gsQ==")
VIEWER_FILES = ("ui.js", "sw.js", "LICENSE")
REPLAY_PREFIX = "/-/replay/"
_CHUNK = 1024 * 1024


class ViewerSetupError(Exception):
    """The viewer could not be fetched or checked (no npm, no registry, a wrong hash)."""


def viewer_dir() -> Path:
    """Where the viewer's files are kept: ``$SEEDCRAWLER_VIEWER_DIR``, else
    ``$XDG_CACHE_HOME/seedcrawler/replaywebpage-<version>`` (``~/.cache`` by default)."""
    configured = os.environ.get("SEEDCRAWLER_VIEWER_DIR")
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "seedcrawler" / f"{VIEWER_PACKAGE}-{VIEWER_VERSION}"


def viewer_installed(folder: Path | None = None) -> bool:
    folder = folder or viewer_dir()
    return all((folder / name).is_file() for name in VIEWER_FILES)


def install_viewer(folder: Path | None = None, npm: str = "npm") -> Path:
    """Fetch replayweb.page from the npm registry into ``folder`` (default
    :func:`viewer_dir`), unless it is there already.

    :raises ViewerSetupError: npm is missing or failed, or the tarball's hash is not the
        pinned one
    """
    folder = folder or viewer_dir()
    if viewer_installed(folder):
        return folder
    if shutil.which(npm) is None:
        raise ViewerSetupError(f"{npm} not found: install Node.js and npm (apt-get install "
                               "npm) to fetch the viewer")
    spec = f"{VIEWER_PACKAGE}@{VIEWER_VERSION}"
    with tempfile.TemporaryDirectory(prefix="replaywebpage-") as work:
        done = subprocess.run([npm, "pack", spec, "--json", "--pack-destination", work],
                              capture_output=True, text=True, timeout=600, check=False,
                              cwd=work)
        if done.returncode != 0:
            raise ViewerSetupError(f"npm pack {spec} failed: {done.stderr.strip()[-500:]}")
        try:
            tarball = Path(work) / json.loads(done.stdout)[0]["filename"]
        except (ValueError, LookupError, TypeError) as exc:
            raise ViewerSetupError(f"npm pack {spec} said: {done.stdout[-300:]}") from exc
        algorithm, _, expected = VIEWER_INTEGRITY.partition("-")
        digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest())
        if digest.decode("ascii") != expected:
            raise ViewerSetupError(f"{tarball.name} does not match the pinned hash "
                                   f"{VIEWER_INTEGRITY}: not installed")
        partial = Path(tempfile.mkdtemp(prefix=".viewer-", dir=_parent(folder)))
        partial.chmod(0o755)
        with tarfile.open(tarball) as archive:
            for name in VIEWER_FILES:
                member = archive.getmember(f"package/{name}")
                source = archive.extractfile(member)
                if source is None:
                    raise ViewerSetupError(f"{tarball.name} has no {name}")
                with source, open(partial / name, "wb") as out:
                    shutil.copyfileobj(source, out)
        (partial / "VERSION").write_text(f"{spec} {VIEWER_INTEGRITY}\n", encoding="ascii")
        if folder.exists():
            shutil.rmtree(folder)
        partial.rename(folder)
    return folder


def _parent(folder: Path) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder.parent


# --------------------------------------------------------------------------- serving


@dataclass(frozen=True)
class ViewerConfig:
    """What the viewer routes serve: the archive's files and the viewer's."""

    db_path: Path
    warc_dir: Path
    wacz_path: Path
    assets: Path

    def as_plugin_config(self) -> dict[str, str]:
        return {name: str(value) for name, value in self.__dict__.items()}


_builds: dict[str, asyncio.Lock] = {}


def _config(datasette: Any) -> ViewerConfig | None:
    config = (datasette.plugin_config(PLUGIN_NAME) or {}).get("viewer")
    if not config:
        return None
    return ViewerConfig(**{name: Path(value) for name, value in config.items()})


async def fresh_wacz(config: ViewerConfig) -> Path:
    """The archive's WACZ file, (re)built when missing or older than a WARC file.

    :raises crawler.wacz.WaczError: it cannot be built
    """
    from crawler.wacz import write_wacz
    from crawler.warc.index import find_warcs

    lock = _builds.setdefault(str(config.wacz_path), asyncio.Lock())
    async with lock:
        warcs = [w.path for w in find_warcs([config.warc_dir]) if not w.is_open]
        built = config.wacz_path.stat().st_mtime_ns if config.wacz_path.is_file() else -1
        if built < 0 or any(path.stat().st_mtime_ns > built for path in warcs):
            await asyncio.to_thread(write_wacz, config.warc_dir, config.db_path,
                                    config.wacz_path)
    return config.wacz_path


def _capture(config: ViewerConfig, capture_id: str) -> tuple[str, str] | None:
    conn = sqlite3.connect(f"file:{config.db_path}?mode=ro", uri=True)
    try:
        row = conn.execute("select url, warc_date from captures where id = ?",
                           [capture_id]).fetchone()
    finally:
        conn.close()
    return (row[0], row[1]) if row and row[0] and row[1] else None


def timestamp14(warc_date: str) -> str:
    """``2025-06-06T12:00:00.123456Z`` -> ``20250606120000`` (replay timestamps)."""
    return "".join(ch for ch in warc_date if ch.isdigit())[:14]


def _page(title: str, body: str, status: int = 200) -> Response:
    return Response.html(
        "<!doctype html><html><head><meta charset=\"utf-8\">"
        f"<title>{markupsafe.escape(title)}</title></head><body>{body}</body></html>",
        status=status)


async def view_page(datasette: Any, request: Any) -> Response:
    config = _config(datasette)
    if config is None:
        return _page("Not found", "<p>No archive viewer here.</p>", 404)
    if not viewer_installed(config.assets):
        return _page("Viewer not set up", "<h1>The viewer is not set up</h1><p>Run "
                     "<code>crawler browse --setup-viewer</code> (or <code>make viewer</code>) "
                     "once: it fetches replayweb.page from the npm registry.</p>", 503)
    capture = request.args.get("capture")
    if capture:
        found = _capture(config, capture)
        if found is None:
            return _page("No such capture", f"<p>No capture {markupsafe.escape(capture)}.</p>",
                         404)
        url, ts = found[0], timestamp14(found[1])
    else:
        url, ts = request.args.get("url") or "", timestamp14(request.args.get("ts") or "")
        if not url:
            return _page("Which page?", "<p>Give <code>?capture=ID</code> or "
                         "<code>?url=...&amp;ts=...</code>.</p>", 400)
    from crawler.wacz import WaczError

    try:
        wacz = await fresh_wacz(config)
    except (WaczError, OSError) as exc:
        return _page("No WACZ", f"<p>The archive could not be packaged for the viewer: "
                     f"{markupsafe.escape(str(exc))}</p>", 500)
    version = f"{wacz.stat().st_mtime_ns:x}{wacz.stat().st_size:x}"
    source = f"{REPLAY_PREFIX}archive.wacz?v={version}"
    head = markupsafe.Markup(
        '<style>html,body{{margin:0;height:100%;font-family:sans-serif}}'
        '.seedcrawler-bar{{padding:.3em .6em;font-size:.9em;background:#eee;'
        'border-bottom:1px solid #ccc;white-space:nowrap;overflow:hidden;'
        'text-overflow:ellipsis}}replay-web-page{{display:block;height:calc(100% - 2em)}}'
        '</style><script src="{prefix}ui.js"></script>').format(prefix=REPLAY_PREFIX)
    body = markupsafe.Markup(
        '<div class="seedcrawler-bar">Archived {ts} · <a href="{url}" rel="noopener '
        'noreferrer nofollow">{url}</a> (the live page)</div>'
        '<replay-web-page source="{source}" url="{url}" ts="{ts}" replayBase="{prefix}" '
        'embed="replayonly"></replay-web-page>').format(
            ts=ts, url=url, source=source, prefix=REPLAY_PREFIX)
    return Response.html(
        f"<!doctype html><html><head><meta charset=\"utf-8\">"
        f"<title>Archived: {markupsafe.escape(url)}</title>{head}</head>"
        f"<body>{body}</body></html>",
        headers={"Cache-Control": "no-store"})


async def replay_index(datasette: Any) -> Response:
    # What the service worker serves here once it runs (serveIndex); until then, the same.
    return Response.html(f'<!doctype html><html><head><script src="{REPLAY_PREFIX}ui.js">'
                         '</script></head><body><replay-app-main></replay-app-main></body></html>')


async def replay_asset(datasette: Any, request: Any, send: Any) -> None:
    config = _config(datasette)
    name = request.url_vars["name"]
    if config is None or not (config.assets / name).is_file():
        await Response.text("viewer not set up: crawler browse --setup-viewer",
                            status=404).asgi_send(send)
        return
    await _send_file(request, send, config.assets / name, "text/javascript; charset=utf-8")


async def replay_wacz(datasette: Any, request: Any, send: Any) -> None:
    from crawler.wacz import WaczError

    config = _config(datasette)
    if config is None:
        await Response.text("not found", status=404).asgi_send(send)
        return
    try:
        path = await fresh_wacz(config)
    except (WaczError, OSError) as exc:
        await Response.text(f"no WACZ: {exc}", status=500).asgi_send(send)
        return
    await _send_file(request, send, path, "application/wacz")


async def _send_file(request: Any, send: Any, path: Path, content_type: str) -> None:
    """``path`` whole, or the one byte range asked for (``Range: bytes=a-b``)."""
    size = path.stat().st_size
    start, end, status = 0, size - 1, 200
    wanted = request.headers.get("range", "")
    if wanted.startswith("bytes=") and "," not in wanted:
        first, _, last = wanted[6:].strip().partition("-")
        try:
            if first:
                start, end = int(first), min(int(last), size - 1) if last else size - 1
            else:
                start, end = max(size - int(last), 0), size - 1
        except ValueError:
            start, end = 0, size - 1
        else:
            status = 206
        if status == 206 and (start > end or start >= size):
            await send({"type": "http.response.start", "status": 416,
                        "headers": [(b"content-range", f"bytes */{size}".encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
    headers = [(b"content-type", content_type.encode()), (b"accept-ranges", b"bytes"),
               (b"content-length", str(end - start + 1).encode()),
               (b"cache-control", b"no-cache")]
    if status == 206:
        headers.append((b"content-range", f"bytes {start}-{end}/{size}".encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    if request.method == "HEAD":
        await send({"type": "http.response.body", "body": b""})
        return
    with open(path, "rb") as fh:
        fh.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = fh.read(min(_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            await send({"type": "http.response.body", "body": chunk,
                        "more_body": remaining > 0})
    if remaining > 0:  # the file shrank meanwhile: end the response anyway
        await send({"type": "http.response.body", "body": b""})


# --------------------------------------------------------------------------- hooks


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [
        (r"^/-/view$", view_page),
        (r"^/-/replay/(?P<name>ui\.js|sw\.js)$", replay_asset),
        (r"^/-/replay/archive\.wacz$", replay_wacz),
        (r"^/-/replay/(index\.html)?$", replay_index),
    ]


@hookimpl
def extra_template_vars(datasette: Any) -> dict[str, bool]:
    return {"seedcrawler_viewer": _config(datasette) is not None}


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> markupsafe.Markup | None:
    """A capture's URL (captures, captures_of_url) and an article's ``final_url`` link to
    the archived rendering too."""
    if not isinstance(value, str) or _config(datasette) is None:
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    if column == "url" and "warc_record_id" in keys and "id" in keys and table in (
            None, "captures"):
        capture = row["id"]
    elif column == "final_url" and "capture_id" in keys and table == "articles":
        capture = row["capture_id"]
    else:
        return None
    if capture is None:
        return None
    archived = markupsafe.Markup(
        ' <a class="seedcrawler-archived" href="{href}" title="The page as archived">'
        '[archived]</a>').format(
            href=datasette.urls.path(f"/-/view?capture={quote(str(capture))}"))
    if value.startswith(("http://", "https://")):
        return markupsafe.Markup('<a href="{value}" rel="noopener noreferrer nofollow">'
                                 '{value}</a>').format(value=value) + archived
    return markupsafe.escape(value) + archived
