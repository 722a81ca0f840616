"""A rendered page replays from the archive: the rendering site crawled with default settings
(``render_crawls``), its server stopped, `crawler browse` started on the archive, and the
script-built page opened through the viewer (replayweb.page) in Debian's Chromium. Its
script runs again and its XHR is answered from the WARC: the article's text shows.

Uses the viewer test's helpers (replayweb.page from npm, the selenium browser fixture).
"""

from __future__ import annotations

import time

from tests.browse.test_app import copy_archive, http_json, serve_archive
from tests.browse.test_browser import browser  # noqa: F401  (the fixture)
from tests.browse.test_viewer_browser import (
    FIND_PAGE_JS,
    viewer_assets,  # noqa: F401  (the fixture)
)
from tests.render_site import STORY, STORY_TITLE

PAGE_TEXT_JS = FIND_PAGE_JS + """
if (!page || !page.contentDocument || page.contentDocument.readyState !== 'complete')
  return null;
const article = page.contentDocument.querySelector('article');
return article ? {text: article.innerText, title: page.contentDocument.title} : null;
"""


def test_the_rendered_page_replays_with_its_text(browser, render_crawls,  # noqa: F811
                                                  viewer_assets, tmp_path):  # noqa: F811
    assert not render_crawls.site._httpd  # the site is stopped
    run = render_crawls.auto
    db = copy_archive(run.db_path, tmp_path / "archive.db")
    page_url = render_crawls.url("/app/story.html")
    with serve_archive(db, "--warc-dir", str(run.warc_dir),
                       "--wacz", str(tmp_path / "viewer.wacz")) as base:
        article = http_json(f"{base}/archive/articles.json?_shape=objects&url={page_url}")
        capture = article["rows"][0]["capture_id"]
        browser.get(f"{base}/-/view?capture={capture}")
        result, deadline = None, time.monotonic() + 90
        while result is None and time.monotonic() < deadline:
            time.sleep(0.5)
            result = browser.execute_script(PAGE_TEXT_JS, page_url)
        assert result is not None, "the archived page never showed its article in the viewer"
    assert STORY[0] in result["text"] and STORY[2] in result["text"]
    assert result["title"] == STORY_TITLE
