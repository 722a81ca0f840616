"""WeChat public-account articles (mp.weixin.qq.com): body, title, account, time; walls.

URLs: ``https://mp.weixin.qq.com/s/<token>`` keeps its path and loses its query;
``/s?__biz=...&mid=...&idx=...&sn=...`` keeps those four parameters only (``chksm``,
``scene`` and the tracking parameters vary between shares of one article).

Pages: the body is ``#js_content`` (hidden by an inline style until a script runs, images
in ``data-src``); the title is ``#activity-name`` or ``var msg_title``; the account is
``var nickname`` or ``#js_name``; the publish time is ``var ct = "<unix seconds>"``
(Asia/Shanghai). ``#publish_time`` is filled by a script and empty in the HTML as served.

Deleted articles ("该内容已被发布者删除", "此内容因违规无法查看") and walls ("环境异常"
with its captcha, "请在微信客户端打开链接") raise
:class:`~crawler.adapters.base.PageUnavailable` with ``kind`` ``"deleted"`` or
``"blocked"``: they are not articles.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

from crawler.adapters.base import PageUnavailable, join_url, url_parts
from crawler.adapters.html import HtmlAdapter
from crawler.adapters.html import first_text as _text
from crawler.text.dates import parse_date
from crawler.text.generic import MIN_TEXT_CHARS, clean_space, declared_language, fragment_text
from crawler.text.language import detect_language

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["WeChatAdapter"]

TIMEZONE = "Asia/Shanghai"
SITENAME = "微信公众平台"
HOST = "mp.weixin.qq.com"

_KEY_PARAMS = ("__biz", "mid", "idx", "sn")
_BODY_XPATH = '//div[@id="js_content"] | //div[contains(@class, "rich_media_content")]'

# The page says the article is gone (deleted by its author or removed by the platform)...
_DELETED_RE = re.compile(
    r"已被发布者删除|已被發布者刪除|因违规无法查看|因違規無法查看|涉嫌侵权|涉嫌侵權"
    r"|已被屏蔽|已被封禁|无法查看|無法查看|链接已过期|鏈接已過期|已停止访问|已停止訪問"
    r"|内容已删除|內容已刪除|已被删除|已被刪除"
)
# ...or the crawler was walled off (captcha, "open in WeChat", rate limit).
_BLOCKED_RE = re.compile(
    r"环境异常|環境異常|完成验证|完成驗證|去验证|去驗證|访问过于频繁|訪問過於頻繁|操作频繁"
    r"|请在微信客户端打开|請在微信客戶端打開|captcha|verify",
    re.IGNORECASE,
)
_BLOCKED_PATHS = ("/mp/wappoc_appmsgcaptcha", "/mp/verifycode", "/mp/waerrpage", "captcha")
# Where a notice page puts its message.
_NOTICE_XPATH = (
    '//*[contains(@class, "weui-msg__title") or contains(@class, "weui-msg__desc")'
    ' or contains(@class, "global_error_msg") or contains(@class, "msg_title")'
    ' or contains(@class, "tips") or @id="js_verify"]'
)
_NOTICE_MAX_CHARS = 600

# var nickname = htmlDecode("新智元"); var msg_title = '标题'.html(false); var ct = "1753272180";
_JS_STRING = r"""\s*[=:]\s*(?:htmlDecode\(\s*)?(?P<q>["'])(?P<v>(?:\\.|(?!(?P=q)).)*)(?P=q)"""
_JS_ESCAPE_RE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(.))")


def _js_var(script: str, *names: str) -> str | None:
    for name in names:
        match = re.search(
            r"(?:\bvar\s+|\blet\s+|[\s,{.;(]|^)[\"']?" + re.escape(name) + r"[\"']?" + _JS_STRING,
            script,
        )
        if match:
            value = _unescape_js(match["v"])
            if value:
                return value
    return None


def _unescape_js(value: str) -> str | None:
    def one(match: re.Match[str]) -> str:
        if match[1]:
            return chr(int(match[1], 16))
        if match[2]:
            return chr(int(match[2], 16))
        return match[3]

    return clean_space(html.unescape(_JS_ESCAPE_RE.sub(one, value)))


def _visible_text(element: HtmlElement) -> str:
    parts = [
        text
        for node in element.iter()
        if isinstance(node.tag, str) and node.tag not in ("script", "style", "noscript")
        for text in (node.text,)
        if text
    ]
    parts += [node.tail for node in element.iterdescendants() if node.tail]
    return clean_space(" ".join(parts)) or ""


def canonical_wechat_url(url: str) -> str:
    """The key of a WeChat article URL (see the module docstring); other URLs unchanged."""
    parts = url_parts(url)
    if (parts.hostname or "").lower() != HOST:
        return url
    if parts.path.startswith("/s/") and len(parts.path) > 3:
        return f"https://{HOST}{parts.path}"
    if parts.path in ("/s", "/s/", "/mp/appmsg/show"):
        query = parse_qs(parts.query)
        if all(query.get(k) for k in _KEY_PARAMS):
            return f"https://{HOST}/s?" + urlencode(
                [(k, query[k][0]) for k in _KEY_PARAMS], safe="="
            )
    return url


class WeChatAdapter(HtmlAdapter):
    """Public-account articles on mp.weixin.qq.com."""

    name = "wechat"
    hosts = (HOST,)

    def canonical_url(self, url: str) -> str:
        return canonical_wechat_url(url)

    def claims_html(self, tree: HtmlElement) -> bool:
        return bool(
            tree.xpath(
                'boolean(//div[@id="js_content"]) and '
                'boolean(//*[@id="activity-name" or @id="js_name" or @id="js_article"])'
            )
        )

    def extract(self, body: bytes, url: str, content_type: str | None) -> dict[str, Any] | None:
        path = url_parts(url).path.lower()
        if any(marker in path for marker in _BLOCKED_PATHS):
            raise PageUnavailable(f"verification page {path}", "blocked")
        return super().extract(body, url, content_type)

    def extract_tree(self, tree: HtmlElement, url: str) -> dict[str, Any] | None:
        """The article in a parsed WeChat page; raises PageUnavailable for notices."""
        bodies = tree.xpath(_BODY_XPATH)
        container = bodies[0] if bodies else None
        if container is None or not clean_space(container.text_content()):
            self._raise_if_notice(tree)
            if container is None:
                return None
        script = "\n".join(tree.xpath("//script[not(@src)]/text()"))
        title = (
            _text(tree, '//*[@id="activity-name"]')
            or _js_var(script, "msg_title")
            or _text(tree, '//meta[@property="og:title"]/@content')
            or _text(tree, "//title")
        )
        images = []
        for img in container.iter("img"):
            src = img.get("data-src") or img.get("src")
            if src and not src.startswith("data:"):
                src = join_url(url, src.strip())
                if src not in images:
                    images.append(src)
        text = fragment_text(container, title)
        if len(text) < MIN_TEXT_CHARS and not images:
            self._raise_if_notice(tree)
            return None

        account = _js_var(script, "nickname", "nick_name") or _text(
            tree, '//*[@id="js_name"] | //*[contains(@class, "profile_nickname")]'
        )
        writer = _text(
            tree,
            '//*[@id="js_author_name"] | //meta[@name="author"]/@content'
            ' | //meta[@property="og:article:author"]/@content',
        ) or _js_var(script, "author")
        ct = _js_var(script, "ct", "create_time")
        if ct and not ct.isdigit():
            ct = None
        published_time = parse_date(ct, tz=TIMEZONE) if ct else None
        if not published_time:
            published_time = parse_date(
                _text(tree, '//*[@id="publish_time"]') or _js_var(script, "publish_time"),
                tz=TIMEZONE,
            )
        link = _text(tree, '//meta[@property="og:url"]/@content') or _js_var(script, "msg_link")
        canonical = canonical_wechat_url(link) if link else None
        query = parse_qs(url_parts(link or url).query)
        biz = _js_var(script, "biz") or (query.get("__biz") or [None])[0]
        extra: dict[str, Any] = {
            "account": account,
            "biz": biz,
            "ct": ct,
            "mid": _js_var(script, "mid") or (query.get("mid") or [None])[0],
            "idx": _js_var(script, "idx") or (query.get("idx") or [None])[0],
            "user_name": _js_var(script, "user_name"),
            "images": images,
            "published_time": published_time,
        }
        result: dict[str, Any] = {
            "title": title,
            "text": text,
            "author": writer or account,
            "published": published_time,  # with time and +08:00 when the page gives them
            "sitename": _text(tree, '//meta[@property="og:site_name"]/@content') or SITENAME,
            "language": detect_language(text, declared_language(tree)),
            "tags": [],
            "description": _js_var(script, "msg_desc")
            or _text(tree, '//meta[@name="description" or @property="og:description"]/@content'),
            "image": _js_var(script, "msg_cdn_url")
            or _text(tree, '//meta[@property="og:image"]/@content'),
            "extra": {k: v for k, v in extra.items() if v},
        }
        # A copy served from another host stays keyed by its own URL.
        if canonical and url_parts(canonical).hostname == HOST and self.matches(url):
            result["url"] = canonical
        return result

    @staticmethod
    def _raise_if_notice(tree: HtmlElement) -> None:
        notice = " ".join(_visible_text(node) for node in tree.xpath(_NOTICE_XPATH)).strip()
        if not notice:
            body = tree.find("body")
            text = _visible_text(body) if body is not None else None
            if text and len(text) <= _NOTICE_MAX_CHARS:
                notice = text
        if not notice:
            return
        if _BLOCKED_RE.search(notice):
            raise PageUnavailable(notice[:200], "blocked")
        if _DELETED_RE.search(notice):
            raise PageUnavailable(notice[:200], "deleted")
