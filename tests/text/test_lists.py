"""A list between the paragraphs of an article that sits in no container trafilatura knows
(no ``<article>``, no ``post`` or ``content`` block) is kept, in its place; menus and the
lists trafilatura reads itself are left as they are."""

from __future__ import annotations

from crawler.extract import extract_html

URL = "https://blog.example.org/posts/end-to-end"
PARAGRAPHS = [
    "There is currently a debate in the community between the pragmatic school, which "
    "grounds its problems in tasks it can measure, and the ambitious one.",
    "In my mind, both of them get at something important, but both also miss something. "
    "What each of them gets right is worth saying first:",
    "On the other hand, the pragmatic school underweights how the parts compose, while the "
    "ambitious one feels indirect and slow to pay off.",
    "I think a better approach is to train assistants end to end on a task that can only be "
    "done well by someone who understands the model.",
]
ITEMS = [
    "The pragmatic school is right to ground its work in behaviours and data it can check.",
    "The ambitious school is right that much of what goes on inside is compositional.",
]


def _page(between: str, wrapper: str = "div") -> str:
    first, second, third, fourth = (f"<p>{p}</p>" for p in PARAGRAPHS)
    return ("<html><head><title>End-to-end, at scale</title></head><body>"
            '<div class="top"><a href="/">Blog</a></div>'
            f"<div><div><h1>End-to-end, at scale</h1><{wrapper}>{first}{second}{between}"
            f"{third}{fourth}</{wrapper}></div></div></body></html>")


def _bullets(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def test_a_list_between_paragraphs_outside_any_article_container_is_kept_in_place():
    result = extract_html(_page(_bullets(ITEMS)), URL)
    assert result is not None
    lines = result["text"].splitlines()
    assert [f"- {item}" for item in ITEMS] == lines[
        lines.index(PARAGRAPHS[1]) + 1:lines.index(PARAGRAPHS[2])]


def test_a_menu_beside_the_paragraphs_stays_out():
    menu = ('<ul><li><a href="/archive">All the posts of this blog, by month and year</a></li>'
            '<li><a href="/about">About the author of this blog and the work</a></li></ul>')
    result = extract_html(_page(menu), URL)
    assert result is not None
    assert all(p in result["text"] for p in PARAGRAPHS)
    assert "All the posts" not in result["text"]


def test_a_list_trafilatura_reads_in_an_article_is_not_doubled():
    result = extract_html(_page(_bullets(ITEMS), wrapper="article"), URL)
    assert result is not None
    for item in ITEMS:
        assert result["text"].count(item) == 1
