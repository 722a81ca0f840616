"""Add batch 10 of the real corpus: NewsDiff's test pages of Taiwanese and Hong Kong news.

    python benchmarks/corpus-real/add_newsdiff.py --mirror-dir /work/.mirror

How it was made (kept so it can be checked, not run again): NewsDiff (ronnywang/newsdiff, a
g0v project recording how Taiwanese news stories change) tests each site's parser on a page
saved in 2014, ``tests/models/Crawler/<Site>/data/<id>.html``, against the parse it expects,
``<id>.json`` (``title`` and ``body``), with the page's address in the folder's ``README.md``
(else the page's ``og:url`` or canonical link). Its fork yookoala/newsdiffHK keeps the same
tests and adds Hong Kong sites' (Passion Times, Sing Tao, TVB, Wen Wei Po); the fork's main
branch is the source of every page here, pinned. Every article page with an expected parse
is taken: 30 pages of 20 sites, 7 of them served as Big5 (UDN in Taiwan; Sing Tao and Wen
Wei Po in Hong Kong, three with characters of Big5-HKSCS), 2 with no charset declared. TTV's
page is left out: its expected parse is ``null``.

The expected texts are the sites' parsers' outputs, not checked sentence by sentence: they
hold what those parsers took, bylines, datelines and a site's closing lines (an app's
advertisement, hotline numbers) with the story, which the corpus's conventions leave out, so
every extractor loses a little on them. ``normalise: newsdiff_body`` takes off the HTML tags
the parsers left in and keeps only the lines that are in the page's text, which drops the
image addresses some parsers print, the style rules and scripts two took as text, and the
lines one parser (Wen Wei Po's, reading Big5 without its Hong Kong extension) misdecoded.
The title is the expected ``title`` where the page's text holds it.

Split by site (``group``: the site's folder), by ``build.assign_splits``, before anything was
scored on it.
"""

from __future__ import annotations

import json
import re
import sys

import lxml.html
from add_fundus import load_build  # this script's folder is on sys.path when it runs

REPOSITORY = "yookoala/newsdiffHK"
ROOT = "tests/models/Crawler"
HONG_KONG = {"PassionTimes", "RTHK", "SingTao", "TVB", "WenWeiPo"}


def _encoding(page: bytes, declared: str | None) -> str:
    if not declared or not declared.lower().startswith("big5"):
        return "utf-8"
    try:
        page.decode("big5")
    except UnicodeDecodeError:
        return "big5hkscs"
    return "big5"


def main(argv: list[str] | None = None) -> int:
    build = load_build()
    args = build.batch_parser(__doc__).parse_args(argv)
    manifest = build.load_manifest()
    commit, gitdir = build.batch_source(manifest, REPOSITORY, args.mirror_dir)
    listing = build.list_files(gitdir, commit, ROOT)
    names = {p["name"] for p in manifest["pages"]}
    added, left_out = [], []
    for path in sorted(listing):
        found = re.fullmatch(rf"{ROOT}/(\w+)/data/([\w-]+)\.html", path)
        if not found or found.group(2) == "listing":
            continue
        site, page_id = found.groups()
        name = f"nd-{site.lower()}-{page_id.lower()}"
        json_path = path.removesuffix(".html") + ".json"
        parse = json.loads(build.show(gitdir, commit, json_path))
        if parse is None or name in names:
            left_out.append(f"{site}/{page_id}: no expected parse" if parse is None else name)
            continue
        page_bytes = build.show(gitdir, commit, path)
        expected = build.normalise(parse["body"], "newsdiff_body", page_bytes)
        if not expected:  # the parser read a text the page does not hold
            left_out.append(f"{site}/{page_id}: its expected text is not in the page")
            continue
        readme = build.show(gitdir, commit, f"{ROOT}/{site}/data/README.md").decode("utf-8")
        address = re.search(rf"`{re.escape(page_id)}\.html`\s*From\s*:\s*(\S+)", readme)
        tree = lxml.html.fromstring(build.page_text_of(page_bytes))
        own = tree.xpath('string((//meta[@property="og:url"]/@content'
                         ' | //link[@rel="canonical"]/@href)[1])').strip()
        url = address.group(1) if address else (own or None)
        page_text = " ".join(tree.text_content().split())
        title = " ".join(parse["title"].replace("\u200b", "").split())
        declared = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", page_bytes[:4096], re.I)
        added.append(build.utf8_dataset_page(
            name, page_bytes, expected, url=url,
            site=re.sub(r"^https?://([^/]+).*", r"\1", url) if url else site,
            site_class="hk" if site in HONG_KONG else "tw", language="zh", script="Hant",
            batch=10, group=f"nd-{site}", title=title if title in page_text else None,
            provenance={"repository": REPOSITORY, "commit": commit, "path": path,
                        "licence": manifest["repositories"][REPOSITORY]["licence"],
                        "original_url": url, "saved": "2014-12"},
            expected_source={"file": json_path, "field": "body", "normalise": "newsdiff_body"},
            notes=("NewsDiff test page, batch 10: the expected text is the site parser's "
                   "expected output, tags taken off and only the lines in the page's text "
                   "kept; it holds bylines and closing lines the conventions leave out"),
            encoding=_encoding(page_bytes, declared.group(1).decode() if declared else None),
        ))
    build.add_pages(manifest, added, more="; left out: " + ", ".join(left_out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
