"""Add batch 8 of the real corpus: Apple Daily Taiwan's charity-case stories.

    python benchmarks/corpus-real/add_appledaily.py --mirror-dir /work/.mirror

How it was made (kept so it can be checked, not run again): joanne3634/appledaily, a
project that collected the stories of Apple Daily Taiwan's charity column (蘋果基金會),
keeps 918 of its pages as they were downloaded (``db_articles/files/``, named by their
URL-encoded address), a trimmed copy of each (``db_articles/A<case>.htm``) and, for 334
cases, the story as text (``db_articles_txt/*/A<case>.txt``: the headline, then the body one
paragraph a line). Every case with a text whose trimmed copy names (``og:url``) a page kept
as downloaded is taken: 334 pages of 2015-2016, Traditional Chinese, UTF-8 and declared so,
each with its URL (scored with it; no site adapter knows the site).

The texts are the collecting project's own, not checked sentence by sentence here: every line
of every one is in its page's text (checked when the batch was added), and the ones read by
hand hold the body without the photo captions, the reporter's credit (``報導•攝影╱...``)
and the case number under the story, which the corpus's conventions would keep, leave out
and leave out. The expected text is the file without its first line
(``normalise: drop_first_line``); the expected title is the page's headline, ``<h1
id="h1">`` (which prints the case number before the text's headline), where it holds the
text's first line, else none.

One site, so the split cannot be by site: the pages of one month form one group, wholly dev
or wholly held out (``build.assign_splits`` within the batch, decided before anything was
scored on it), which tests the rules across the months' changes to the template and to the
stories, not across sites.
"""

from __future__ import annotations

import re
import sys
import urllib.parse

import lxml.html
from add_fundus import load_build  # this script's folder is on sys.path when it runs

REPOSITORY = "joanne3634/appledaily"
ROOT = "start_charity_dev/db_articles"
TEXTS = "start_charity_dev/db_articles_txt"


def main(argv: list[str] | None = None) -> int:
    build = load_build()
    args = build.batch_parser(__doc__).parse_args(argv)
    manifest = build.load_manifest()
    commit, gitdir = build.batch_source(manifest, REPOSITORY, args.mirror_dir)
    listing = build.list_files(gitdir, commit, TEXTS, f"{ROOT}/files")
    kept = set(listing)
    names = {p["name"] for p in manifest["pages"]}
    added = []
    for text_path in sorted(p for p in listing if p.startswith(TEXTS) and p.endswith(".txt")):
        case = text_path.rsplit("/", 1)[1].removesuffix(".txt")
        trimmed = build.show(gitdir, commit, f"{ROOT}/{case}.htm").decode("utf-8", "replace")
        found = re.search(r'property="og:url" content="([^"]+)"', trimmed)
        if not found:
            continue
        url = found.group(1)
        path = f"{ROOT}/files/{urllib.parse.quote(url, safe='')}"
        name = f"ad-appledaily-{case}"
        if path not in kept or name in names:
            continue
        page_bytes = build.show(gitdir, commit, path)
        page_text = " ".join(lxml.html.fromstring(page_bytes).text_content().split())
        text = build.show(gitdir, commit, text_path).decode("utf-8")
        expected = build.normalise(text, "drop_first_line")
        # the collecting project's lines must be the page's: fail loudly if one is not
        assert all(" ".join(line.split()) in page_text for line in expected.splitlines()), case
        first = " ".join(text.strip().splitlines()[0].split())
        headlines = lxml.html.fromstring(page_bytes).xpath('//h1[@id="h1"]')
        headline = " ".join(headlines[0].text_content().split()) if headlines else ""
        month = url.split("/")[-3][:6]
        added.append(build.utf8_dataset_page(
            name, page_bytes, expected, url=url, site="www.appledaily.com.tw",
            site_class="tw", language="zh", script="Hant", batch=8,
            group=f"ad-{month}", title=headline if first and first in headline else None,
            provenance={"repository": REPOSITORY, "commit": commit, "path": path,
                        "licence": manifest["repositories"][REPOSITORY]["licence"],
                        "original_host": "www.appledaily.com.tw", "saved": month},
            expected_source={"file": text_path, "normalise": "drop_first_line"},
            notes=("Apple Daily Taiwan charity-case story, batch 8: the expected text is the "
                   "collecting project's text without its first line (the headline); it "
                   "leaves out photo captions, the reporter's credit and the case number; "
                   "the title is the page's <h1 id=h1>"),
        ))
    build.add_pages(manifest, added)
    return 0


if __name__ == "__main__":
    sys.exit(main())
