"""Add the fifth batch of the real corpus: magic-html's benchmark articles that batch 1 left out.

    python benchmarks/corpus-real/add_magic_html.py --mirror-dir /work/.mirror

How batch 5 was made (kept so it can be checked, not run again): every page of
``benchmark/data/article/`` in opendatalab/magic-html at the commit batch 1 pinned that is
not in the corpus and whose hand-checked ``content`` is not Chinese by py3langid: English
(53) and thirteen other languages. Batch 1 had taken the Chinese pages and nine English ones.
The expected text is that ``content`` as the dataset has it, lines stripped (``strip_lines``),
with one mechanical change where the dataset's convention differs from the corpus's: a first
line equal to the page's ``<h1>`` (the headline) is left out (``drop_headline``) and is the
expected title (no title is scored where the first line is no ``<h1>``). Dates and
bylines the dataset keeps above the body stay: they cost both extractors alike. The pages of one
site form one group (wholly dev or wholly held out); the split follows ``build.assign_splits``
within the batch, decided before anything was tuned on it.
"""

from __future__ import annotations

import json
import re
import sys

import lxml.html
from add_fundus import SCRIPTS, load_build  # this script's folder is on sys.path when it runs

REPOSITORY = "opendatalab/magic-html"
ARTICLES = "benchmark/data/article"


def main(argv: list[str] | None = None) -> int:
    import py3langid

    build = load_build()
    args = build.batch_parser(__doc__).parse_args(argv)
    manifest = build.load_manifest()
    commit = manifest["repositories"][REPOSITORY]["commit"]
    gitdir = build.mirror_or_exit(args.mirror_dir, REPOSITORY)
    used = {p["provenance"]["path"] for p in manifest["pages"]
            if p["provenance"]["repository"] == REPOSITORY}
    names = {p["name"] for p in manifest["pages"]}
    base = json.loads(build.show(gitdir, commit, f"{ARTICLES}/base.json"))
    added = []
    for key, item in sorted(base.items()):
        path = f"{ARTICLES}/htmls/{key}.html"
        content = build.normalise(item["content"], "strip_lines")
        language = py3langid.classify(content)[0]
        if path in used or language in ("zh", "wuu") or not content:
            continue
        page_bytes = build.show(gitdir, commit, path)
        page_bytes.decode("utf-8")  # magic-html stores its pages as UTF-8: fail loudly if not
        expected = build.normalise(content, "drop_headline", page_bytes)
        url = item["url"]
        site = re.sub(r"^https?://([^/]+).*", r"\1", url)
        name = f"mh5-{language}-{site.removeprefix('www.').replace('.', '-')}-{key[:8]}"
        if name in names:
            continue
        headline = " ".join(lxml.html.fromstring(page_bytes).xpath("string(//h1)").split())
        first = " ".join(content.splitlines()[0].split())
        added.append(build.utf8_dataset_page(
            name, page_bytes, expected, url=url, site=site,
            site_class=f"{language}-news" if language != "en" else "en-news",
            language=language, script=SCRIPTS.get(language, "Latn"), batch=5,
            group=f"mh5-{site}", title=first if first == headline else None,
            provenance={"repository": REPOSITORY, "commit": commit, "path": path,
                        "licence": manifest["repositories"][REPOSITORY]["licence"],
                        "original_url": url},
            expected_source={"file": f"{ARTICLES}/base.json", "key": key,
                             "field": "content", "normalise": "drop_headline"},
            notes=("magic-html article benchmark page, batch 5: the expected text is the "
                   "dataset's hand-checked content as it is, lines stripped, a first line "
                   "equal to the page's <h1> left out; the title is that line (none where "
                   "the first line is not the <h1>)"),
        ))
    build.add_pages(manifest, added)
    return 0


if __name__ == "__main__":
    sys.exit(main())
