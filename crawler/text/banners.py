"""Cookie-consent banners and consent-management platforms, pruned from a page before
extraction: never article text, and trafilatura's class and id patterns miss many of them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["prune_consent_banners"]

# Cookie-consent banners that trafilatura's class/id patterns miss (e.g. class="bandeau-rgpd"
# outside an <article>): a small container that mentions cookies and offers consent controls.
_COOKIE_TEXT_XPATH = (
    '//text()[contains(., "ookie") or contains(., "OOKIE")]'  # Cookie, cookie, COOKIE
    "[not(ancestor::script or ancestor::style or ancestor::noscript)]"
)
_BANNER_TAGS = frozenset({"div", "section", "aside", "dialog", "form", "footer", "header", "p"})
_BANNER_STOP_TAGS = frozenset({"body", "html", "main", "article"})
_BANNER_MAX_CHARS = 2000
_CONSENT_CONTROL_RE = re.compile(
    r"accept|agree|allow|refus|reject|decline|consent|\bok\b|got it|compris|param[eé]tr"
    r"|personnali[sz]|manage|settings|pr[eé]f[eé]rences|同意|接受|拒绝|拒絕|知道了|确定|確定",
    re.IGNORECASE,
)
_CONSENT_CONTROL_MAX_CHARS = 40
_BANNER_SLACK_CHARS = 200


# Length of the element's text outside scripts, counted only up to just past ``limit``.
def _text_size(element: HtmlElement, limit: int) -> int:
    size = 0
    for node in element.iter():
        if node is not element and node.tail:
            size += len(node.tail)
        if node.text and node.tag not in ("script", "style"):
            size += len(node.text)
        if size > limit:
            break
    return size


def _has_consent_control(element: HtmlElement) -> bool:
    for control in element.iter("button", "a", "span", "label", "input"):
        if control.tag == "span" and _in_code(control, element):
            continue  # a listing's highlighted token ("// body OK to log"), not a button
        label = (control.get("value") if control.tag == "input" else control.text_content()) or ""
        label = label.strip()
        if label and len(label) <= _CONSENT_CONTROL_MAX_CHARS and _CONSENT_CONTROL_RE.search(label):
            return True
    return False


def _in_code(node: HtmlElement, within: HtmlElement) -> bool:
    for ancestor in node.iterancestors():
        if ancestor.tag in ("pre", "code"):
            return True
        if ancestor is within:
            return within.tag in ("pre", "code")
    return False


# The containers of consent-management platforms (OneTrust, Cookiebot, Didomi, Quantcast,
# Sourcepoint, TrustArc, consentmanager, Usercentrics): never article text, and too big for
# the banner rule below (OneTrust ships a whole cookie notice, 10,000 characters).
_CMP_IDS = frozenset({
    "onetrust-consent-sdk", "onetrust-banner-sdk", "onetrust-pc-sdk", "CybotCookiebotDialog",
    "didomi-host", "qc-cmp2-container", "truste-consent-track", "cmpbox", "cmpwrapper",
    "usercentrics-root",
})
_CMP_ID_PREFIXES = ("sp_message_container",)


def _consent_platforms(tree: HtmlElement) -> list[HtmlElement]:
    # Every element with an id, checked here: an XPath of eleven id tests costs ten times more.
    return [element for element in tree.xpath("//*[@id]")
            if (id_ := element.get("id")) in _CMP_IDS or id_.startswith(_CMP_ID_PREFIXES)]


def prune_consent_banners(tree: HtmlElement) -> None:
    """Remove the consent platforms' containers and the small cookie banners of a page."""
    for platform in _consent_platforms(tree):
        if platform.getparent() is not None and platform.find(".//h1") is None:
            platform.drop_tree()
    banners = []
    too_big: set[HtmlElement] = set()  # pages about cookies (recipes!) have many hits
    for text_node in tree.xpath(_COOKIE_TEXT_XPATH):
        element = text_node.getparent()
        if element is None:
            continue
        banner, banner_size = None, 0
        for node in (element, *element.iterancestors()):
            if node.tag in _BANNER_STOP_TAGS or node in too_big:
                break
            size = _text_size(node, _BANNER_MAX_CHARS)
            if size > _BANNER_MAX_CHARS:
                too_big.add(node)
                break
            # Stop where the container holds much more than the banner: that is the page.
            if banner is not None and size > banner_size + _BANNER_SLACK_CHARS:
                break
            if node.tag in _BANNER_TAGS and _has_consent_control(node):
                banner, banner_size = node, size
        if banner is not None:
            banners.append(banner)
    for banner in banners:
        if banner.getparent() is not None and not any(
            ancestor in banners for ancestor in banner.iterancestors()
        ):
            banner.drop_tree()
