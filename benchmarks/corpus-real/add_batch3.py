"""Add the third batch of the real corpus: Chinese pages saved in GerapyAutoExtractor's samples
and in luin/readability's test fixtures, two sources issue 11 names that batches 1 and 2 had
not used.

    python benchmarks/corpus-real/add_batch3.py --mirror-dir /work/.mirror

How batch 3 was made (kept so it can be checked, not run again): every Chinese article page and
every list or search page in those two repositories, one capture per article (Gerapy keeps
the ifeng article in three captures, one edited by its maintainers for a test: left out), each
pinned at the repository's newest commit that holds all of its chosen files.
Neither source has expected texts. Each expected text here is the article container's text,
one line per block as the page lays it out (``container_lines``: markup read with lxml, no
extractor), with the lines to keep chosen by hand after reading them in the page; ``notes``
says what was left out and why, by the corpus's conventions (README). List and search pages
are negatives: no article. The split follows ``build.assign_splits`` within the batch,
decided when the pages were added.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import lxml.html
from add_fundus import load_build  # this script's folder is on sys.path when it runs

HERE = Path(__file__).resolve().parent
GERAPY, LUIN = "Gerapy/GerapyAutoExtractor", "luin/readability"
REPOSITORIES = {
    GERAPY: {"commit": "d65ddd09d4714db4615ea0d522829b20ca7805e5", "licence": "Apache-2.0",
             "licence_files": ["LICENSE"]},
    LUIN: {"commit": "6adb9d03c0b2d175cf074f61b282105c1feafaac",
           "licence": "Apache-2.0 (declared in package.json; the repository has no LICENSE file)",
           "licence_files": ["package.json"]},
}
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "br",
                     "table", "tr", "td", "section", "figure", "figcaption", "dd", "dt", "center"})

# (name, repository, commit, path, site, class, title, container XPath, kept line ranges, notes)
ARTICLES = [
    ("gr-163-us-covid", GERAPY, "d65ddd09d4714db4615ea0d522829b20ca7805e5",
     "samples/detail/netease_news1.html", "www.163.com", "163",
     "美国新冠肺炎确诊病例超278万例 死亡129227例", '//div[@class="post_body"]', [(11, 30)],
     "NetEase news page (2020-07-04, a browser copy: no charset declared, UTF-8); left out: the "
     "share bar and its QR prompt, the font-size control (T + -), the original-title note "
     "(原标题), the 延伸阅读 list, the source and editor line; the section headings 【...】 and "
     "the photo caption kept, 详情>> link texts kept as the paragraphs print them"),
    ("gr-chinanews-neixu", GERAPY, "d65ddd09d4714db4615ea0d522829b20ca7805e5",
     "samples/detail/china_news1.html", "www.chinanews.com.cn", "news",
     "【中国稳健前行】坚定实施扩大内需战略", '//div[contains(@class, "left_zw")]',
     [(0, 0), (2, 8)],
     "China News Service commentary (2020, a browser copy); kept: the editor's note (编者按) "
     "that opens the body, as prose of the page; left out: the labelled summary (内容摘要, a "
     "standfirst printed apart), the author credit line and the editor line"),
    ("lu-ifeng-xiongling", LUIN, "6adb9d03c0b2d175cf074f61b282105c1feafaac",
     "test/fixtures/ifeng.html", "inews.ifeng.com", "ifeng",
     "熊玲:什么样的婚姻才是鸡肋婚姻？", '//div[@class="zw-word"]', [(3, 10)],
     "ifeng mobile column page (2018-03-05); left out: the headline, the author and the date "
     "above the body, and the 查看原文 link"),
    ("lu-douban-group-interview", LUIN, "6adb9d03c0b2d175cf074f61b282105c1feafaac",
     "test/fixtures/douban-group-topic.html", "www.douban.com", "forum",
     "半年面试了上百人，经验总结。。", '//div[@class="topic-content"]', [(0, 65)],
     "douban group topic (2015-2016): the topic's post, every line of it, its update dates "
     "(2016.03.02) and a bare link line included as the author wrote them; the replies are "
     "outside the container"),
]
NEGATIVES = [
    ("gr-zhihu-search", GERAPY, "d65ddd09d4714db4615ea0d522829b20ca7805e5",
     "samples/list/zhihu_search_result.html",
     "www.zhihu.com", "Zhihu search results page: answer excerpts, no article"),
    ("gr-163-rolling-list", GERAPY, "d65ddd09d4714db4615ea0d522829b20ca7805e5",
     "samples/list/netease_rolling_news.html", "news.163.com",
     "NetEase rolling news list: headlines and times, no article"),
    ("gr-qq-important-list", GERAPY, "d65ddd09d4714db4615ea0d522829b20ca7805e5",
     "samples/list/tencent_important_news.html", "news.qq.com",
     "Tencent news 要闻 list page: headlines, no article"),
]


def container_lines(body: bytes, xpath: str) -> list[str]:
    """The text of the first element ``xpath`` selects, one line per block element, white
    space collapsed, scripts, styles and comments left out."""
    root = lxml.html.fromstring(body.decode("utf-8"))
    lines: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        line = " ".join("".join(pending).split())
        if line:
            lines.append(line)
        pending.clear()

    def walk(node) -> None:
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "noscript"):
            if node.tail:
                pending.append(node.tail)
            return
        block = node.tag in _BLOCKS
        if block:
            flush()
        pending.append(node.text or "")
        for child in node:
            walk(child)
        if block:
            flush()
        if node.tail:
            pending.append(node.tail)

    walk(root.xpath(xpath)[0])
    flush()
    return lines


def _entry(build, gitdir, name, repository, commit, path, site, site_class, kind, title,
           expected, notes):
    body = build.show(gitdir, commit, path)
    body.decode("utf-8")  # every page of this batch is UTF-8: fail loudly if not
    declared = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", body[:4096], re.I)
    return {
        "name": name, "file": f"{name}.html", "url": None, "site": site,
        "site_class": site_class, "language": "zh", "script": "Hans", "encoding": "utf-8",
        "declared_charset": declared.group(1).decode().lower() if declared else None,
        "content_type": "text/html", "kind": kind, "split": None, "batch": 3, "title": title,
        "expected_from": "hand",
        "provenance": {"repository": repository, "commit": commit, "path": path,
                       "licence": REPOSITORIES[repository]["licence"], "original_url": None},
        "derived_from": None, "transformations": [], "transformed": None,
        "sha256": hashlib.sha256(body).hexdigest(),
        "expected": expected,
        "expected_sha256": hashlib.sha256((expected or "").encode("utf-8")).hexdigest(),
        "notes": f"batch 3: {notes}",
    }


def main(argv: list[str] | None = None) -> int:
    build = load_build()
    args = build.batch_parser(__doc__).parse_args(argv)
    manifest = build.load_manifest()
    names = {p["name"] for p in manifest["pages"]}
    added = []
    for repository, info in REPOSITORIES.items():
        manifest["repositories"].setdefault(repository, info)
    for name, repository, commit, path, site, site_class, title, xpath, keep, notes in ARTICLES:
        gitdir = build.mirror_or_exit(args.mirror_dir, repository)
        lines = container_lines(build.show(gitdir, commit, path), xpath)
        kept = [line for start, end in keep for line in lines[start:end + 1]]
        notes = f"{notes}; expected: lines {keep} of the text of {xpath}, one line per block"
        if name not in names:
            added.append(_entry(build, gitdir, name, repository, commit, path, site, site_class,
                                "article", title, "\n".join(kept), notes))
    for name, repository, commit, path, site, notes in NEGATIVES:
        gitdir = build.mirror_or_exit(args.mirror_dir, repository)
        if name not in names:
            added.append(_entry(build, gitdir, name, repository, commit, path, site,
                                "negative", "negative", None, None, notes))
    build.add_pages(manifest, added)
    held = [p["name"] for p in added if p["split"] == "heldout"]
    print(f"added {len(added)} pages; held out: {', '.join(held) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
