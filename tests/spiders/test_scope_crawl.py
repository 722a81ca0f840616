"""Crawl scope in a real crawl: ``-a scope=host -a depth=2`` over a small site that links to
a second host (tests/requisites_site.py ``SCOPE_SITE``)."""

from __future__ import annotations

import json
import subprocess
import zipfile

import pytest

from crawler.demo.site.server import FixtureServer
from crawler.store.outcomes import EXIT_USAGE
from crawler.wacz import validate_wacz
from crawler.warc.capture import warc_fields
from tests.crawling import REPO, crawl_command, crawl_env
from tests.requisites_site import CDN_HOST, scope_pages


def _crawl(archive, seed, *args, settings=None):
    command = crawl_command(archive, urls=[seed], settings=settings)
    for arg in args:
        command += ["-a", arg]
    return subprocess.run(command, cwd=REPO, env=crawl_env(), capture_output=True, text=True,
                          timeout=180, check=False)


@pytest.fixture(scope="module")
def scope_site():
    other = FixtureServer(site={}, host=CDN_HOST).start()
    main = FixtureServer(site={}).start()
    main.site.update(scope_pages(main.base_url, other.base_url))
    other.site.update(scope_pages(other.base_url, other.base_url))
    try:
        yield main, other
    finally:
        main.stop()
        other.stop()


def _pages_fetched(server):
    return {r.path for r in server.requests if r.path != "/robots.txt"}


@pytest.fixture(scope="module")
def host_depth_2(scope_site, tmp_path_factory):
    main, other = scope_site
    main.requests.clear()
    other.requests.clear()
    archive = tmp_path_factory.mktemp("scope") / "archive"
    done = _crawl(archive, main.url("/"), "scope=host", "depth=2")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return archive, done, _pages_fetched(main), _pages_fetched(other)


def test_host_scope_gets_the_pages_within_two_hops(host_depth_2):
    _, done, fetched, elsewhere = host_depth_2
    assert fetched == {"/", "/a.html", "/b.html", "/news/1.html", "/a2.html", "/b2.html",
                       "/news/2.html", "/out", "/feed.xml"}
    # the second host is out of scope, linked or redirected to; three hops away too
    assert elsewhere == set()
    assert "links        8 followed" in done.stderr


def test_followed_pages_get_articles_and_link_hops(host_depth_2, scope_site):
    archive, _, fetched, _ = host_depth_2
    main, _ = scope_site
    import sqlite_utils

    db = sqlite_utils.Database(archive / "archive.db")
    articles = {row["url"] for row in db["articles"].rows}
    assert articles == {main.url(path) for path in fetched - {"/out", "/feed.xml"}}
    hops = {row["url"]: row["hops"] for row in db["captures"].rows}
    assert hops[main.url("/")] == ""
    assert hops[main.url("/a.html")] == "L"
    assert hops[main.url("/a2.html")] == "LL"
    from crawler.warc.reader import iter_records

    metadata = {r.target_uri: warc_fields(r) for path in (archive / "warc").glob("*.warc.gz")
                for r in iter_records(path) if r.rec_type == "metadata"}
    assert metadata[main.url("/a2.html")] == {
        "seed": main.url("/"), "page": main.url("/a2.html"), "via": main.url("/a.html"),
        "hopsFromSeed": "LL"}
    stats = json.loads(db["crawls"].get(1)["stats"])
    assert stats["links/followed"] == 8
    assert stats["links/too_deep"] == 2  # a3 and b3
    assert stats["links/out_of_scope"] == 1  # the other host
    assert stats["links/redirect_out_of_scope"] == 1  # /out
    assert db["errors"].count == 0


def test_replay_keys_followed_pages_by_their_own_url(host_depth_2, tmp_path):
    from crawler.replay import replay

    archive, _, fetched, _ = host_depth_2
    replay([archive / "warc"], tmp_path / "rebuilt.db", workers=0)
    import sqlite_utils

    live = {r["url"]: r["text"] for r in sqlite_utils.Database(archive / "archive.db")[
        "articles"].rows}
    rebuilt = {r["url"]: r["text"] for r in sqlite_utils.Database(tmp_path / "rebuilt.db")[
        "articles"].rows}
    assert rebuilt == live and len(live) == len(fetched - {"/out", "/feed.xml"})


def test_prefix_domain_include_exclude_and_max_pages(scope_site, tmp_path):
    main, other = scope_site
    cases = [
        (("scope=prefix", "depth=-1"), main.url("/news/1.html"), {},
         {"/news/1.html", "/news/2.html"}),  # not /feed.xml: outside /news/
        (("scope=host", "depth=-1", "exclude=/b"), main.url("/"), {},
         {"/", "/a.html", "/news/1.html", "/a2.html", "/news/2.html", "/a3.html",
          "/feed.xml"}),
        (("scope=host", "depth=-1", r"include=/(a\d?\.html)?$"), main.url("/"), {},
         {"/", "/a.html", "/a2.html", "/a3.html"}),
        (("scope=host",), main.url("/"), {"CRAWL_MAX_PAGES": "3"}, None),
    ]
    for number, (args, seed, settings, expected) in enumerate(cases):
        main.requests.clear()
        other.requests.clear()
        done = _crawl(tmp_path / f"a{number}", seed, *args, settings=settings)
        assert done.returncode == 0, done.stderr[-3000:]
        fetched = _pages_fetched(main)
        if expected is None:
            assert len(fetched) == 3 and "/" in fetched, fetched
        else:
            assert fetched == expected, (args, fetched)
        assert _pages_fetched(other) == set()


def test_domain_scope_and_a_wacz_at_the_end_of_the_run(scope_site, tmp_path):
    main, other = scope_site
    main.requests.clear()
    other.requests.clear()
    done = _crawl(tmp_path / "archive", main.url("/"), "scope=domain", "depth=1",
                  settings={"WACZ_ENABLED": "True"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert _pages_fetched(main) == {"/", "/a.html", "/b.html", "/news/1.html"}
    # 127.0.0.2 is another host name altogether, not a subdomain
    assert _pages_fetched(other) == set()
    # WACZ_ENABLED: the run ends with archive.wacz, its pages those of the database
    wacz = tmp_path / "archive" / "archive.wacz"
    valid, message = validate_wacz(wacz)
    assert valid, message
    with zipfile.ZipFile(wacz) as package:
        lines = package.read("pages/pages.jsonl").decode("ascii").splitlines()[1:]
    assert sorted(json.loads(line)["url"] for line in lines) == sorted(
        main.url(path) for path in _pages_fetched(main))
    assert "WACZ: wrote" in done.stderr


def test_bad_scope_options_are_one_line_usage_errors(tmp_path):
    for args, message in [(("scope=site",), "unknown scope 'site'"),
                          (("depth=2",), "scope=page follows none"),
                          (("scope=host", "include=("), "not a valid regular expression")]:
        done = _crawl(tmp_path / "archive", "http://127.0.0.1:9/", *args)
        # 6: a command-line mistake (README "Exit status"; 2 is "the archive is in use")
        assert done.returncode == EXIT_USAGE, done.stderr[-2000:]
        assert message in done.stderr
        assert len([line for line in done.stderr.splitlines() if line.strip()]) == 1
        assert "Traceback" not in done.stderr


def test_default_scope_follows_no_link(scope_site, tmp_path):
    main, _ = scope_site
    main.requests.clear()
    done = _crawl(tmp_path / "archive", main.url("/"))
    assert done.returncode == 0
    assert _pages_fetched(main) == {"/"}
