"""The archived-page viewer of `crawler browse` (crawler.browse.viewer), in-process: the
page that embeds replayweb.page, the WACZ it replays (with range requests), the links from
Datasette's pages, and the set-up step. The browser itself is in test_viewer_browser.py."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import stat
import tarfile
from pathlib import Path

import pytest

from crawler.browse.app import fetch, open_archive
from crawler.browse.viewer import (
    VIEWER_FILES,
    ViewerConfig,
    ViewerSetupError,
    install_viewer,
    timestamp14,
    viewer_installed,
)
from tests.browse.test_app import copy_archive


@pytest.fixture(scope="module")
def assets(tmp_path_factory) -> Path:
    """Stand-ins for ui.js, sw.js and the licence (the real ones come from npm)."""
    folder = tmp_path_factory.mktemp("viewer")
    for name in VIEWER_FILES:
        (folder / name).write_text(f"/* {name} */\n", encoding="ascii")
    return folder


@pytest.fixture(scope="module")
def served(requisite_crawls, assets, tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    db = copy_archive(requisite_crawls.archive_dir / "archive.db", folder / "archive.db")
    shutil.copytree(requisite_crawls.archive_dir / "warc", folder / "warc")
    config = ViewerConfig(db_path=db, warc_dir=folder / "warc",
                          wacz_path=folder / "archive.wacz", assets=assets)
    return open_archive(db, viewer=config), config


def ask(ds, path, **headers):
    async def run():
        await ds.invoke_startup()
        return await ds.client.get(path, headers=headers)

    return asyncio.run(run())


def test_view_page_embeds_the_capture(served, requisite_crawls):
    ds, config = served
    page = requisite_crawls.site.seeds[0]
    rows = json.loads(ask(ds, "/archive/captures.json?_shape=objects&url=" + page).text)["rows"]
    capture = rows[0]
    response = ask(ds, f"/-/view?capture={capture['id']}")
    assert response.status_code == 200, response.text
    html = response.text
    assert '<script src="/-/replay/ui.js"></script>' in html
    assert f'url="{page}"' in html
    assert f'ts="{timestamp14(capture["warc_date"])}"' in html
    assert 'replayBase="/-/replay/"' in html and 'source="/-/replay/archive.wacz?v=' in html
    # the WACZ was built on the way
    assert config.wacz_path.is_file()
    assert ask(ds, "/-/view?capture=999999").status_code == 404
    assert ask(ds, "/-/view").status_code == 400


def test_wacz_is_served_with_range_requests(served):
    ds, config = served
    ask(ds, "/-/view?capture=1")
    data = config.wacz_path.read_bytes()
    whole = ask(ds, "/-/replay/archive.wacz")
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["accept-ranges"] == "bytes"
    part = ask(ds, "/-/replay/archive.wacz", range="bytes=10-99")
    assert part.status_code == 206 and part.content == data[10:100]
    assert part.headers["content-range"] == f"bytes 10-99/{len(data)}"
    tail = ask(ds, "/-/replay/archive.wacz", range="bytes=-22")
    assert tail.status_code == 206 and tail.content == data[-22:]  # the zip's end record
    assert ask(ds, "/-/replay/archive.wacz",
               range=f"bytes={len(data) + 5}-").status_code == 416


def test_wacz_is_rebuilt_when_a_warc_file_is_newer(served):
    ds, config = served
    ask(ds, "/-/view?capture=1")
    built = config.wacz_path.stat().st_mtime_ns
    warc = sorted(config.warc_dir.glob("*.warc.gz"))[-1]
    os.utime(warc, ns=(built + 1000, built + 1000))
    ask(ds, "/-/view?capture=1")
    rebuilt = config.wacz_path.stat().st_mtime_ns
    assert rebuilt > built
    ask(ds, "/-/view?capture=1")  # fresh: left as it is
    assert config.wacz_path.stat().st_mtime_ns == rebuilt


def test_viewer_files_and_index(served):
    ds, _ = served
    sw = ask(ds, "/-/replay/sw.js?serveIndex=1")
    assert sw.status_code == 200 and sw.text == "/* sw.js */\n"
    assert sw.headers["content-type"].startswith("text/javascript")
    index = ask(ds, "/-/replay/?source=x")
    assert index.status_code == 200 and "<replay-app-main>" in index.text
    assert ask(ds, "/-/replay/other.js").status_code == 404


def test_datasette_pages_link_to_the_archived_rendering(served, requisite_crawls):
    ds, _ = served
    captures = ask(ds, "/archive/captures").text
    assert 'class="seedcrawler-archived" href="/-/view?capture=1"' in captures
    by_url = ask(ds, "/archive/captures_of_url?url=" + requisite_crawls.site.seeds[0]).text
    assert "seedcrawler-archived" in by_url
    articles = ask(ds, "/archive/articles").text
    assert articles.count("seedcrawler-archived") == len(requisite_crawls.site.seeds)
    from datasette.utils import tilde_encode

    row = ask(ds, "/archive/articles/" + tilde_encode(requisite_crawls.site.seeds[0])).text
    assert 'class="article-archived" href="/-/view?capture=' in row


def test_without_the_viewer_nothing_links_to_it(requisite_crawls, tmp_path):
    db = copy_archive(requisite_crawls.archive_dir / "archive.db", tmp_path / "archive.db")
    ds = open_archive(db)
    status, body = asyncio.run(fetch(ds, "/archive/captures"))
    assert status == 200 and "seedcrawler-archived" not in body
    status, _ = asyncio.run(fetch(ds, "/-/view?capture=1"))
    assert status == 404


def test_viewer_not_set_up_says_how(requisite_crawls, tmp_path):
    db = copy_archive(requisite_crawls.archive_dir / "archive.db", tmp_path / "archive.db")
    config = ViewerConfig(db_path=db, warc_dir=requisite_crawls.archive_dir / "warc",
                          wacz_path=tmp_path / "a.wacz", assets=tmp_path / "missing")
    status, body = asyncio.run(fetch(open_archive(db, viewer=config), "/-/view?capture=1"))
    assert status == 503 and "crawler browse --setup-viewer" in body


def _fake_npm(tmp_path: Path, tarball_files: dict[str, bytes]) -> str:
    """An ``npm`` that packs a tarball of ``tarball_files`` instead of asking the registry."""
    source = tmp_path / "pkg"
    (source / "package").mkdir(parents=True)
    for name, body in tarball_files.items():
        (source / "package" / name).write_bytes(body)
    tarball = tmp_path / "replaywebpage-2.5.3.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(source / "package", arcname="package")
    script = tmp_path / "npm"
    script.write_text(
        "#!/bin/sh\n"
        "dest=$(echo \"$@\" | sed 's/.*--pack-destination \\([^ ]*\\).*/\\1/')\n"
        f"cp {tarball} \"$dest/\"\n"
        "echo '[{\"filename\": \"replaywebpage-2.5.3.tgz\"}]'\n", encoding="ascii")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_setup_refuses_a_tarball_that_is_not_the_pinned_one(tmp_path):
    npm = _fake_npm(tmp_path, {name: b"tampered" for name in VIEWER_FILES})
    with pytest.raises(ViewerSetupError, match="does not match the pinned hash"):
        install_viewer(tmp_path / "viewer", npm=npm)
    assert not viewer_installed(tmp_path / "viewer")
    with pytest.raises(ViewerSetupError, match="not found"):
        install_viewer(tmp_path / "viewer", npm=str(tmp_path / "no-npm-here"))
