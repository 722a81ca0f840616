"""Add a batch of the real corpus from the DAnIEL corpus: its Chinese news pages (batch 6)
or its English ones (batch 7).

    python benchmarks/corpus-real/add_daniel.py --mirror-dir /work/.mirror --language Chinese

How batch 6 was made (kept so it can be checked, not run again): every page of
``corpora/Corpus_daniel_v2.1/`` in rundimeco/waddle (Lejeune and Barbaresi's evaluation of
text extraction tools; the corpus is Lejeune and Zhu's re-annotation of the DAnIEL corpus of
2011-2012 news pages) that ``doc_lg.json`` calls Chinese and that has both its ``html/`` page
and its ``reference/`` text: 401 pages of 150 sites, Simplified and Traditional (163, Sina,
Tencent, ifeng, Xinhua, People's Daily, Sohu, China News, Taiwanese and Hong Kong papers...).
The dataset stores every page as UTF-8 (three still declare gb2312 or gbk), so this batch
tests extraction, not decoding. The pages have no URL: they are scored as saved pages
without one, so no site adapter chosen by URL applies, only the generic path.

The expected text is the reference as the dataset has it, one ``<p>`` a line
(``build.normalise(..., "daniel_reference")``), with one mechanical change: its first line,
the headline, is left out where it is the page's ``<h1>`` or part of its ``<title>``, and is
then the expected title (no title is scored where it is neither). The pages of one site (host
name) form one group, wholly dev or wholly held out; the split follows ``build.assign_splits``
within the batch, decided before anything was tuned on it.

Batch 7, made the same way after batch 6 had been tuned on, is the corpus's 475 English pages
of 218 sites (BBC, Daily Mail, the Guardian, CBC, the Vancouver Sun, Google News's hosted
agency stories, the Los Angeles Times...), its site classes the region of the site (the UK,
Canada, India, Australia and New Zealand, the rest ``en-news``), so that every split holds
each region.
"""

from __future__ import annotations

import json
import sys

from add_fundus import load_build  # this script's folder is on sys.path when it runs

REPOSITORY = "rundimeco/waddle"
CORPUS = "corpora/Corpus_daniel_v2.1"
# Characters only Traditional Chinese writes so, against their Simplified forms.
TRADITIONAL = set("們這說國會來時為與後對經發過還學樣實說現點區應當體關開頭長問題業")
SIMPLIFIED = set("们这说国会来时为与后对经发过还学样实说现点区应当体关开头长问题业")
TAIWAN = ("udn.com", "nownews.com", "chinatimes.com", "yam.com", "cnyes.com", "uho.com.tw")
HONG_KONG = ("wenweipo.com", "etnet.com.cn", "hk.news.yahoo.com", "hk.stockstar.com")
PUBLISHERS = {"163.com": "163", "sina.com.cn": "sina", "qq.com": "qq", "ifeng.com": "ifeng",
              "xinhuanet.com": "xinhua", "people.com.cn": "people", "sohu.com": "sohu"}


# The region of an English site where its domain does not say it.
CANADA = ("vancouversun.com", "winnipegfreepress.com", "theglobeandmail.com",
          "montrealgazette.com", "nationalpost.com", "calgaryherald.com", "ottawacitizen.com",
          "edmontonjournal.com", "thestar.com", "torontosun.com", "canada.com")
INDIA = ("ibnlive.in.com", "indiatimes.com", "indianexpress.com", "thehindu.com",
         "hindustantimes.com", "deccanchronicle.com", "ndtv.com", "dnaindia.com")


def english_site_class(host: str) -> str:
    """The region of an English site: ``en-uk``, ``en-ca``, ``en-in``, ``en-oceania``, else
    ``en-news`` (the US and everywhere else)."""
    if host.endswith(".uk"):
        return "en-uk"
    if host.endswith(".ca") or host.endswith(CANADA):
        return "en-ca"
    if host.endswith(".in") or host.endswith(INDIA):
        return "en-in"
    if host.endswith((".au", ".nz")):
        return "en-oceania"
    return "en-news"


def site_class(host: str) -> str:
    """The corpus's site class of a host: a publisher with a class of its own, a Taiwanese
    or Hong Kong site, else ``news``."""
    for domain, name in PUBLISHERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    if host.endswith(".tw") or host.endswith(TAIWAN):
        return "tw"
    if host.endswith(".hk") or host.endswith(HONG_KONG):
        return "hk"
    return "news"


def script(text: str) -> str:
    traditional = sum(ch in TRADITIONAL for ch in text)
    simplified = sum(ch in SIMPLIFIED for ch in text)
    return "Hant" if traditional > simplified else "Hans"


def latin(text: str) -> str:
    return "Latn"


# A language of the dataset's doc_lg.json: its batch, the corpus's language code, and how a
# page's site class and script are told.
LANGUAGES = {"Chinese": (6, "zh", site_class, script),
             "English": (7, "en", english_site_class, latin)}


def main(argv: list[str] | None = None) -> int:
    build = load_build()
    parser = build.batch_parser(__doc__)
    parser.add_argument("--language", choices=sorted(LANGUAGES), required=True)
    args = parser.parse_args(argv)
    batch, code, class_of, script_of = LANGUAGES[args.language]
    manifest = build.load_manifest()
    commit, gitdir = build.batch_source(manifest, REPOSITORY, args.mirror_dir)
    languages = json.loads(build.show(gitdir, commit, f"{CORPUS}/doc_lg.json"))
    names = {p["name"] for p in manifest["pages"]}
    added = []
    for key, language in sorted(languages.items()):
        if language != args.language:
            continue
        try:
            page_bytes = build.show(gitdir, commit, f"{CORPUS}/html/{key}")
            reference = build.show(gitdir, commit, f"{CORPUS}/reference/{key}").decode("utf-8")
        except build.BuildError:
            continue  # the dataset lists more pages than it holds both files of
        page_bytes.decode("utf-8")  # the dataset stores its pages as UTF-8: fail loudly if not
        expected = build.normalise(reference, "daniel_reference", page_bytes)
        if not expected:
            continue
        first = build.daniel_lines(reference)[0]
        headline = " ".join(first.split()) if build.daniel_headline(first, page_bytes) else None
        host = key.split("_")[1]
        name = f"dn-{host.removeprefix('www.').replace('.', '-')}-{key.split('_')[2][:8]}"
        if name in names:
            continue
        path = f"{CORPUS}/html/{key}"
        added.append(build.utf8_dataset_page(
            name, page_bytes, expected, url=None, site=host,
            site_class=class_of(host), language=code, script=script_of(expected), batch=batch,
            group=f"dn-{host}",
            title=headline,
            provenance={"repository": REPOSITORY, "commit": commit, "path": path,
                        "licence": manifest["repositories"][REPOSITORY]["licence"],
                        "original_host": host, "saved": key.split("_")[0]},
            expected_source={"file": f"{CORPUS}/reference/{key}",
                             "normalise": "daniel_reference"},
            notes=(f"DAnIEL corpus page (re-annotated by Lejeune and Zhu), batch {batch}: the "
                   "expected text is the dataset's reference, one <p> a line, its first "
                   "line left out when it is the headline (<h1> or part of <title>); the "
                   "title is that line (none otherwise); saved without its URL"),
        ))
    build.add_pages(manifest, added)
    return 0


if __name__ == "__main__":
    sys.exit(main())
