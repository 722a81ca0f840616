from __future__ import annotations

import gzip
import hashlib
import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.demo.site import Expected, FixtureServer, Page, build_site, fixtures_dir, seed_paths
from crawler.demo.site.pages import (
    BLOG_PATH,
    FRENCH_PATH,
    FRENCH_REDIRECT_PATH,
    MISSING_PATH,
    NETEASE_PATH,
    PDF_PATH,
    ROBOTS_PATH,
    WEIBO_PATH,
    XINZHIYUAN_PATH,
)

REPO = Path(__file__).resolve().parents[2]

# declared charset label -> the Python codec a browser-compatible decoder uses for it
WHATWG_CODEC = {"utf-8": "utf-8", "gbk": "gb18030", "big5": "big5hkscs"}

ARTICLE_PATHS = [WEIBO_PATH, NETEASE_PATH, XINZHIYUAN_PATH, FRENCH_PATH, BLOG_PATH]

# the element holding the article body on each page
MAIN_XPATH = {
    WEIBO_PATH: "//div[contains(@class, 'detail_wbtext')]",
    NETEASE_PATH: "//div[@class='post_body']",
    XINZHIYUAN_PATH: "//article[@id='mp-editor']",
    FRENCH_PATH: "//div[@class='entry-content']",
    BLOG_PATH: "//div[contains(@class, 'post-body')]",
}


@pytest.fixture(scope="module")
def site() -> dict[str, Page]:
    return build_site()


@pytest.fixture(scope="module")
def server(site: dict[str, Page]) -> Iterator[FixtureServer]:
    with FixtureServer(site) as srv:
        yield srv


def fetch(
    server: FixtureServer, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def charset_of(content_type: str) -> str:
    match = re.search(r"charset=([\w-]+)", content_type, re.I)
    assert match, content_type
    return match.group(1).lower()


def page_text(page: Page) -> str:
    return page.body.decode(WHATWG_CODEC[charset_of(page.content_type)])


# --------------------------------------------------------------------------- site model


def test_seed_paths_and_routes(site: dict[str, Page]) -> None:
    assert seed_paths() == [
        "/6105753431/PqZVYv0xc",
        "/dy/article/K4EJ8Q3L0519DTSV.html",
        "/a/909412345_473283?spm=smpc.content.news.1",
        "/r/toloka",
        "/blog/2025/06/scale-ai-meta.html",
        "/missing.html",
        "/files/toloka-report.pdf",
    ]
    assert set(seed_paths()) | {FRENCH_PATH, ROBOTS_PATH} == set(site)
    for path, page in site.items():
        assert page.path == path
    seeds = {p.seed_file for p in site.values() if p.expected is not None}
    assert seeds == {f.name for f in fixtures_dir().glob("*.txt")}


def test_fixtures_dir_default_and_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SEEDCRAWLER_FIXTURES", raising=False)
    assert fixtures_dir() == REPO / "seeds" / "fixtures"
    monkeypatch.setenv("SEEDCRAWLER_FIXTURES", str(tmp_path))
    assert fixtures_dir() == tmp_path
    with pytest.raises(FileNotFoundError):
        build_site()


def test_build_site_is_deterministic(site: dict[str, Page]) -> None:
    again = build_site(REPO / "seeds" / "fixtures")
    assert {p: pg.body for p, pg in again.items()} == {p: pg.body for p, pg in site.items()}


@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_expectations_are_honest(site: dict[str, Page], path: str) -> None:
    page = site[path]
    expected = page.expected
    assert isinstance(expected, Expected)
    assert 6 <= len(expected.body) <= 15
    assert 6 <= len(expected.boilerplate) <= 15
    assert expected.language in {"zh", "fr"}
    text = page_text(page)
    visible = html.unescape(text)
    for s in expected.body + expected.boilerplate:
        assert s in visible, s
    # body strings come from the article container, boilerplate never does
    tree = lxml_html.fromstring(text)
    (main,) = tree.xpath(MAIN_XPATH[path])
    main_text = main.text_content()
    for s in expected.body:
        assert s in main_text, s
    for s in expected.boilerplate:
        assert s not in main_text, s
    # and the body strings are real sentences of the seed text
    seed_text = (fixtures_dir() / page.seed_file).read_text(encoding="utf-8")
    for s in expected.body:
        assert s in seed_text, s
    # metadata the page states
    og_title = tree.xpath("//meta[@property='og:title']/@content")
    assert og_title == [expected.title]
    assert expected.title in tree.findtext(".//title")
    assert expected.published and re.fullmatch(r"\d{4}-\d\d-\d\d", expected.published)
    assert expected.published in text
    assert expected.author and expected.author in visible
    assert expected.sitename and expected.sitename in visible


def test_weibo_page_leaves_out_annotations(site: dict[str, Page]) -> None:
    text = page_text(site[WEIBO_PATH])
    assert "## " not in text
    assert "AI 摘要" not in text and "保存时间" not in text and "ArXiv" not in text
    assert "贝索斯家族基金领投7200万美元押注AI数据公司Toloka" not in text
    tree = lxml_html.fromstring(text)
    (card,) = tree.xpath(MAIN_XPATH[WEIBO_PATH])
    assert len(card.xpath(".//a[span[@class='surl-text']]")) == 2
    assert len(card.xpath(".//img")) == 4
    assert len(card.xpath(".//br")) >= 20
    assert "新智元" in tree.xpath("string(//a[contains(@class, 'head_name')])")
    assert tree.xpath("string(//aside//div[@class='card_title'])") == "热门推荐"


def test_netease_layout(site: dict[str, Page]) -> None:
    tree = lxml_html.fromstring(page_text(site[NETEASE_PATH]))
    assert tree.get("data-publishtime") == "2025-07-23 20:03:00"
    title = tree.xpath("string(//h1[@class='post_title'])")
    assert title == "一家數據標注公司,估值追上百度和理想汽車"
    info = tree.xpath("string(//div[@class='post_info'])")
    assert info == "2025-07-23 20:03:00\u3000來源: 雪豹財經社"
    assert tree.xpath("string(//div[@class='post_wemedia_name']/a)") == "雪豹財經社"
    assert tree.xpath("//meta[@property='article:published_time']/@content") == [
        "2025-07-23T20:03:00+08:00"
    ]
    body = tree.xpath("//div[@class='post_body']")[0]
    captions = body.xpath(".//p[img]")
    assert len(captions) == 7
    assert "圖源:Scale AI" in captions[0].text_content()
    assert len(body.xpath(".//p")) > 50
    spam = tree.xpath("string(//div[@class='top_seo_banner'])")
    assert spam.startswith("99国产精品")


def test_xinzhiyuan_headline_and_byline(site: dict[str, Page]) -> None:
    tree = lxml_html.fromstring(page_text(site[XINZHIYUAN_PATH]))
    headline = "母女遭出租車司機(jī)辱罵繞路甩客?交通執(zhí)法部門:擬吊銷司機(jī)從業(yè)資格證"
    assert tree.xpath("string(//h1)") == headline
    article = tree.xpath("//article")[0].text_content()
    assert "新智元報(bào)道" in article and "KingHZ" in article
    related = tree.xpath("//div[@class='more-article']")[0]
    assert related.xpath("string(h2)") == "相关推荐"
    assert len(related.xpath(".//li")) == 3


def test_french_page_strips_saving_artefact(site: dict[str, Page]) -> None:
    text = page_text(site[FRENCH_PATH])
    assert "date 2025-05" not in text
    tree = lxml_html.fromstring(text)
    first = tree.xpath("//div[@class='entry-content']/p[1]")[0].text_content()
    assert first.startswith("Le fonds personnel de Jeff Bezos")
    assert tree.xpath("//div[@id='cmp-banner']//button/text()") == ["Accepter", "Refuser"]


# --------------------------------------------------------------------------- charsets


@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_article_decodes_with_declared_charset(
    server: FixtureServer, site: dict[str, Page], path: str
) -> None:
    response, body = fetch(server, path)
    assert response.status == 200
    declared = charset_of(response.getheader("Content-Type"))
    assert body == site[path].body
    text = body.decode(WHATWG_CODEC[declared])  # strict: raises on any bad byte
    assert "\ufffd" not in text
    head = text[: text.index("</head>")].lower()
    assert f"charset={declared}" in head.replace('"', "") or f'charset="{declared}"' in head


def test_gbk_page_needs_gb18030(site: dict[str, Page]) -> None:
    page = site[XINZHIYUAN_PATH]
    assert page.content_type == "text/html; charset=GBK"
    assert b'<meta charset="gbk">' in page.body
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("gbk")
    text = page.body.decode("gb18030")
    assert "\u00a9" in text and "\U0001f525" in text  # outside GBK, 4-byte in GB18030


def test_big5_page_is_big5_hkscs_with_charrefs(site: dict[str, Page]) -> None:
    page = site[BLOG_PATH]
    assert page.content_type == "text/html; charset=big5"
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=big5">' in page.body
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("big5")  # HKSCS characters in a reader comment
    text = page.body.decode("big5hkscs")
    assert "六爺講得啱" in text
    # characters Big5-HKSCS lacks are numeric character references
    assert "唐納&#12539;川普" in text
    assert "唐納・川普" in html.unescape(text)


# --------------------------------------------------------------------------- HTTP behaviour


def test_standard_headers_and_etag(server: FixtureServer, site: dict[str, Page]) -> None:
    response, body = fetch(server, NETEASE_PATH)
    page = site[NETEASE_PATH]
    assert response.status == 200
    assert response.getheader("Server") == "fixturesite"
    assert response.getheader("Date")
    assert response.getheader("ETag") == '"' + hashlib.sha1(page.body).hexdigest() + '"'
    assert response.getheader("Last-Modified") == "Wed, 23 Jul 2025 12:03:00 GMT"
    assert int(response.getheader("Content-Length")) == len(body)


def test_gzip_only_when_asked(server: FixtureServer, site: dict[str, Page]) -> None:
    page = site[WEIBO_PATH]
    response, body = fetch(server, WEIBO_PATH, {"Accept-Encoding": "gzip, deflate"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") == "Accept-Encoding"
    assert int(response.getheader("Content-Length")) == len(body)
    assert gzip.decompress(body) == page.body
    assert response.getheader("ETag") == '"' + hashlib.sha1(page.body).hexdigest() + '"'

    response, body = fetch(server, WEIBO_PATH)
    assert response.getheader("Content-Encoding") is None
    assert body == page.body

    response, body = fetch(server, WEIBO_PATH, {"Accept-Encoding": "gzip;q=0, identity"})
    assert response.getheader("Content-Encoding") is None
    assert body == page.body


def test_pdf_is_never_gzipped(server: FixtureServer, site: dict[str, Page]) -> None:
    response, body = fetch(server, PDF_PATH, {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/pdf"
    assert response.getheader("Content-Encoding") is None
    assert body == site[PDF_PATH].body


def test_pdf_is_valid(site: dict[str, Page]) -> None:
    pdf = site[PDF_PATH].body
    assert site[PDF_PATH].expected is None
    assert pdf.startswith(b"%PDF-")
    assert pdf.endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF$", pdf).group(1))
    assert pdf[startxref:].startswith(b"xref\n")
    table = pdf[startxref:].split(b"\n")
    first, count = map(int, table[1].split())
    entries = table[2 : 2 + count]
    assert entries[0] == b"0000000000 65535 f "
    for number, entry in enumerate(entries[1:], start=first + 1):
        assert len(entry) + 1 == 20  # each entry is 20 bytes including its EOL
        offset = int(entry[:10])
        assert pdf[offset:].startswith(f"{number} 0 obj".encode())
    length = int(re.search(rb"/Length (\d+) /Filter /FlateDecode >>\nstream\n", pdf).group(1))
    stream_start = pdf.index(b"stream\n") + len(b"stream\n")
    assert pdf[stream_start + length :].startswith(b"\nendstream")
    content = zlib.decompress(pdf[stream_start : stream_start + length])
    assert b"(Toloka - funding report) Tj" in content
    assert b"/Size %d" % count in pdf and b"/Root 1 0 R" in pdf


def test_conditional_requests(server: FixtureServer) -> None:
    response, _ = fetch(server, FRENCH_PATH)
    etag = response.getheader("ETag")
    last_modified = response.getheader("Last-Modified")

    response, body = fetch(server, FRENCH_PATH, {"If-None-Match": etag})
    assert response.status == 304 and body == b""
    assert response.getheader("ETag") == etag

    response, body = fetch(server, FRENCH_PATH, {"If-None-Match": f'"nope", W/{etag}'})
    assert response.status == 304

    response, body = fetch(server, FRENCH_PATH, {"If-None-Match": '"nope"'})
    assert response.status == 200 and body

    response, body = fetch(server, FRENCH_PATH, {"If-Modified-Since": last_modified})
    assert response.status == 304 and body == b""

    earlier = "Mon, 12 May 2025 00:00:00 GMT"
    response, body = fetch(server, FRENCH_PATH, {"If-Modified-Since": earlier})
    assert response.status == 200 and body


def test_redirect(server: FixtureServer) -> None:
    response, _ = fetch(server, FRENCH_REDIRECT_PATH)
    assert response.status == 301
    assert response.getheader("Location") == server.url(FRENCH_PATH)
    with urllib.request.urlopen(server.url(FRENCH_REDIRECT_PATH), timeout=10) as followed:
        assert followed.status == 200
        assert followed.geturl() == server.url(FRENCH_PATH)


def test_not_found(server: FixtureServer, site: dict[str, Page]) -> None:
    response, body = fetch(server, MISSING_PATH)
    assert response.status == 404
    assert response.getheader("ETag") is None
    assert b"Not Found" in body and body == site[MISSING_PATH].body
    response, body = fetch(server, "/no/such/page.html")
    assert response.status == 404 and b"Not Found" in body
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(server.url(MISSING_PATH), timeout=10)
    assert err.value.code == 404
    err.value.close()


def test_netease_sets_two_cookies(server: FixtureServer) -> None:
    response, _ = fetch(server, NETEASE_PATH)
    cookies = response.headers.get_all("Set-Cookie")
    assert len(cookies) == 2
    assert cookies[0].startswith("NTESwebSI=") and "HttpOnly" in cookies[0]
    assert cookies[1].startswith("_ntes_nuid=") and "Max-Age=31536000" in cookies[1]


def _read_raw_response(sock: socket.socket) -> bytes:
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def test_blog_is_chunked(server: FixtureServer, site: dict[str, Page]) -> None:
    page = site[BLOG_PATH]
    assert page.chunked
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            f"GET {BLOG_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        raw = _read_raw_response(sock)
    head, _, rest = raw.partition(b"\r\n\r\n")
    header_lines = head.decode("latin-1").split("\r\n")
    assert header_lines[0] == "HTTP/1.1 200 OK"
    names = {}
    for line in header_lines[1:]:
        name, _, value = line.partition(":")
        names[name.lower()] = value.strip()
    assert names["transfer-encoding"] == "chunked"
    assert "content-length" not in names
    chunks = []
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            assert rest == b"\r\n"
            break
        chunks.append(rest[:size])
        assert rest[size : size + 2] == b"\r\n"
        rest = rest[size + 2 :]
    assert len(chunks) >= 3
    assert b"".join(chunks) == page.body

    response, body = fetch(server, BLOG_PATH, {"Accept-Encoding": "gzip"})
    assert response.getheader("Transfer-Encoding") == "chunked"
    assert gzip.decompress(body) == page.body


def test_chunked_page_to_http10_client_has_length(
    server: FixtureServer, site: dict[str, Page]
) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET {BLOG_PATH} HTTP/1.0\r\n\r\n".encode())
        raw = _read_raw_response(sock)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"Transfer-Encoding" not in head
    assert f"Content-Length: {len(site[BLOG_PATH].body)}".encode() in head
    assert body == site[BLOG_PATH].body


def test_robots_txt(server: FixtureServer) -> None:
    response, body = fetch(server, ROBOTS_PATH)
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/plain")
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(body.decode().splitlines())
    assert not parser.can_fetch("seedcrawler", server.url("/private/notes.html"))
    for path in seed_paths():
        assert parser.can_fetch("seedcrawler", server.url(path))


def test_head_and_keep_alive(server: FixtureServer, site: dict[str, Page]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("HEAD", NETEASE_PATH)
        response = conn.getresponse()
        assert response.status == 200
        assert response.read() == b""
        assert int(response.getheader("Content-Length")) == len(site[NETEASE_PATH].body)
        sock = conn.sock
        for path in (WEIBO_PATH, BLOG_PATH, MISSING_PATH, PDF_PATH, FRENCH_REDIRECT_PATH):
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert not response.will_close
            assert conn.sock is sock  # same TCP connection reused
    finally:
        conn.close()


def test_query_matching(server: FixtureServer, site: dict[str, Page]) -> None:
    page = site[XINZHIYUAN_PATH]
    for path in (XINZHIYUAN_PATH, "/a/909412345_473283", "/a/909412345_473283?spm=other"):
        response, body = fetch(server, path)
        assert response.status == 200 and body == page.body
    response, body = fetch(server, WEIBO_PATH + "?from=page_100505")
    assert response.status == 200 and body == site[WEIBO_PATH].body


def test_requests_are_recorded(server: FixtureServer) -> None:
    before = len(server.requests)
    fetch(server, XINZHIYUAN_PATH, {"X-Probe": "one", "User-Agent": "probe/1.0"})
    fetch(server, PDF_PATH, method="HEAD")
    recorded = server.requests[before:]
    assert [(r.method, r.path) for r in recorded] == [
        ("GET", XINZHIYUAN_PATH),
        ("HEAD", PDF_PATH),
    ]
    assert ("X-Probe", "one") in recorded[0].headers
    assert recorded[0].header("user-agent") == "probe/1.0"


def test_other_methods_are_refused(server: FixtureServer) -> None:
    response, _ = fetch(server, WEIBO_PATH, method="POST")
    assert response.status == 405
    assert response.getheader("Allow") == "GET, HEAD"


def test_custom_site_and_lifecycle() -> None:
    page = Page(path="/hello.txt", body=b"hello", content_type="text/plain; charset=utf-8")
    custom = {page.path: page}
    srv = FixtureServer(custom)
    with pytest.raises(RuntimeError):
        _ = srv.base_url
    with srv:
        assert srv.base_url.startswith("http://127.0.0.1:")
        response, body = fetch(srv, "/hello.txt")
        assert body == b"hello"
        assert response.getheader("Last-Modified")  # a fixed default
        srv.site["/hello.txt"] = replace(page, body=b"changed")
        response, body = fetch(srv, "/hello.txt")
        assert body == b"changed"
        response, _ = fetch(srv, WEIBO_PATH)
        assert response.status == 404
        assert srv.seed_urls()[0] == srv.base_url + WEIBO_PATH
        port = srv.port
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# --------------------------------------------------------------------------- CLI


def test_module_entry_point_serves_until_sigterm() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.demo.site", "--port", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", first), first
        with urllib.request.urlopen(first + ROBOTS_PATH, timeout=10) as response:
            assert b"Disallow: /private/" in response.read()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
