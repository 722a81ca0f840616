"""MediaWiki articles (Wikipedia in every language, and wikis on the same software).

The article is ``#mw-content-text .mw-parser-output``, without what MediaWiki puts around
the prose inside it: "[编辑]"/"[edit]" links on the headings, maintenance and notice boxes,
the infobox, the table of contents, navigation boxes, and the back matter from the first
"注释", "参考文献", "外部链接", "参见", "References", "See also"... heading on (notes,
citations and link lists are not the article). Title from ``#firstHeading``.

Matched on ``wikipedia.org`` and claimed by markup anywhere else (``#mw-content-text``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crawler.adapters.html import HtmlAdapter, container_article
from crawler.adapters.html import first_text as _text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["MediaWikiAdapter"]

_CONTENT = '//div[@id="mw-content-text"]'
_FURNITURE_CLASSES = (
    "mw-editsection", "infobox", "ambox", "tmbox", "ombox", "metadata", "navbox",
    "vertical-navbox", "sistersitebox", "toc", "mw-references-wrap", "reflist", "references",
    "noprint", "mw-jump-link", "catlinks", "printfooter",
)
_FURNITURE_XPATH = ".//*[" + " or ".join(
    f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'
    for name in _FURNITURE_CLASSES
) + ' or @id="toc" or self::style or self::script]'
_EDIT_LINK_RE = re.compile(r"\s*[\[［](?:编辑|編輯|edit|modifier|modifier le code)[\]］]\s*$",
                           re.IGNORECASE)
_BACK_MATTER = {
    "注释", "註釋", "注解", "註解", "脚注", "腳註", "参考文献", "參考文獻", "参考资料", "參考資料",
    "参考来源", "參考來源", "外部链接", "外部連結", "参见", "參見", "参阅", "參閱", "延伸阅读",
    "延伸閱讀", "相关条目", "相關條目", "references", "notes", "footnotes", "see also",
    "external links", "further reading", "bibliography", "sources", "notes et références",
    "références", "voir aussi", "liens externes", "bibliographie",
}


def _heading_text(element: HtmlElement) -> str:
    return _EDIT_LINK_RE.sub("", " ".join(element.text_content().split())).strip()


def _cut_back_matter(container: HtmlElement) -> None:
    for heading in container.xpath(".//h2"):
        if _heading_text(heading).casefold() not in _BACK_MATTER:
            continue
        # the heading's block at the container's level (newer skins wrap it in div.mw-heading)
        block = heading
        while block.getparent() is not None and block.getparent() is not container:
            block = block.getparent()
        if block.getparent() is None:
            return
        for following in [block, *block.itersiblings()]:
            container.remove(following)
        return


class MediaWikiAdapter(HtmlAdapter):
    """A MediaWiki article page: its prose, headings and lists, without the wiki's furniture."""

    name = "mediawiki"
    hosts = ("wikipedia.org",)

    def claims_html(self, tree: HtmlElement) -> bool:
        return bool(tree.xpath(f"boolean({_CONTENT})"))

    def extract_tree(self, tree: HtmlElement, url: str) -> dict[str, Any] | None:
        containers = tree.xpath(f'{_CONTENT}//div[contains(@class, "mw-parser-output")]') \
            or tree.xpath(_CONTENT)
        if not containers:
            return None
        container = containers[0]
        for element in container.xpath(_FURNITURE_XPATH):
            if element.getparent() is not None:
                element.drop_tree()
        _cut_back_matter(container)
        for heading in container.xpath(".//h2|.//h3|.//h4"):
            # the heading's text without its edit link, which is gone by now
            heading.text = _heading_text(heading)
            for child in list(heading):
                heading.remove(child)
        heading = _text(tree, '//h1[@id="firstHeading"]')
        title = _EDIT_LINK_RE.sub("", heading) if heading else _text(tree, "//title")
        return container_article(
            tree, container, title, None, None, {"site": "mediawiki"},
            image=_text(tree, '//meta[@property="og:image"]/@content'))
