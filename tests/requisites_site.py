"""A small site whose pages embed everything a browser loads: images (``src``, ``srcset``,
``data-src``, ``picture``, CSS ``url()``), stylesheets with ``@import``, scripts, a font, an
icon and a poster, some of it on a second host (127.0.0.2, a CDN of its own), and a
linked site for crawl-scope tests. Served by the fixture server (``crawler.demo.site``).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from crawler.demo.site.pages import Page
from crawler.demo.site.server import FixtureServer

CDN_HOST = "127.0.0.2"

ARTICLE = (
    "<p>Le conseil municipal a voté mardi soir un budget de rénovation des écoles de la "
    "ville, après trois heures de débat. Les travaux commenceront au printemps et "
    "dureront deux ans, selon le calendrier présenté par l'adjointe aux finances.</p>"
    "<p>Les parents d'élèves, venus nombreux, ont salué une décision attendue depuis "
    "longtemps, tout en demandant que les classes restent ouvertes pendant le chantier. "
    "La mairie promet des salles provisoires dans le gymnase voisin.</p>"
    "<p>L'opposition a voté contre, jugeant le coût trop élevé et le calendrier trop "
    "serré. Elle réclame un audit indépendant avant le début des travaux.</p>"
)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG image of one colour (browsers decode it: natural width > 0)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height))
            + chunk(b"IEND", b""))


# A font file as served: the archive keeps whatever bytes come back (not drawn by a test).
FONT = b"wOF2\x00\x01\x00\x00" + bytes(range(256)) * 4


@dataclass
class RequisiteSite:
    """Two running servers: the site (127.0.0.1) and its CDN (127.0.0.2)."""

    main: FixtureServer
    cdn: FixtureServer
    #: URL -> the bytes served, for every requisite the pages embed
    requisites: dict[str, bytes] = field(default_factory=dict)
    #: URL -> hopsFromSeed expected in its metadata record
    hops: dict[str, str] = field(default_factory=dict)

    @property
    def seeds(self) -> list[str]:
        return [self.main.url("/index.html"), self.main.url("/second.html")]

    def stop(self) -> None:
        self.main.stop()
        self.cdn.stop()


def _html(title: str, body: str, head: str = "") -> bytes:
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}'
            f'</title>{head}</head><body>{body}</body></html>').encode()


def start_requisite_site() -> RequisiteSite:
    """Start both servers and fill them (the pages name the CDN's port)."""
    main = FixtureServer(site={}).start()
    cdn = FixtureServer(site={}, host=CDN_HOST).start()
    site = RequisiteSite(main, cdn)
    cdn_base = cdn.base_url

    def serve(server: FixtureServer, path: str, body: bytes, content_type: str,
              hops: str) -> None:
        server.site[path] = Page(path=path, body=body, content_type=content_type)
        url = server.url(path)
        site.requisites[url] = body
        site.hops[url] = hops

    css = "text/css; charset=utf-8"
    serve(main, "/css/main.css", (
        b'@import url("base.css");\n'
        b"/* url(/img/commented-out.png) is not loaded */\n"
        b'@font-face { font-family: "Titre"; src: url(/fonts/titre.woff2) format("woff2"); }\n'
        b"h1 { color: rgb(200, 30, 40); font-family: Titre, serif; }\n"
        b"body { background: #fff url('../img/bg.png') repeat-x; }\n"), css, "E")
    serve(main, "/css/base.css", (
        '@import "print.css" print;\n'
        f".bandeau {{ background-image: url({cdn_base}/img/bandeau.png); height: 10px; }}\n"
        "p { line-height: 1.6; }\n").encode(), css, "EE")
    serve(main, "/css/print.css", b"body { color: black; }\n", css, "EEE")
    serve(main, "/fonts/titre.woff2", FONT, "font/woff2", "EE")
    serve(main, "/img/bg.png", png(4, 4, (240, 240, 250)), "image/png", "EE")
    serve(cdn, "/img/bandeau.png", png(20, 10, (10, 90, 200)), "image/png", "EEE")
    serve(main, "/img/photo.png", png(64, 48, (200, 120, 40)), "image/png", "E")
    serve(main, "/img/photo-1x.png", png(32, 24, (20, 160, 60)), "image/png", "E")
    serve(main, "/img/photo-2x.png", png(64, 48, (20, 160, 60)), "image/png", "E")
    serve(main, "/img/lazy.png", png(16, 16, (90, 90, 90)), "image/png", "E")
    serve(main, "/img/wide.webp", png(40, 20, (1, 2, 3)), "image/webp", "E")
    serve(main, "/img/wide.png", png(40, 20, (1, 2, 3)), "image/png", "E")
    serve(main, "/img/poster.png", png(30, 20, (5, 5, 5)), "image/png", "E")
    serve(main, "/img/inline.png", png(8, 8, (255, 0, 255)), "image/png", "E")
    serve(main, "/favicon.png", png(16, 16, (250, 200, 0)), "image/png", "E")
    serve(main, "/js/app.js", (
        b"document.addEventListener('DOMContentLoaded', function () {\n"
        b"  document.getElementById('js-status').textContent = 'script ran';\n"
        b"});\n"), "application/javascript; charset=utf-8", "E")
    serve(cdn, "/img/cdn-photo.png", png(50, 30, (0, 0, 128)), "image/png", "E")
    serve(cdn, "/js/lib.js", b"window.cdnLibLoaded = true;\n",
          "application/javascript; charset=utf-8", "E")
    serve(main, "/img/second.png", png(12, 12, (0, 128, 0)), "image/png", "E")

    head = ('<link rel="stylesheet" href="/css/main.css">'
            '<link rel="icon" href="/favicon.png">'
            f'<script src="{cdn_base}/js/lib.js"></script>'
            '<style>.encadre { background: url("/img/inline.png"); }</style>')
    main.site["/index.html"] = Page(path="/index.html", content_type="text/html; charset=utf-8",
                                    body=_html("Budget des écoles", (
        '<h1 id="titre">Budget des écoles : le conseil vote la rénovation</h1>'
        '<div class="bandeau"></div>'
        '<img id="photo" src="/img/photo.png" alt="photo" width="64">'
        '<img id="srcset" src="/img/photo-1x.png" '
        'srcset="/img/photo-1x.png 1x, /img/photo-2x.png 2x" alt="srcset">'
        '<img id="lazy" data-src="/img/lazy.png" src="/img/photo.png" alt="lazy">'
        '<picture><source srcset="/img/wide.webp" type="image/webp">'
        '<img id="picture" src="/img/wide.png" alt="picture"></picture>'
        f'<img id="cdn" src="{cdn_base}/img/cdn-photo.png" alt="cdn">'
        '<video poster="/img/poster.png" width="30"></video>'
        '<div class="encadre" style="background-image: url(/img/inline.png)">encadré</div>'
        f'<article>{ARTICLE}</article>'
        '<p id="js-status">script did not run</p>'
        '<a href="/second.html">La suite</a>'
        '<script src="/js/app.js"></script>'), head))
    main.site["/second.html"] = Page(path="/second.html", content_type="text/html; charset=utf-8",
                                     body=_html("Suite du budget", (
        "<h1>Le calendrier des travaux</h1>"
        '<img src="/img/photo.png" alt="the same photo, fetched once">'
        '<img src="/img/second.png" alt="second">'
        f"<article>{ARTICLE}</article>"
        '<a href="/index.html">Retour</a>'),
        '<link rel="stylesheet" href="/css/main.css">'))
    return site


# --- a site to crawl within a scope ---------------------------------------------------------

#: path -> (links on the page); hops from / are the depth
SCOPE_SITE = {
    "/": ("/a.html", "/b.html", "/news/1.html"),
    "/a.html": ("/a2.html", "/", "OTHER/x.html"),
    "/b.html": ("/b2.html", "/out"),
    "/news/1.html": ("/news/2.html", "/feed.xml"),
    "/a2.html": ("/a3.html",),
    "/b2.html": ("/b3.html",),
    "/news/2.html": (),
    "/a3.html": (),
    "/b3.html": (),
}


def scope_pages(base: str, other: str) -> dict[str, Page]:
    """The scope site's pages; ``OTHER`` in a link is the other host's base URL."""
    pages = {}
    for path, links in SCOPE_SITE.items():
        anchors = "".join(f'<li><a href="{link.replace("OTHER", other)}">{link}</a></li>'
                          for link in links)
        body = _html(f"Page {path}", f"<h1>Page {path}</h1><ul>{anchors}</ul>"
                     f"<article>{ARTICLE}</article>")
        pages[path] = Page(path=path, body=body, content_type="text/html; charset=utf-8")
    # a feed linked from a page: archived, not expanded (its entry is on the other host)
    pages["/feed.xml"] = Page(path="/feed.xml", content_type="application/rss+xml", body=(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        f"<item><title>x</title><link>{other}/x.html</link></item></channel></rss>"
    ).encode())
    # a link on the host that redirects to the other one
    pages["/out"] = Page(path="/out", body=b"", content_type="text/html; charset=utf-8",
                         status=302, headers=(("Location", f"{other}/x.html"),))
    return pages
