"""The archived page in a real browser: the requisite site crawled (default settings), its
servers stopped, `crawler browse` started on the archive, and the page opened through the
viewer (replayweb.page) in Debian's Chromium. Its images must load (natural width > 0), its
stylesheet apply, its script run, all from the archive.

replayweb.page is fetched from the npm registry on first use (``install_viewer``, as
``crawler browse --setup-viewer`` does), then reused from its cache folder. Without npm,
Chromium or chromedriver the test skips with the reason, except under CI, where it fails.
"""

from __future__ import annotations

import os
import re
import time

import pytest

from crawler.browse.viewer import ViewerSetupError, install_viewer
from tests.browse.test_app import copy_archive, http_json, serve_archive
from tests.browse.test_browser import browser  # noqa: F401  (the fixture)

# The replayed page (its URL is the argument): every frame, through the viewer's shadow
# roots and iframes (all same-origin), searched for it.
FIND_PAGE_JS = """
function frames(root) {
  let found = [];
  root.querySelectorAll('*').forEach(el => {
    if (el.shadowRoot) found = found.concat(frames(el.shadowRoot));
    if (el.tagName === 'IFRAME') {
      found.push(el);
      try { if (el.contentDocument) found = found.concat(frames(el.contentDocument)); }
      catch (e) {}
    }
  });
  return found;
}
const page = frames(document).find(f => {
  try { return f.contentWindow.location.href.includes('mp_/' + arguments[0]); }
  catch (e) { return false; }
});
"""
FRAMES_JS = FIND_PAGE_JS + """
if (!page || page.contentDocument.readyState !== 'complete') return null;
const doc = page.contentDocument;
const images = [...doc.images];
if (!images.every(i => i.complete)) return null;
return {
  images: images.map(i => [i.id, i.naturalWidth]),
  h1: getComputedStyle(doc.querySelector('h1')).color,
  bandeau: getComputedStyle(doc.querySelector('.bandeau')).backgroundImage,
  script: doc.getElementById('js-status').textContent,
  cdnScript: page.contentWindow.cdnLibLoaded === true,
  loaded: performance.getEntriesByType ? page.contentWindow.performance
    .getEntriesByType('resource').map(e => [e.name, e.responseStatus || 0]) : [],
};
"""


@pytest.fixture(scope="session")
def viewer_assets():
    try:
        return install_viewer()
    except (ViewerSetupError, OSError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the viewer test may not skip: {exc}")
        pytest.skip(f"replayweb.page could not be fetched: {exc}")


def test_archived_page_renders_with_its_requisites(browser, requisite_crawls,  # noqa: F811
                                                   viewer_assets, tmp_path):
    site = requisite_crawls.site
    assert not site.main._httpd and not site.cdn._httpd  # both servers are stopped
    db = copy_archive(requisite_crawls.archive_dir / "archive.db", tmp_path / "archive.db")
    page_url = site.seeds[0]
    with serve_archive(db, "--warc-dir", str(requisite_crawls.archive_dir / "warc"),
                       "--wacz", str(tmp_path / "viewer.wacz")) as base:
        rows = http_json(f"{base}/archive/captures.json?_shape=objects&url={page_url}")["rows"]
        capture = min(rows, key=lambda row: row["id"])  # the first run's full capture
        browser.get(f"{base}/-/view?capture={capture['id']}")
        result, deadline = None, time.monotonic() + 90
        while result is None and time.monotonic() < deadline:
            time.sleep(0.5)
            result = browser.execute_script(FRAMES_JS, page_url)
        assert result is not None, "the archived page never finished loading in the viewer"
    images = dict(result["images"])
    assert set(images) == {"photo", "srcset", "lazy", "picture", "cdn"}
    assert all(width > 0 for width in images.values()), images
    assert images["cdn"] == 50  # from the second host, replayed
    assert result["h1"] == "rgb(200, 30, 40)"  # main.css applied
    assert "bandeau.png" in result["bandeau"]  # base.css, @imported, applied
    assert result["script"] == "script ran" and result["cdnScript"]
    # Everything came from the archive, through the viewer (the site is down).
    replayed = re.compile(r"/-/replay/w/.*?/\d{14}[a-z]*_/(https?://.*)$")
    loaded = {match.group(1): status for name, status in result["loaded"]
              if (match := replayed.search(name))}
    for path in ("/css/main.css", "/css/base.css", "/js/app.js", "/img/photo.png"):
        assert loaded.get(site.main.url(path)) in (200, 0), (path, loaded)
    assert site.cdn.url("/img/bandeau.png") in loaded
