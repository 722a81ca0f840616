"""A site with pages that need JavaScript beside ordinary ones, for the rendering tests.

- ``/app/story.html``: an app shell (``<div id="app">`` and one script) whose script asks
  ``/api/story.json`` (XHR) for the article and writes it into the page; the script also
  loads an image, asks the same JSON a second time (``fetch``) and follows a redirect.
- ``/app/inline.html``: a shell whose inline script fetches ``/api/inline.json``, with a
  menu and a ``<noscript>`` notice that extraction alone would take for an article.
- ``/news/plain.html``: an ordinary article (with a harmless inline script).
- ``/news/index.html``: an ordinary page without an article and without scripts.
- ``/app/slow.html``, ``/app/after.html``, ``/app/hang.html``: shells for the crash test:
  the first one's XHR (``/api/slow.json``) waits until the test lets it go; the second's
  HTML is served once that XHR has arrived; the third's script never ends.

Served by the fixture server (``crawler.demo.site``), every request recorded with its
headers; JSON and HTML are gzipped when asked (the browser asks).
"""

from __future__ import annotations

import json
import threading

from crawler.demo.site.pages import Page
from crawler.demo.site.server import FixtureServer
from tests.requisites_site import png

STORY_TITLE = "城市更新计划公布：老城区将新增三座公园"
STORY = [
    "市政府周二公布了老城区更新计划，未来三年将在旧厂房和闲置用地上新建三座公园，"
    "并改造沿河步道。计划由市规划局牵头，预计总投资约十二亿元。",
    "规划局负责人表示，新公园将优先照顾老年人和儿童的需求，设置无障碍通道和遮阳设施。"
    "首座公园预计明年春天开工，届时周边道路将分段施工。",
    "部分居民担心施工期间的噪音和交通问题。对此，区政府承诺将夜间施工控制在最低限度，"
    "并在每个施工阶段前召开居民说明会。",
]
INLINE_TITLE = "Le marché couvert rouvre après deux ans de travaux"
INLINE = [
    "Le marché couvert du centre-ville a rouvert samedi matin, après deux ans de travaux "
    "de rénovation. Une soixantaine de commerçants ont retrouvé leurs étals.",
    "La charpente métallique d'origine a été conservée et repeinte, et une verrière neuve "
    "laisse entrer la lumière du jour. La mairie espère attirer de nouveaux clients.",
]
PLAIN_TITLE = "La bibliothèque municipale étend ses horaires"
PLAIN = ("<p>La bibliothèque municipale sera désormais ouverte jusqu'à vingt heures en semaine "
         "et le dimanche matin, a annoncé la mairie lundi. Le nouvel horaire entre en vigueur "
         "le mois prochain.</p><p>Deux postes de bibliothécaires ont été créés pour assurer "
         "ces ouvertures. Les usagers réclamaient depuis longtemps des horaires mieux adaptés "
         "aux personnes qui travaillent.</p><p>La salle de lecture du premier étage sera "
         "aussi réaménagée, avec davantage de places assises et des prises électriques.</p>")

HTML = "text/html; charset=utf-8"


def _html(title: str, body: str, head: str = "", lang: str = "zh") -> bytes:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title>{head}</head><body>{body}</body></html>").encode()


APP_JS = """
(function () {
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/api/story.json');
  xhr.onload = function () {
    var data = JSON.parse(xhr.responseText);
    document.title = data.title;
    var html = '<article><h1>' + data.title + '</h1>';
    data.paragraphs.forEach(function (p) { html += '<p>' + p + '</p>'; });
    html += '<img id="figure" src="/img/figure.png" alt="figure"></article>';
    document.getElementById('app').innerHTML = html;
    // The same answer again (the browser must ask the server again: its cache is off),
    // and a request that is redirected.
    fetch('/api/story.json').then(function () { return fetch('/api/moved'); });
  };
  xhr.send();
})();
"""


class GatedServer(FixtureServer):
    """The fixture server, with requests that wait: ``/api/slow.json`` until
    :attr:`release` is set, ``/app/after.html`` until ``/api/slow.json`` was asked for."""

    def __init__(self, site: dict[str, Page]) -> None:
        super().__init__(site=site)
        self.slow_asked = threading.Event()
        self.release = threading.Event()

    def lookup(self, target: str) -> Page | None:
        path = target.split("?", 1)[0]
        if path == "/api/slow.json":
            self.slow_asked.set()
            self.release.wait(60)
        elif path == "/app/after.html":
            self.slow_asked.wait(60)
        return super().lookup(target)


def render_pages() -> dict[str, Page]:
    site: dict[str, Page] = {}

    def add(path: str, body: bytes, content_type: str = HTML, **kwargs: object) -> None:
        site[path] = Page(path=path, body=body, content_type=content_type, **kwargs)

    add("/app/story.html", _html("新闻", '<div id="app">加载中…</div>',
                                 '<script src="/app/app.js" defer></script>'))
    add("/app/app.js", APP_JS.encode(), "application/javascript; charset=utf-8")
    add("/api/story.json", json.dumps({"title": STORY_TITLE, "paragraphs": STORY},
                                      ensure_ascii=False).encode(),
        "application/json; charset=utf-8")
    add("/api/moved", b"", status=302, headers=(("Location", "/api/ping.json"),))
    add("/api/ping.json", b'{"ok": true}', "application/json")
    add("/img/figure.png", png(24, 16, (30, 120, 200)), "image/png")
    # A menu and a <noscript> notice, which extraction takes for an article: no article.
    add("/app/inline.html", _html("Actualités", (
        '<nav><a href="/">Accueil</a> <a href="/news/index.html">Rubriques</a></nav>'
        "<noscript><p>Ce site a besoin de JavaScript pour afficher les articles. Activez "
        "JavaScript dans votre navigateur, puis rechargez la page.</p></noscript>"
        '<main id="content"></main><script>'
        "fetch('/api/inline.json').then(function (r) { return r.json(); })"
        ".then(function (d) { document.getElementById('content').innerHTML = "
        "'<article><h1>' + d.title + '</h1>' + d.paragraphs.map(function (p) "
        "{ return '<p>' + p + '</p>'; }).join('') + '</article>'; });</script>"), lang="fr"))
    add("/api/inline.json", json.dumps({"title": INLINE_TITLE, "paragraphs": INLINE}).encode(),
        "application/json")
    add("/news/plain.html", _html(PLAIN_TITLE, f"<article><h1>{PLAIN_TITLE}</h1>{PLAIN}"
                                  "</article><script>window.pageViews = 1;</script>",
                                  lang="fr"))
    add("/news/index.html", _html("Rubriques", '<h1>Rubriques</h1><ul>'
                                  '<li><a href="/news/plain.html">Bibliothèque</a></li></ul>',
                                  lang="fr"))
    # the crash test's pages
    for name in ("slow", "after"):
        add(f"/app/{name}.html", _html(name, '<div id="app"></div><script>'
                                       f"fetch('/api/{name}.json').then(r => r.json())"
                                       ".then(d => { document.getElementById('app').innerHTML ="
                                       " '<article><h1>' + d.title + '</h1><p>' + d.text + "
                                       "'</p></article>'; });</script>"))
        add(f"/api/{name}.json", json.dumps({"title": f"{name} {STORY_TITLE}",
                                             "text": "".join(STORY)},
                                            ensure_ascii=False).encode(), "application/json")
    add("/app/hang.html", _html("hang", '<div id="app"></div><script>'
                                "fetch('/api/after.json').then(() => { for (;;) {} });"
                                "</script>"))
    return site


def start_render_site() -> GatedServer:
    """Start the site on 127.0.0.1 (a free port)."""
    return GatedServer(render_pages()).start()


def browser_requests(server: FixtureServer) -> list[str]:
    """Paths the browser asked for (its user agent names Chrome; the crawler's own does not)."""
    return [request.path for request in server.requests
            if "Chrome/" in (request.header("User-Agent") or "")]
