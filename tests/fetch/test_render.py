"""Selective rendering (crawler.fetch.render), the browser's settings (crawler.fetch.browser)
and the records of a browser's exchanges (crawler.warc.browser), without a browser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.settings import Settings
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import BufferWARCWriter

from crawler.fetch.browser import BROWSER_FLAGS, browser_args, launch_options
from crawler.fetch.render import (
    InvalidRenderSetting,
    RenderPolicy,
    looks_like_shell,
    parse_domains,
)
from crawler.frontier.seeds import SeedList, read_seed_lines
from crawler.warc.browser import (
    BrowserExchange,
    conversion_record,
    exchange_records,
    recorded_headers,
    sent_headers,
)
from crawler.warc.capture import capture_row
from crawler.warc.reader import StoredRecord
from crawler.warc.writer import record_builder
from tests.render_site import render_pages

ARTICLE = "<p>" + "Le conseil municipal a voté le budget des écoles mardi soir. " * 12 + "</p>"


@pytest.mark.parametrize("html, reason", [
    ('<div id="app"></div><script src="/main.js"></script>', "empty mount point #app"),
    ('<div id="root">Loading…</div><script src="/main.js"></script>', "empty mount point #root"),
    ('<div id="story-7"></div><script>document.getElementById("story-7").innerHTML = 1'
     "</script>", "empty mount point #story-7"),
    ('<div data-reactroot></div><script src="/b.js"></script>', "empty mount point div"),
    ("<noscript>You need to enable JavaScript to run this app.</noscript>"
     '<script src="/b.js"></script>', "noscript asks for JavaScript"),
    ("<p>x</p><script>fetch('/api').then(r => r.text())</script>",
     "inline scripts fetch or write the page"),
    ('<script src="/bundle.js"></script>', "no text, external scripts"),
])
def test_script_built_shells_are_recognised(html, reason):
    shell = looks_like_shell(f"<html><body>{html}</body></html>".encode())
    assert shell and shell.reason.startswith(reason.split(" #")[0]), shell


@pytest.mark.parametrize("html, reason", [
    (f"<article>{ARTICLE}</article><script>ga('send')</script>", "characters of text"),
    ('<h1>Index</h1><ul><li><a href="/a">A</a></li></ul>', "no scripts"),
    ("<nav>Accueil Contact</nav><p>Une page courte, rien à remplir ici.</p>"
     "<script>window.x = 1</script>", "no element for scripts to fill"),
    ('<div id="app"><p>' + "Du texte déjà rendu par le serveur. " * 3 + "</p></div>"
     '<script src="/hydrate.js"></script>', "no element for scripts to fill"),
])
def test_ordinary_pages_are_not_shells(html, reason):
    shell = looks_like_shell(f"<html><body>{html}</body></html>".encode())
    assert not shell and reason in shell.reason, shell


def test_an_article_after_an_early_end_of_document_is_no_shell():
    # the server sent the article, after a header partial that closed the document
    page = (f'<html><body><div id="app"></div><script src="/menu.js"></script></body></html>'
            f"<article>{ARTICLE}</article>")
    shell = looks_like_shell(page.encode())
    assert not shell and "characters of text" in shell.reason, shell


def test_the_test_sites_pages_are_what_they_say():
    pages = render_pages()
    for path in ("/app/story.html", "/app/inline.html", "/app/slow.html", "/app/hang.html"):
        assert looks_like_shell(pages[path].body), path
    for path in ("/news/plain.html", "/news/index.html"):
        assert not looks_like_shell(pages[path].body), path


def test_modes_per_domain_and_per_seed():
    policy = RenderPolicy.from_settings(Settings({
        "RENDER": "never",
        "RENDER_DOMAINS": "example.com=auto, app.example.com=always",
    }))
    assert policy.mode_for("https://other.org/x") == "never"
    assert policy.mode_for("https://news.example.com/x") == "auto"
    assert policy.mode_for("https://example.com/x") == "auto"
    assert policy.mode_for("https://app.example.com/x") == "always"
    assert policy.mode_for("https://deep.app.example.com/x") == "always"
    assert policy.mode_for("https://notexample.com/x") == "never"
    assert policy.mode_for("https://app.example.com/x", seed_mode="never") == "never"
    # -a render= is the run's RENDER
    assert RenderPolicy.from_settings(Settings({"RENDER": "never"}), "always").mode == "always"
    # WARC_REPLAY answers from the archive: nothing is rendered
    replaying = RenderPolicy.from_settings(Settings({"RENDER": "always", "WARC_REPLAY": "x"}))
    assert replaying.mode_for("https://a.example/") == "never"


@pytest.mark.parametrize("value", [
    {"a.example": "always", "B.example": "NEVER"},
    ["a.example=always", "b.example=never"],
    "a.example=always,b.example=never",
    "a.example=always b.example=never",
    '{"a.example": "always", "b.example": "never"}',
])
def test_render_domains_are_read_in_any_form(value):
    assert parse_domains(value) == {"a.example": "always", "b.example": "never"}


@pytest.mark.parametrize("settings, message", [
    ({"RENDER": "sometimes"}, "RENDER='sometimes'"),
    ({"RENDER_DOMAINS": "a.example=maybe"}, "RENDER_DOMAINS[a.example]='maybe'"),
    ({"RENDER_DOMAINS": "a.example"}, "write host=mode"),
    ({"RENDER_SHELL_MAX_TEXT": "lots"}, "RENDER_SHELL_MAX_TEXT"),
])
def test_bad_render_settings_are_refused(settings, message):
    with pytest.raises(InvalidRenderSetting, match=message.replace("[", r"\[")):
        RenderPolicy.from_settings(Settings(settings))


def test_seed_file_options():
    seeds = read_seed_lines([
        "https://app.example/post/1 render=always",
        "https://news.example/a   RENDER=never   # a comment",
        "https://news.example/b",
        "https://x.example/ render=sometimes",
        "https://x.example/ colour=blue",
    ], "seeds.txt", SeedList())
    assert [(s.url, s.meta) for s in seeds.seeds] == [
        ("https://app.example/post/1", {"render_mode": "always"}),
        ("https://news.example/a", {"render_mode": "never"}),
        ("https://news.example/b", {}),
    ]
    assert [e.source for e in seeds.errors] == ["seeds.txt:4", "seeds.txt:5"]
    assert "use one of never, auto, always" in seeds.errors[0].reason
    assert "not a URL option 'colour=blue'" in seeds.errors[1].reason


def test_launch_options_use_debians_chromium_and_add_flags():
    options = launch_options(Settings({
        "RENDER_BROWSER_ARGS": '["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost"]',
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"args": ["--lang=fr"], "slow_mo": 5},
    }), "--marker=1")
    assert options["executable_path"] == "/usr/bin/chromium" and options["headless"]
    assert options["args"][: len(BROWSER_FLAGS)] == list(BROWSER_FLAGS)
    assert options["args"][-3:] == ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
                                    "--lang=fr", "--marker=1"]
    assert options["slow_mo"] == 5
    assert {"--no-sandbox", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-gpu"} <= set(options["args"])
    assert browser_args("--a --b='c d'") == ["--a", "--b=c d"]


def exchange(**changes) -> BrowserExchange:
    values = dict(
        url="https://app.example/api/story.json?id=7", method="GET",
        request_headers=[(":authority", "app.example"), (":method", "GET"),
                         (":path", "/api/story.json?id=7"), ("accept", "*/*"),
                         ("cookie", "a=1")],
        status=200, status_text="", body=b'{"text": "hello"}',
        response_headers=[("content-type", "application/json"), ("content-encoding", "br"),
                          ("content-length", "12"), ("set-cookie", "a=1"), ("set-cookie", "b=2")],
        started_at=datetime(2026, 12, 1, 10, 0, 0, 123456, tzinfo=UTC), resource_type="fetch",
        ip_address="192.0.2.7")
    values.update(changes)
    return BrowserExchange(**values)


def test_decoded_payloads_are_recorded_for_what_they_are():
    headers, warc = recorded_headers(exchange())
    assert headers == [("content-type", "application/json"), ("set-cookie", "a=1"),
                       ("set-cookie", "b=2"), ("Content-Length", "17")]
    assert warc == {"WARC-Decoded-Content-Encoding": "br", "WARC-Original-Content-Length": "12"}
    plain = exchange(response_headers=[("Content-Length", "17")])
    assert recorded_headers(plain) == ([("Content-Length", "17")], {})
    chunked = exchange(response_headers=[("Transfer-Encoding", "chunked")])
    assert recorded_headers(chunked)[1] == {"WARC-Decoded-Transfer-Encoding": "chunked"}


def test_http2_requests_are_written_as_request_lines():
    ex = exchange()
    assert ex.http_version == "HTTP/2"
    assert sent_headers(ex) == [("Host", "app.example"), ("accept", "*/*"), ("cookie", "a=1")]
    assert exchange(request_headers=[("Host", "a")]).http_version == "HTTP/1.1"
    assert exchange(request_headers=[("Accept", "*/*")]).http_version is None


def test_records_of_a_browser_exchange_pass_warcio_and_give_capture_rows():
    builder = record_builder()
    response, request = exchange_records(builder, exchange())
    dom = conversion_record(builder, "https://app.example/", b"<html><p>x</p></html>",
                            "text/html; charset=utf-8", datetime.now(UTC),
                            response.rec_headers.get_header("WARC-Record-ID"))
    writer = BufferWARCWriter(gzip=True, warc_version="1.1")
    for record in (response, request, dom):
        writer.write_record(record)
    records = list(ArchiveIterator(writer.get_stream(), check_digests=True))
    assert [r.rec_type for r in records] == ["response", "request", "conversion"]
    assert records[0].http_headers.statusline == "200 OK"  # no reason phrase in HTTP/2
    assert records[0].rec_headers.get_header("WARC-IP-Address") == "192.0.2.7"
    assert records[1].http_headers.protocol == "GET"
    assert records[1].http_headers.statusline == "/api/story.json?id=7 HTTP/1.1"
    row = capture_row(StoredRecord("conversion", dom.rec_headers, None, b"x" * 21, 0, 10),
                      "f.warc.gz")
    assert row["record_type"] == "conversion" and row["status"] is None
    assert row["content_type"] == "text/html; charset=utf-8"
    assert row["refers_to_record_id"] == response.rec_headers.get_header("WARC-Record-ID")


def test_a_revisit_names_the_capture_it_repeats():
    prior = {"url": "https://app.example/api/story.json?id=7",
             "warc_date": "2026-11-30T10:00:00Z", "warc_record_id": "<urn:uuid:1>",
             "payload_digest": "sha1:ABC"}
    response, _ = exchange_records(record_builder(), exchange(), prior)
    assert response.rec_type == "revisit"
    assert response.rec_headers.get_header("WARC-Refers-To") == "<urn:uuid:1>"
    assert response.rec_headers.get_header("WARC-Payload-Digest") == "sha1:ABC"
