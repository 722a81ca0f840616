"""What a page embeds and links to (crawler.frontier.links)."""

from __future__ import annotations

from crawler.frontier.links import Requisite, discover, srcset_urls, stylesheet_urls

BASE = "https://news.example/world/story.html"


def urls(found):
    return [r.url for r in found.requisites]


def test_images_in_every_form():
    page = b"""<html><body>
    <img src="a.jpg"><img srcset="b-1x.jpg 1x, /b-2x.jpg 2x" src="b-1x.jpg">
    <img data-src="//cdn.example/lazy.jpg" src="data:image/gif;base64,R0lGOD">
    <img data-original="/orig.jpg"><img data-srcset="c-320.jpg 320w, c-640.jpg 640w">
    <picture><source srcset="d.webp" type="image/webp"><img src="d.jpg"></picture>
    <video poster="/poster.jpg"><source src="/clip.mp4"><track src="/subs.vtt"></video>
    <input type="image" src="/go.png"><table background="/tile.gif"></table>
    </body></html>"""
    assert urls(discover(page, BASE)) == [
        "https://news.example/world/a.jpg",
        "https://news.example/world/b-1x.jpg",
        "https://news.example/b-2x.jpg",
        "https://cdn.example/lazy.jpg",
        "https://news.example/orig.jpg",
        "https://news.example/world/c-320.jpg",
        "https://news.example/world/c-640.jpg",
        "https://news.example/world/d.webp",
        "https://news.example/world/d.jpg",
        "https://news.example/poster.jpg",
        "https://news.example/clip.mp4",
        "https://news.example/subs.vtt",
        "https://news.example/go.png",
        "https://news.example/tile.gif",
    ]


def test_stylesheets_scripts_icons_and_inline_css():
    page = b"""<html><head>
    <link rel="stylesheet" href="/s.css"><link rel="alternate stylesheet" href="/alt.css">
    <link rel="shortcut icon" href="/favicon.ico"><link rel="apple-touch-icon" href="/t.png">
    <link rel="preload" as="font" href="/f.woff2"><link rel="preload" as="style" href="/p.css">
    <link rel="canonical" href="/canonical.html"><link rel="alternate" href="/feed.xml">
    <script src="/app.js"></script><script>var x = "/not-a-requisite.js";</script>
    <style>@import url("/imported.css"); body { background: url(bg.png) }</style>
    </head><body><div style="background-image:url('/inline.png')">x</div></body></html>"""
    found = discover(page, BASE)
    assert found.requisites == (
        Requisite("https://news.example/s.css", stylesheet=True),
        Requisite("https://news.example/alt.css", stylesheet=True),
        Requisite("https://news.example/favicon.ico"),
        Requisite("https://news.example/t.png"),
        Requisite("https://news.example/f.woff2"),
        Requisite("https://news.example/p.css", stylesheet=True),
        Requisite("https://news.example/app.js"),
        Requisite("https://news.example/imported.css", stylesheet=True),
        Requisite("https://news.example/world/bg.png"),
        Requisite("https://news.example/inline.png"),
    )


def test_links_are_pages_not_requisites():
    page = b"""<html><head><base href="https://news.example/base/"></head><body>
    <a href="next.html#comments">next</a><a href="next.html">again</a>
    <a href="mailto:x@y.z">mail</a><a href="javascript:void(0)">js</a><a href="#top">top</a>
    <map><area href="/map.html"></map><a href="ftp://files.example/x">ftp</a>
    <iframe src="/frame.html"></iframe><img src="i.png"></body></html>"""
    found = discover(page, BASE)
    assert found.links == ("https://news.example/base/next.html", "https://news.example/map.html")
    assert urls(found) == ["https://news.example/base/i.png"]
    assert not found.nofollow


def test_what_follows_an_early_end_of_document_is_found():
    # a header partial closes the document; the browser shows, and loads, what follows
    page = b"""<html><head><link rel="stylesheet" href="/site.css"></head><body>
    <header><a href="/">home</a></header></body></html>
    <article><img src="figure.jpg"><a href="/world/next.html">next story</a></article>"""
    found = discover(page, BASE)
    assert urls(found) == ["https://news.example/site.css", "https://news.example/world/figure.jpg"]
    assert found.links == ("https://news.example/", "https://news.example/world/next.html")


def test_meta_robots_nofollow_and_encodings():
    page = '<html><head><meta name="robots" content="noindex, nofollow"><meta charset="gbk">' \
           '</head><body><img src="/图片.jpg?q=新闻"></body></html>'
    found = discover(page.encode("gbk"), BASE, "gb18030")
    assert found.nofollow
    # paths in UTF-8, queries in the page's encoding, as browsers send them
    assert urls(found) == ["https://news.example/%E5%9B%BE%E7%89%87.jpg?q=%D0%C2%CE%C5"]


def test_empty_and_broken_pages():
    assert discover(b"", BASE).requisites == ()
    assert discover(b"\x00\x01 not html at all", BASE).links == ()
    assert urls(discover(b"<img src='a.png'", BASE)) in ([], ["https://news.example/world/a.png"])


def test_srcset_parsing():
    assert srcset_urls("a.jpg 1x, b.jpg 2x") == ["a.jpg", "b.jpg"]
    assert srcset_urls("a.jpg 480w,b.jpg 800w") == ["a.jpg", "b.jpg"]
    assert srcset_urls("https://x.example/i,w_100.jpg 100w, c.jpg") == [
        "https://x.example/i,w_100.jpg", "c.jpg"]
    assert srcset_urls("only.jpg") == ["only.jpg"]
    assert srcset_urls("  ") == [] and srcset_urls(None) == []


def test_stylesheet_urls():
    css = b"""@charset "utf-8";
    @import "base.css"; @import url('print.css') print; @import url(theme.css);
    /* url(commented.png) */
    @font-face { src: url("../fonts/a.woff2") format("woff2"), url(../fonts/a.woff); }
    .x { background: url( 'img/x.png' ) } .y { background: url(data:image/png;base64,AA) }
    .z { background-image: url(\\2f esc.png); }
    .hd { background-image: -webkit-image-set("hd-1x.png" 1x, url(hd-2x.png) 2x); }"""
    found = stylesheet_urls(css, "https://cdn.example/css/site.css")
    assert found == [
        Requisite("https://cdn.example/css/base.css", stylesheet=True),
        Requisite("https://cdn.example/css/print.css", stylesheet=True),
        Requisite("https://cdn.example/css/theme.css", stylesheet=True),
        Requisite("https://cdn.example/fonts/a.woff2"),
        Requisite("https://cdn.example/fonts/a.woff"),
        Requisite("https://cdn.example/css/img/x.png"),
        Requisite("https://cdn.example/esc.png"),
        Requisite("https://cdn.example/css/hd-2x.png"),
        Requisite("https://cdn.example/css/hd-1x.png"),
    ]


def test_a_base_href_urllib_refuses_is_ignored():
    found = discover(b'<html><head><base href="http://[broken/"></head><body>'
                     b'<a href="/next.html">next</a><img src="a.png"></body></html>',
                     "https://news.example.com/a/1.html")
    assert found.links == ("https://news.example.com/next.html",)
    assert [r.url for r in found.requisites] == ["https://news.example.com/a/a.png"]
