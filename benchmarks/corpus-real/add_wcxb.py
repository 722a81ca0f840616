"""Add batch 9 (or 11, or 12) of the real corpus: English article pages of WCXB, the Web Content
eXtraction Benchmark (Murrough-Foley/web-content-extraction-benchmark, 2026, CC-BY-4.0).

    python benchmarks/corpus-real/add_wcxb.py --mirror-dir /work/.mirror            # batch 9
    python benchmarks/corpus-real/add_wcxb.py --mirror-dir /work/.mirror --part 1   # batch 11
    python benchmarks/corpus-real/add_wcxb.py --mirror-dir /work/.mirror --part 2   # batch 12

How it was made (kept so it can be checked, not run again): WCXB keeps 2,008 pages of 1,613
domains saved in 2025 (``{dev,test}/html/NNNN.html.gz``), each with a ground truth reviewed by
hand (``{dev,test}/ground-truth/NNNN.json``: the main content, one paragraph or heading a
block, the title, author and date apart). Its ``article`` pages (blog posts, news, guides,
reviews) whose main content py3langid calls English are the pool; a third of them is taken,
those whose file id's sha256 is 0 modulo 3, to keep the batch the size of the others. WCXB's
own dev/test split is not used: the corpus's rule splits the batch by domain, before anything
is scored on it. Pages are scored with their URL.

Batch 11 is the second third (sha256 1 modulo 3), added after batch 9 had been tuned on, less
the pages of any domain batch 9 holds: sites never looked at, a fresh test of the rules made
on batch 9's dev pages. Batch 12 is the last third (sha256 2 modulo 3), added after batch 11 had
been tuned on, less the domains of batches 9 and 11.

The expected text is the ground truth's ``main_content`` as it is (lines stripped, empty ones
dropped: ``normalise: strip_lines``); the expected title its ``title``. Its conventions are
close to ours (no title, byline or date above the body; headings on their own lines); it
keeps the call-outs inside an article ("Meet the experts: ...").
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys

from add_fundus import load_build  # this script's folder is on sys.path when it runs

REPOSITORY = "Murrough-Foley/web-content-extraction-benchmark"
SHARE = 3  # a third of the pool
BATCHES = (9, 11, 12)  # the batch of each third taken


def main(argv: list[str] | None = None) -> int:
    import py3langid

    build = load_build()
    parser = build.batch_parser(__doc__)
    parts = "; ".join(f"{part}: batch {batch}" for part, batch in enumerate(BATCHES))
    parser.add_argument("--part", type=int, choices=range(len(BATCHES)), default=0,
                        help=f"{parts} (each less the domains of the batches before it)")
    args = parser.parse_args(argv)
    batch = BATCHES[args.part]
    manifest = build.load_manifest()
    seen = {p["site"] for p in manifest["pages"] if p.get("batch") in BATCHES[:args.part]}
    commit, gitdir = build.batch_source(manifest, REPOSITORY, args.mirror_dir)
    files = json.loads(build.show(gitdir, commit, "metadata.json"))["files"]
    names = {p["name"] for p in manifest["pages"]}
    added, skipped = [], 0
    for file_id, info in sorted(files.items()):
        if info["page_type"] != "article":
            continue
        if int(hashlib.sha256(file_id.encode()).hexdigest(), 16) % SHARE != args.part:
            continue
        if args.part and info["domain"] in seen:
            continue
        truth_path = f"{info['split']}/ground-truth/{file_id}.json"
        truth = json.loads(build.show(gitdir, commit, truth_path))
        expected = build.normalise(truth["ground_truth"].get("main_content") or "", "strip_lines")
        if not expected or py3langid.classify(expected)[0] != "en":
            continue
        path = f"{info['split']}/html/{file_id}.html.gz"
        page_bytes = gzip.decompress(build.show(gitdir, commit, path))
        try:
            page_bytes.decode("utf-8")
        except UnicodeDecodeError:
            skipped += 1  # the corpus's other batches test decoding; this one, extraction
            continue
        name = f"wx-{info['domain'].removeprefix('www.').replace('.', '-')}-{file_id}"
        if name in names:
            continue
        declared = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", page_bytes[:4096], re.I)
        url = truth["url"]
        added.append({
            "name": name, "file": f"{name}.html", "url": url, "site": info["domain"],
            "site_class": "en-web", "language": "en", "script": "Latn", "encoding": "utf-8",
            "declared_charset": declared.group(1).decode() if declared else None,
            "content_type": "text/html", "kind": "article", "split": None, "batch": batch,
            "group": f"wx-{info['domain']}", "title": truth["ground_truth"].get("title"),
            "expected_from": "dataset",
            "provenance": {"repository": REPOSITORY, "commit": commit, "path": path,
                           "licence": manifest["repositories"][REPOSITORY]["licence"],
                           "original_url": url},
            "derived_from": None, "transformations": [{"op": "gunzip"}],
            "transformed": f"gunzipped ({file_id}.html.gz is stored gzip-compressed)",
            "sha256": hashlib.sha256(page_bytes).hexdigest(),
            "expected": None,
            "expected_sha256": hashlib.sha256(expected.encode("utf-8")).hexdigest(),
            "expected_source": {"file": truth_path, "key": "ground_truth",
                                "field": "main_content", "normalise": "strip_lines"},
            "notes": (f"WCXB article page, batch {batch}: the expected text is its hand-reviewed "
                      "main_content as it is, the title its ground truth's"),
        })
    build.add_pages(manifest, added, f" from {len({p['group'] for p in added})} domains; "
                    f"{skipped} not UTF-8 left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
