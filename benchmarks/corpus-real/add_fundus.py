"""Add a batch of fundus's parser test pages of publishers not yet in the real corpus.

    python benchmarks/corpus-real/add_fundus.py --mirror-dir /work/.mirror --batch 2|4

How batches 2 and 4 were made (kept so it can be checked, not run again). Batch 2: every
``tests/resources/parser/test_data/*/*.html.gz`` of flairNLP/fundus at the pinned commit whose
publisher has no page in batch 1, whose test JSON holds a body, and whose body is English or
Chinese by py3langid. A page's expected text is its body in that JSON (sections' headlines and
paragraphs; the summary, a standfirst, left out: ``build.normalise(..., "fundus_body")``), its
title the JSON's. fundus's maintainers write those JSON files for each publisher's hand-made
parser and review them with it, so the texts are taken as the dataset has them
(``expected_from: dataset``), not corrected here. All pages of one publisher form one group,
so a publisher is wholly in ``dev`` or wholly held out; the split follows
``build.assign_splits`` within the batch, decided before anything was tuned on it.

Batch 4, the same way, added after batch 3: every such page whose body is in a language other
than English, Chinese and French (German most of all), site class ``<language>-news``, for a
test of the extraction rules on languages they were never tuned on. Rules for our languages are
not tuned on it: it shows whether what was tuned is general.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = "flairNLP/fundus"
TEST_DATA = "tests/resources/parser/test_data"
SCRIPTS = {"zh": "Hans", "ja": "Jpan", "ko": "Kore", "ar": "Arab", "hi": "Deva", "ru": "Cyrl"}


def load_build():
    spec = importlib.util.spec_from_file_location("corpus_real_build", HERE / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    import py3langid

    build = load_build()
    parser = build.batch_parser(__doc__)
    parser.add_argument("--batch", type=int, choices=(2, 4), required=True)
    args = parser.parse_args(argv)

    def wanted(language: str) -> bool:
        ours = language in ("en", "zh")
        return ours if args.batch == 2 else not ours and language != "fr"

    manifest = build.load_manifest()
    commit = manifest["repositories"][REPOSITORY]["commit"]
    gitdir = build.mirror_or_exit(args.mirror_dir, REPOSITORY)
    known = {p["provenance"]["path"].rsplit("/", 1)[1].rsplit("_", 3)[0]
             for p in manifest["pages"] if p["provenance"]["repository"] == REPOSITORY}
    names = {p["name"] for p in manifest["pages"]}
    listing = subprocess.run(["git", f"--git-dir={gitdir}", "ls-tree", "-r", "--name-only",
                              commit, f"{TEST_DATA}/"], capture_output=True, text=True,
                             check=True).stdout.split()
    by_publisher: dict[tuple[str, str], list[str]] = {}
    for path in listing:
        if path.endswith(".html.gz"):
            folder, file = path.rsplit("/", 1)
            by_publisher.setdefault((folder, file.rsplit("_", 3)[0]), []).append(path)
    added = []
    for (folder, publisher), paths in sorted(by_publisher.items()):
        if publisher in known:
            continue
        tests = json.loads(build.show(gitdir, commit, f"{folder}/{publisher}.json"))
        crawls = json.loads(build.show(gitdir, commit, f"{folder}/meta.info"))
        # fundus pairs a publisher's pages, in date order, with its parser versions in order
        for path, key in zip(sorted(paths), tests, strict=True):
            body = tests[key].get("body")
            if not body:
                continue
            expected = build.normalise(body, "fundus_body")
            language = py3langid.classify(expected)[0]
            if not wanted(language):
                continue
            page_bytes = gzip.decompress(build.show(gitdir, commit, path))
            file = path.rsplit("/", 1)[1]
            date = file.removesuffix(".html.gz").rsplit("_", 3)[1:]
            name = f"fu-{language}-{publisher.lower()}-{''.join(date)}"
            if name in names:
                continue
            declared = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", page_bytes[:4096], re.I)
            page_bytes.decode("utf-8")  # every fundus page is UTF-8: fail loudly if not
            url = crawls[file]["url"]
            added.append({
                "name": name, "file": f"{name}.html", "url": url,
                "site": re.sub(r"^https?://([^/]+).*", r"\1", url),
                "site_class": "people" if language == "zh" else f"{language}-news",
                "language": language, "script": SCRIPTS.get(language, "Latn"),
                "encoding": "utf-8",
                "declared_charset": declared.group(1).decode() if declared else None,
                "content_type": "text/html", "kind": "article", "split": None,
                "batch": args.batch, "group": f"fundus-{publisher}",
                "title": tests[key].get("title"), "expected_from": "dataset",
                "provenance": {"repository": REPOSITORY, "commit": commit, "path": path,
                               "licence": manifest["repositories"][REPOSITORY]["licence"],
                               "original_url": url},
                "derived_from": None, "transformations": [{"op": "gunzip"}],
                "transformed": f"gunzipped ({file} is stored gzip-compressed in the repository)",
                "sha256": hashlib.sha256(page_bytes).hexdigest(),
                "expected": None,
                "expected_sha256": hashlib.sha256(expected.encode("utf-8")).hexdigest(),
                "expected_source": {"file": f"{folder}/{publisher}.json", "key": key,
                                    "field": "body", "normalise": "fundus_body"},
                "notes": (f"fundus parser test page ({publisher}, crawled "
                          f"{crawls[file]['crawl_date']}), batch {args.batch}: the expected text "
                          f"is fundus's test body for parser {key} as it is"),
            })
    build.add_pages(manifest, added, f" from {len({p['group'] for p in added})} publishers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
