# ruff: noqa: E501  (prose and markup of the test pages)
"""The hostile site: kinds of bad answers, each at a path, with what the crawl must make of
it (the archive and the database), next to good pages.

A kind's expectation is what *any* careful archive would do with that answer: a capture when
something came back (``capture``, ``truncated``), an ``errors`` row with a reason when it
failed or was refused (``stage``, ``error``, ``detail``), and never an article unless the
page is a real one (``article``).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.hostile import payloads as p
from tests.hostile.server import Conn

__all__ = ["KINDS", "Kind", "ROBOTS_TXT", "prefixes", "routes"]

ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"
#: the Retry-After waits the rate-limited kinds ask for (seconds)
RETRY_AFTER = 3


@dataclass(frozen=True)
class Kind:
    path: str
    serve: Callable[[Conn], None]
    about: str
    host: str = "127.0.0.1"
    article: bool = False  # an article must be stored for this seed (else: none may be)
    capture: int | None = None  # a capture of this URL with this status must exist
    no_capture: bool = False  # no capture of this URL may exist (nothing came back)
    truncated: str | None = None  # its capture is archived WARC-Truncated: this (a regex)
    stage: str | None = None  # an errors row for this seed, in this stage
    error: str | None = None  # ... whose error matches this (regex, case-insensitive)
    detail: str | None = None  # ... and whose detail matches this
    charset: bool = False  # a charset case (more assertions after the charset work)


# --- handlers --------------------------------------------------------------------------------

def _article(title: str, paragraphs: list[str], lang: str = "en") -> bytes:
    return p.article_html(title, paragraphs, lang=lang).encode("utf-8")


GOOD_ZH = _article("市图书馆完成改造重新开放", p.ZH_PARAGRAPHS, "zh-CN")
GOOD_EN = _article("The quiet reinvention of the CAPTCHA", p.EN_CAPTCHA_ARTICLE, "en")
GOOD_FR = _article("La ligne ferroviaire des deux vallées rouvre", p.FR_PARAGRAPHS, "fr")


def good(body: bytes) -> Callable[[Conn], None]:
    return lambda c: c.respond(200, body, "text/html; charset=utf-8")


def respond(status: int, body: bytes = b"", content_type: str | None = "text/html",
            headers: list[tuple[str, str]] | None = None, **kw) -> Callable[[Conn], None]:
    return lambda c: c.respond(status, body, content_type, headers, **kw)


def raw(data: bytes, then: str = "close") -> Callable[[Conn], None]:
    def serve(c: Conn) -> None:
        c.send(data)
        if then == "reset":
            c.reset()
    return serve


def reset_now(c: Conn) -> None:
    c.reset()


def close_now(c: Conn) -> None:
    c.sock.close()


def stall(c: Conn, seconds: float = 30) -> None:
    c.wait(seconds)


def head_then(status_headers: bytes, then: Callable[[Conn], None]) -> Callable[[Conn], None]:
    def serve(c: Conn) -> None:
        if c.send(status_headers):
            then(c)
    return serve


def partial_body(length: int, sent: int, then: str) -> Callable[[Conn], None]:
    def serve(c: Conn) -> None:
        c.head(200, [("Content-Type", "text/html"), ("Content-Length", str(length))])
        c.send(GOOD_EN[:sent] if sent <= len(GOOD_EN) else b"x" * sent)
        if then == "stall":
            c.wait(30)
        elif then == "reset":
            c.wait(0.2)
            c.reset()
    return serve


def drip(c: Conn) -> None:
    c.head(200, [("Content-Type", "text/html"), ("Content-Length", "1000000")])
    for byte in GOOD_EN * 10:
        if not c.send(bytes([byte])) or not c.wait(0.2):
            return


def chunked(pieces: int | None, delay: float = 0.0, size: int = 64 * 1024,
            end: bool = True, bad: bool = False) -> Callable[[Conn], None]:
    """A chunked body: ``pieces`` chunks (None: endless), ``delay`` between them."""
    block = (b"<p>" + b"endless " * (size // 8) + b"</p>")[:size]

    def serve(c: Conn) -> None:
        c.head(200, [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
        count = 0
        while pieces is None or count < pieces:
            if bad and count == 2:
                c.send(b"zz-not-a-size\r\n" + block + b"\r\n")
                return
            if not c.send(b"%x\r\n%s\r\n" % (len(block), block)):
                return
            count += 1
            if delay and not c.wait(delay):
                return
        if end:
            c.send(b"0\r\n\r\n")
    return serve


def endless_declared(c: Conn) -> None:
    c.head(200, [("Content-Type", "application/octet-stream"),
                 ("Content-Length", str(10 * 1024**3))])
    block = b"\0" * 65536
    while c.send(block):
        pass


def encoded_body(body: bytes, encoding: str, content_type: str = "text/html"
                 ) -> Callable[[Conn], None]:
    return lambda c: c.respond(200, body, content_type, [("Content-Encoding", encoding)])


def slow_headers(c: Conn) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"a" * 2000:
        if not c.send(bytes([byte])) or not c.wait(0.05):
            return


def retry_after_then_page(status: int, value: Callable[[], str], body: bytes
                          ) -> Callable[[Conn], None]:
    """The first request gets ``status`` with Retry-After ``value()``; later ones the page."""
    def serve(c: Conn) -> None:
        if c.hits() == 1:
            c.respond(status, b"<html><body>busy</body></html>", "text/html",
                      [("Retry-After", value())])
        else:
            c.respond(200, body, "text/html; charset=utf-8")
    return serve


def always(status: int, retry_after: str) -> Callable[[Conn], None]:
    return respond(status, b"<html><body>busy</body></html>", "text/html",
                   [("Retry-After", retry_after)])


def http_date_in(seconds: int) -> Callable[[], str]:
    # Whole seconds in an HTTP date: one more, so that the wait is never shorter than asked
    return lambda: format_datetime(datetime.now(UTC) + timedelta(seconds=seconds + 1),
                                   usegmt=True)


def redirect(location: str, status: int = 302) -> Callable[[Conn], None]:
    return respond(status, b"", "text/html", [("Location", location)])


def loop_a(c: Conn) -> None:
    c.respond(302, b"", None, [("Location", "/redirect/loop-b")])


def loop_b(c: Conn) -> None:
    c.respond(302, b"", None, [("Location", "/redirect/loop-a")])


def feed_page(c: Conn) -> None:
    c.respond(200, p.page("entry", f"<p>entry {c.path}</p>"), "text/html")


def sitemap_200k(c: Conn) -> None:
    c.respond(200, p.big_sitemap(f"http://127.0.0.1:{c.server.port}"), "application/xml")


def rss_20k(c: Conn) -> None:
    c.respond(200, p.big_rss(f"http://127.0.0.1:{c.server.port}"), "application/rss+xml")


def sitemap_self_index(c: Conn) -> None:
    base = f"http://127.0.0.1:{c.server.port}"
    body = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9"><sitemap><loc>{base}/feeds/self-index.xml</loc></sitemap>'
            f"<sitemap><loc>{base}/feeds/self-index.xml</loc></sitemap></sitemapindex>")
    c.respond(200, body.encode(), "application/xml")


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://127.0.0.1/feedpage/&lol9;</loc></url></urlset>"""

XHTML_ENTITY_BOMB = ENTITY_BOMB.split(b"<urlset")[0] + (
    b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head>'
    b"<body><p>&lol9;</p></body></html>")


def deep_nesting(c: Conn) -> None:
    depth = 50_000
    c.respond(200, b"<html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth
              + b"</body></html>")


def binary_html(c: Conn) -> None:
    c.respond(200, random.Random(7).randbytes(200_000), "text/html")


def null_bytes(c: Conn) -> None:
    c.respond(200, GOOD_FR.replace(b"</p>", b"\0\0</p>"), "text/html; charset=utf-8")


def cookie_flood(c: Conn) -> None:
    c.respond(200, p.page("cookies", "<p>many cookies</p>"), "text/html",
              [("Set-Cookie", f"c{i}=v{i}; Path=/") for i in range(500)])


def many_headers(c: Conn) -> None:
    c.respond(200, p.page("headers", "<p>many headers</p>"), "text/html",
              [(f"X-Header-{i}", "v" * 100) for i in range(3000)])


def non_ascii_headers(c: Conn) -> None:
    head = (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/html\r\n"
            b"X-Title: ") + "标题\x7f".encode() + b"\r\nX-Nul: a\x00b\r\n"
    body = p.page("headers", "<p>odd header bytes</p>")
    c.send(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)


# --- walls -----------------------------------------------------------------------------------

NAV_ZH = ('<nav><a href="/">首页</a> <a href="/news">新闻</a> <a href="/sport">体育</a> '
          '<a href="/tech">科技</a> <a href="/about">关于我们</a></nav>')
LOGIN_FORM = ('<form action="/login" method="post"><input name="user" placeholder="手机号/邮箱">'
              '<input type="password" name="pw"><button>登录</button></form>')

WALLS: dict[str, tuple[bytes, str]] = {
    # path: (body, kind expected in errors.error)
    "/walls/login-zh": (p.page("用户登录", NAV_ZH + "<h2>本文为会员专享内容</h2><p>请登录后查看全文。"
                               "还没有账号？<a href='/reg'>立即注册</a></p>" + LOGIN_FORM, "zh"),
                        "login_wall"),
    "/walls/login-teaser-zh": (p.article_html("市图书馆完成改造重新开放", [
        p.ZH_PARAGRAPHS[0][:90] + "……", "登录后查看全文，新用户注册即送三天会员。"]).encode(),
        "login_wall"),
    "/walls/login-en": (p.page("Subscriber content", "<header><a href='/'>Home</a> <a href="
                               "'/world'>World</a></header><h1>This story is for members</h1>"
                               "<p>Sign in to continue reading, or create a free account.</p>"
                               "<form><input type='email'><input type='password'>"
                               "<button>Sign in</button></form>"), "login_wall"),
    "/walls/login-fr": (p.page("Connexion", "<h1>Article réservé</h1><p>Connectez-vous pour lire "
                               "la suite de cet article.</p><form><input type='password'></form>",
                               "fr"), "login_wall"),
    "/walls/captcha-zh": (p.page("安全验证", NAV_ZH + "<p>为了您的账号安全，请输入验证码后继续访问。</p>"
                                 "<img src='/captcha.jpg'><input name='captcha'>"
                                 "<button>提交</button>", "zh"), "captcha|bot_check"),
    "/walls/slider-zh": (p.page("网易新闻", "<div id='nc_1_wrapper'></div><p>请按住滑块，拖动到最右边</p>",
                                "zh"), "captcha"),
    "/walls/recaptcha-en": (p.page("Are you a robot?", "<p>Please tick the box below.</p>"
                                   "<div class='g-recaptcha' data-sitekey='x'></div>"
                                   "<noscript>I'm not a robot</noscript>"), "captcha|bot_check"),
    "/walls/cloudflare-en": (p.page("Just a moment...", "<h1>Checking your browser before "
                                    "accessing the site.</h1><p>This process is automatic.</p>"
                                    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/"
                                    "chl_page/v1'></script>"), "bot_check"),
    "/walls/human-fr": (p.page("Vérification", "<p>Vérifiez que vous êtes humain en complétant "
                               "l'action ci-dessous.</p>", "fr"), "bot_check"),
    "/walls/ratelimit-zh": (p.page("提示", NAV_ZH + "<p>访问过于频繁，请稍后再试。</p>", "zh"),
                            "rate_limited"),
    "/walls/ratelimit-en": (p.page("Slow down", "<h1>Rate limit exceeded</h1><p>You have sent "
                                   "too many requests. Try again in an hour.</p>"), "rate_limited"),
    "/walls/denied-en": (p.page("Access Denied", "<h1>Access Denied</h1><p>You don't have "
                                "permission to access \"http://www.example.com/news/\" on this "
                                "server.</p><p>Reference #18.5d1c2e17.1714000000.3f2a</p>"),
                         "access_denied"),
    "/walls/denied-zh": (p.page("提示信息", NAV_ZH + "<p>访问被拒绝：您的IP已被限制访问本站。</p>", "zh"),
                         "access_denied"),
    "/walls/cookies-fr": (p.page("Vos choix", "<h2>Vos choix concernant les cookies</h2><p>Pour "
                                 "accéder au site, acceptez les cookies pour continuer ou "
                                 "abonnez-vous.</p><button>Accepter et continuer</button>", "fr"),
                          "cookie_wall"),
    "/walls/cookies-en": (p.page("Cookies required", "<p>Please enable cookies in your browser "
                                 "to continue.</p>"), "cookie_wall"),
}


def wall(path: str) -> Callable[[Conn], None]:
    return good(WALLS[path][0])


CHALLENGE_403 = p.page("Attention Required! | Cloudflare", "<h1>Sorry, you have been blocked</h1>"
                       "<p>Please verify you are human to continue.</p>"
                       "<div class='cf-turnstile'></div>")


# --- charsets: each decodes cleanly as one Chinese charset, whatever it declares -------

BIG5_AS_GB2312 = p.traditional(p.article_html("社區菜園計畫擴大", p.ZH_TRADITIONAL, "zh-TW",
                                              meta_charset="gb2312")).encode("big5")
GBK_UNDECLARED = p.article_html("市图书馆完成改造重新开放", p.ZH_PARAGRAPHS, meta_charset=""
                                ).encode("gbk")
UTF8_AS_GBK = p.article_html("市图书馆完成改造重新开放", p.ZH_PARAGRAPHS, meta_charset="gbk"
                             ).encode("utf-8")


# --- the catalogue ---------------------------------------------------------------------------

KINDS: list[Kind] = [
    # good pages, some of them delivered oddly
    Kind("/good/zh", good(GOOD_ZH), "a Chinese article", article=True, capture=200),
    Kind("/good/en-about-captchas", good(GOOD_EN), "an English article about CAPTCHAs, login "
         "walls and rate limits (not a wall)", article=True, capture=200),
    Kind("/good/fr", good(GOOD_FR), "a French article", article=True, capture=200),
    Kind("/good/zh-login-box", good(p.article_html("市图书馆完成改造重新开放", p.ZH_PARAGRAPHS,
                                                   header=LOGIN_FORM).encode()),
         "an article with a login box in its header", article=True, capture=200),
    Kind("/good/close-delimited", raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html; "
                                      b"charset=utf-8\r\n\r\n" + GOOD_FR),
         "HTTP/1.0, no Content-Length, the body ends with the connection", article=True,
         capture=200),
    Kind("/good/gzip-bad-crc", lambda c: c.respond(200, _bad_crc(p.gzipped(GOOD_EN)),
                                                   "text/html", [("Content-Encoding", "gzip")]),
         "gzip with a wrong CRC (browsers show it)", article=True, capture=200),
    Kind("/good/extra-bytes", lambda c: c.send(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n" % len(GOOD_ZH) + GOOD_ZH + b"GARBAGE" * 100),
         "more bytes than Content-Length", article=True, capture=200),
    Kind("/good/interim-100", lambda c: c.send(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8"
        b"\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(GOOD_EN) + GOOD_EN),
         "an interim 100 Continue before the answer", article=True, capture=200),
    # below HTTP: the connection itself misbehaves
    Kind("/net/reset", reset_now, "a TCP reset instead of an answer", no_capture=True,
         stage="fetch", detail="reset or lost before any response"),
    Kind("/net/close", close_now, "the connection closed without an answer", no_capture=True,
         stage="fetch", detail="closed the connection without sending a response"),
    Kind("/net/garbage", raw(b"HELLO THERE\r\n\r\n"), "an answer that is not HTTP",
         no_capture=True, stage="fetch", detail="not valid HTTP|without sending a response"),
    Kind("/net/http09", raw(b"<html><body>no status line</body></html>"), "HTML without a "
         "status line (HTTP/0.9)", no_capture=True, stage="fetch",
         detail="not valid HTTP|not HTTP|without sending a response"),
    Kind("/net/header-64k", raw(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n"),
         "a 64 KB header line", no_capture=True, stage="fetch", error="HeaderTooLong",
         detail="header line"),
    Kind("/net/cookie-64k", raw(b"HTTP/1.1 200 OK\r\nSet-Cookie: s=" + b"b" * 70000
                                + b"\r\nContent-Length: 0\r\n\r\n"),
         "a 70 KB Set-Cookie", no_capture=True, stage="fetch", error="HeaderTooLong"),
    Kind("/net/stall-before-status", stall, "accepts, then never answers", no_capture=True,
         stage="fetch", error="DownloadTimeoutError", detail="DOWNLOAD_TIMEOUT"),
    Kind("/net/stall-in-headers", head_then(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n",
                                            stall),
         "stops in the middle of the headers", no_capture=True, stage="fetch",
         error="DownloadTimeoutError"),
    Kind("/net/slow-headers", slow_headers, "headers one byte every 50 ms, never ending",
         no_capture=True, stage="fetch", error="DownloadTimeoutError"),
    Kind("/net/stall-mid-body", partial_body(200_000, 5000, "stall"), "5 KB of 200 KB, then "
         "silence", capture=200, truncated="time", stage="fetch", error="truncated: time"),
    Kind("/net/drip", drip, "one byte every 200 ms", capture=200, truncated="time",
         stage="fetch", error="truncated: time"),
    Kind("/net/short-body", partial_body(100_000, 3000, "close"), "Content-Length 100000, 3000 "
         "bytes, then a clean close", capture=200, truncated="disconnect", stage="fetch",
         error="truncated: disconnect", detail="after 3000 of the 100000 bytes"),
    Kind("/net/reset-mid-body", partial_body(100_000, 3000, "reset"), "3000 of 100000 bytes, "
         "then a reset", capture=200, truncated="disconnect", stage="fetch",
         error="truncated: disconnect"),
    # Cut at DOWNLOAD_MAXSIZE, or at DOWNLOAD_TIMEOUT on a machine too busy to receive
    # 100 MB in 5 s: stopped either way.
    Kind("/net/chunked-endless", chunked(None), "an endless chunked stream, as fast as it goes",
         capture=200, truncated="length|time", stage="fetch",
         error="truncated: (length|time)"),
    Kind("/net/chunked-slow", chunked(None, delay=0.3, size=1024), "an endless chunked stream, "
         "a chunk every 300 ms", capture=200, truncated="time", stage="fetch",
         error="truncated: time"),
    Kind("/net/chunked-cut", chunked(5, end=False), "five chunks, then the connection closes",
         capture=200, truncated="disconnect", stage="fetch", error="truncated: disconnect"),
    Kind("/net/chunked-bad-size", chunked(5, bad=True), "a chunk size that is not hex"),
    Kind("/net/declared-10g", endless_declared, "Content-Length: 10 GB", capture=200,
         truncated="length", stage="fetch", error="truncated: length",
         detail="Content-Length"),
    Kind("/net/bad-content-length", raw(b"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\nabc"),
         "Content-Length: lots"),
    Kind("/net/two-content-lengths", raw(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                                         b"Content-Length: 30\r\n\r\nabc"),
         "two different Content-Length headers"),
    Kind("/net/status-999", respond(999, b"<html><body>odd</body></html>"), "status 999",
         capture=999, stage="fetch", error="HTTP 999"),
    Kind("/net/many-headers", many_headers, "3000 headers", capture=200),
    Kind("/net/cookie-flood", cookie_flood, "500 Set-Cookie headers", capture=200),
    Kind("/net/odd-header-bytes", non_ascii_headers, "UTF-8, DEL and NUL bytes in header values",
         capture=200),
    Kind("/net/header-no-colon", raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                     b"this line has no colon\r\nContent-Length: 4\r\n\r\nokay"),
         "a header line without a colon", capture=200),
    # compression
    Kind("/zip/gzip-bomb", encoded_body(p.gzip_bomb(), "gzip"), "1 MB of gzip inflating to "
         "1 GiB", capture=200, stage="fetch", error="DecompressionTooLarge",
         detail="COMPRESSION_MAXSIZE"),
    Kind("/zip/gzip-gzip-bomb", encoded_body(p.gzipped(p.gzip_bomb()), "gzip, gzip"),
         "a gzip bomb gzipped again", capture=200, stage="fetch",
         error="DecompressionTooLarge"),
    Kind("/zip/deflate-bomb", encoded_body(p.deflate_bomb(), "deflate"), "a deflate bomb",
         capture=200, stage="fetch", error="DecompressionTooLarge"),
    Kind("/zip/zstd-bomb", encoded_body(p.zstd_bomb(), "zstd"), "a zstd bomb",
         capture=200, stage="fetch", error="DecompressionTooLarge"),
    Kind("/zip/not-gzip", encoded_body(os.urandom(0) + b"plain text, not gzip" * 50, "gzip"),
         "says gzip, is not", capture=200, stage="fetch", error="UndecodableBody"),
    Kind("/zip/gzip-cut", encoded_body(p.gzipped(GOOD_ZH)[:400], "gzip"), "a gzip body cut "
         "short by the server (the HTTP body itself is whole)", capture=200, stage="fetch",
         error="UndecodableBody", detail="ends early"),
    Kind("/zip/unknown-encoding", encoded_body(b"\x00\x01snappy?", "snappy"),
         "Content-Encoding: snappy", capture=200),
    Kind("/zip/huge-html-gzip", encoded_body(p.gzipped(p.huge_html(30)), "gzip"), "30 MB of "
         "HTML, gzipped", capture=200, stage="extract", error="too large",
         detail="EXTRACT_MAX_BYTES"),
    # sizes and shapes of bodies
    # Whole, it is too large to extract; on a busy machine it may not come whole within
    # DOWNLOAD_TIMEOUT, and is then archived as truncated: either way, archived, no article.
    Kind("/body/huge-html", lambda c: c.respond(200, p.huge_html(30)), "a 30 MB HTML page",
         capture=200, error="too large|truncated: time",
         detail="EXTRACT_MAX_BYTES|DOWNLOAD_TIMEOUT"),
    Kind("/body/deep-nesting", deep_nesting, "50,000 nested <div>", capture=200),
    Kind("/body/binary-as-html", binary_html, "200 KB of random bytes as text/html",
         capture=200),
    Kind("/body/null-bytes", null_bytes, "NUL bytes inside an article", article=True,
         capture=200),
    Kind("/body/empty", respond(200, b""), "an empty 200", capture=200),
    Kind("/body/json-as-html", respond(200, b'{"a": [1, 2, 3]}'), "JSON served as text/html",
         capture=200),
    Kind("/body/pdf-as-html", respond(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
         "a PDF served as text/html", capture=200),
    Kind("/body/xhtml-entity-bomb", respond(200, XHTML_ENTITY_BOMB, "application/xhtml+xml"),
         "an XHTML page with a billion-laughs DOCTYPE", capture=200),
    # walls and notices, served as 200 (and one as 403)
    *[Kind(path, wall(path), f"a wall: {expected}", capture=200, stage="blocked",
           error=expected) for path, (_, expected) in WALLS.items()],
    Kind("/walls/challenge-403", respond(403, CHALLENGE_403), "a 403 challenge page",
         capture=403, stage="blocked", error="bot_check|access_denied|captcha",
         detail="HTTP 403"),
    Kind("/walls/meta-refresh-to-login", good(p.page("Redirecting", "", head="<meta http-equiv="
                                                     "'refresh' content='0; url=/walls/login-zh'>")),
         "a meta refresh to a login wall", capture=200, stage="blocked", error="login_wall"),
    # Retry-After, on another host name (another download slot)
    Kind("/rate/429-seconds", retry_after_then_page(429, lambda: str(RETRY_AFTER), GOOD_ZH),
         "429, Retry-After: 3, then the page", host="localhost", article=True, capture=429),
    Kind("/rate/503-date", retry_after_then_page(503, http_date_in(RETRY_AFTER), GOOD_FR),
         "503, Retry-After: an HTTP date 4 s ahead, then the page", host="localhost",
         article=True, capture=503),
    Kind("/rate/429-a-day", always(429, "86400"), "429, Retry-After: 86400 (a day)",
         host="localhost", capture=429, stage="fetch", error="HTTP 429",
         detail="RETRY_AFTER_MAX"),
    Kind("/rate/503-garbage", always(503, "soon, maybe"), "503, Retry-After: soon, maybe",
         host="localhost", capture=503, stage="fetch", error="HTTP 503",
         detail="neither seconds nor a date"),
    # redirects
    Kind("/redirect/chain-to-500", redirect("/redirect/hop-1"), "two redirects, then a 500",
         capture=302, stage="fetch", error="HTTP 500",
         detail=r"chain-to-500 -> .*hop-1 -> .*hop-2"),
    Kind("/redirect/loop-a", loop_a, "a redirect loop", capture=302, stage="fetch",
         detail="REDIRECT_MAX_TIMES"),
    Kind("/redirect/to-file", redirect("file:///etc/passwd"), "a redirect to file:///etc/passwd",
         capture=302, stage="fetch", error="HTTP 302", detail="only http and https"),
    Kind("/redirect/no-location", respond(302, b"moved, somewhere"), "302 without Location",
         capture=302, stage="fetch", error="HTTP 302", detail="without a Location"),
    Kind("/private/seeded", good(GOOD_EN), "a seed robots.txt disallows", no_capture=True,
         stage="fetch", detail="robots.txt"),
    # charsets
    Kind("/charset/big5-as-gb2312", lambda c: c.respond(200, BIG5_AS_GB2312,
                                                         "text/html; charset=gb2312"),
         "Big5 bytes declared gb2312", capture=200, charset=True),
    Kind("/charset/gbk-undeclared", lambda c: c.respond(200, GBK_UNDECLARED, "text/html"),
         "GBK, no charset declared anywhere", capture=200, charset=True),
    Kind("/charset/utf8-as-gbk", lambda c: c.respond(200, UTF8_AS_GBK, "text/html; charset=gbk"),
         "UTF-8 declared gbk", capture=200, charset=True),
    # feeds and sitemaps
    Kind("/feeds/sitemap-200k.xml", sitemap_200k, "a sitemap of 200,000 URLs, most of them "
         "disallowed by robots.txt", capture=200, stage="feed",
         error="sitemap limit.*robots.txt.*FEED_MAX_ENTRIES",
         detail="more than 50,000 URLs.*disallowed by robots.txt.*FEED_MAX_ENTRIES"),
    Kind("/feeds/rss-20k.xml", rss_20k, "an RSS feed of 20,000 items", capture=200,
         stage="feed", error="feed limit", detail="FEED_MAX_ITEMS"),
    Kind("/feeds/self-index.xml", sitemap_self_index, "a sitemap index listing itself",
         capture=200),
    Kind("/feeds/sitemap-bomb.xml.gz", lambda c: c.respond(200, p.gzip_bomb(),
                                                           "application/gzip"),
         "sitemap.xml.gz that inflates to 1 GiB", capture=200),
    Kind("/feeds/entity-bomb.xml", respond(200, ENTITY_BOMB, "application/xml"),
         "a sitemap with a billion-laughs DOCTYPE", capture=200),
]

def robots_txt(c: Conn) -> None:
    """127.0.0.1 has a robots.txt; the other host name's resets the connection."""
    if c.headers.get("host", "").startswith("localhost"):
        c.reset()
    else:
        c.respond(200, ROBOTS_TXT, "text/plain")


_FOLLOWERS: dict[str, Callable[[Conn], None]] = {
    "/robots.txt": robots_txt,
    "/redirect/hop-1": redirect("/redirect/hop-2", 301),
    "/redirect/hop-2": respond(500, b"<html><body>broken</body></html>"),
    "/redirect/loop-b": loop_b,
}


def _bad_crc(data: bytes) -> bytes:
    broken = bytearray(data)
    broken[-6] ^= 0xFF
    return bytes(broken)


def routes() -> dict[str, Callable[[Conn], None]]:
    return {**{kind.path: kind.serve for kind in KINDS}, **_FOLLOWERS}


def prefixes() -> dict[str, Callable[[Conn], None]]:
    return {"/feedpage/": feed_page}
