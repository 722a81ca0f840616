"""Threads and answers: the post a URL addresses, not the page of replies around it.

- **Discuz!** (the software of most Chinese forums, on any host): a thread page
  (``forum.php?mod=viewthread``, ``thread-<tid>-1-1.html``, ``viewthread.php``) holds each
  post in an element ``#postmessage_<pid>``; the article is the first post (the topic), or
  the post a ``pid`` in the URL names. Title from ``#thread_subject``, author from the
  post's ``.authi a``.
- **Zhihu** answers (``zhihu.com/question/<qid>/answer/<aid>``): the answer item whose
  ``name`` is ``<aid>``, not the other answers the page appends.

Claimed by markup (``claims_html``), so a saved copy reads the same; any other page takes
the generic path.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from crawler.adapters.base import url_parts
from crawler.adapters.html import HtmlAdapter, container_article
from crawler.adapters.html import first_text as _text
from crawler.text.cleanup import headline
from crawler.text.dates import parse_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["DiscuzAdapter", "ZhihuAdapter"]

_POSTS = '//*[starts-with(@id, "postmessage_")]'
_PID_RE = re.compile(r"(?:^|[#&?])pid=?(\d+)|#pid(\d+)")
_ANSWER_PATH_RE = re.compile(r"^/question/\d+/answer/(\d+)/?$")


class DiscuzAdapter(HtmlAdapter):
    """Discuz! thread pages, on whatever host: the topic post (or the post ``pid`` names)."""

    name = "discuz"

    def claims_html(self, tree: HtmlElement) -> bool:
        return bool(tree.xpath(f"boolean({_POSTS})"))

    def extract_tree(self, tree: HtmlElement, url: str) -> dict[str, Any] | None:
        posts = tree.xpath(_POSTS)
        if not posts:
            return None
        post = posts[0]
        match = _PID_RE.search(url or "")
        wanted = next((g for g in (match.groups() if match else ()) if g), None)
        if wanted is None:
            wanted = (parse_qs(url_parts(url).query).get("pid") or [None])[0]
        if wanted:
            post = next((p for p in posts if p.get("id") == f"postmessage_{wanted}"), post)
        pid = post.get("id", "")[len("postmessage_"):]
        frame = next(iter(tree.xpath(f'//*[@id="post_{pid}"]')), None) if pid else None
        author = _text(frame, './/*[contains(@class, "authi")]//a') if frame is not None \
            else None
        published = None
        if frame is not None:
            published = parse_date(_text(frame, './/*[starts-with(@id, "authorposton")]'))
        title = _text(tree, '//*[@id="thread_subject"]') or headline(tree, _text(tree, "//title"))
        return container_article(tree, post, title, author, published, {"post_id": pid})


class ZhihuAdapter(HtmlAdapter):
    """Zhihu answer pages: the answer the URL names."""

    name = "zhihu"
    hosts = ("zhihu.com",)

    def claims_html(self, tree: HtmlElement) -> bool:
        return bool(tree.xpath('boolean(//div[contains(@class, "QuestionAnswer-content")])'))

    def extract_tree(self, tree: HtmlElement, url: str) -> dict[str, Any] | None:
        match = _ANSWER_PATH_RE.match(url_parts(url).path)
        items = []
        if match:
            items = tree.xpath(f'//div[contains(@class, "AnswerItem")][@name="{match[1]}"]')
        if not items:
            items = tree.xpath('//div[contains(@class, "QuestionAnswer-content")]'
                               '//div[contains(@class, "AnswerItem")]')
        if not items:
            return None
        item = items[0]
        body = next(iter(item.xpath('.//*[contains(@class, "RichText")]')), None)
        if body is None:
            return None
        title = _text(tree, '//h1[contains(@class, "QuestionHeader-title")]') or headline(
            tree, _text(tree, "//title"))
        author = _text(item, './/meta[@itemprop="name"]/@content')
        published = parse_date(_text(item, './/meta[@itemprop="dateCreated"]/@content'))
        return container_article(tree, body, title, author, published,
                        {"answer_id": item.get("name"), "site": "zhihu"})
