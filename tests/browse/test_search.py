"""Search that finds what it should (crawler/browse/search.py, crawler/store/search_index.py),
on a real archive: the session crawl's WARC files and a WARC of three more pages, rebuilt by
`crawler replay`, then asked through Datasette's in-process client, both ways: the canned
``search`` query and the articles table's ``?_search=``.

The extra pages: a French one full of "mai", "mais" and "jamais" but without the word "AI";
a Simplified one with 数据标注 and a full-width ＡＩ; a Traditional one with 監督微調 and the
Taiwanese 數據標註.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlite_utils
from click.testing import CliRunner

from crawler.browse.app import open_archive
from crawler.browse.queries import MARK_END, MARK_START
from crawler.cli import cli
from crawler.demo.site.pages import FRENCH_PATH, NETEASE_PATH, WEIBO_PATH
from crawler.store.db import ArchiveDB
from crawler.store.search_index import FTS_COLUMNS, index_columns
from crawler.text.fold import fold, whole_folded
from tests.browse.test_app import ask, ask_json, copy_archive
from tests.warc_factory import Exchange, html_headers, write_warc


def page(title: str, paragraphs: list[str], lang: str, site: str, date: str) -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{date}"></head>
<body><header><nav><a href="/">{site}</a></nav></header>
<article><h1>{title}</h1>{body}</article>
<footer>© {site}</footer></body></html>""".encode()


MAI = ("https://agri.example/2025/05/recolte.html", page(
    "Récolte de maïs : un mois de mai très pluvieux",
    ["Le 12 mai dernier, les producteurs de maïs du Sud-Ouest faisaient leurs comptes : "
     "jamais un mois de mai n'avait été aussi pluvieux, disaient-ils.",
     "Mais la récolte reste possible, affirmaient les coopératives, qui vendaient déjà "
     "leurs stocks de maïs de l'an dernier à des prix élevés.",
     "Les semis de mai avaient pris du retard ; certains agriculteurs attendaient encore "
     "une fenêtre sèche pour passer dans leurs champs."],
    "fr", "Le Journal Agricole", "2025-05-20"))
SIMPLIFIED = ("https://news.example.cn/2025/06/biaozhu.html", page(
    "数据标注行业迎来ＡＩ新机遇",
    ["随着大模型的发展，数据标注公司正在从劳动密集型转向专家密集型。",
     "多家公司表示，监督微调需要大量高质量的人类示范数据，ＡＩ训练的成本因此上升。",
     "业内人士认为，数据标注的价格在未来两年仍会上涨，专家的薪酬也水涨船高。"],
    "zh-CN", "科技日报", "2025-06-15"))
TRADITIONAL = ("https://tech.example.tw/2025/07/finetune.html", page(
    "監督微調需要更多人類專家",
    ["大型語言模型的監督微調，需要由各領域專家撰寫示範答案。",
     "台灣的數據標註業者表示，過去一年專家人數成長了一倍，時薪也隨之提高。",
     "業者說，醫學、法律與金融背景的標註人員最受歡迎。"],
    "zh-TW", "科技新報", "2025-07-02"))
EXTRA_PAGES = [MAI, SIMPLIFIED, TRADITIONAL]


@pytest.fixture(scope="module")
def archive(crawled, tmp_path_factory) -> Path:
    """The crawl's WARC files and the extra pages, replayed into a new database."""
    folder = tmp_path_factory.mktemp("search-replay")
    extra = folder / "extra.warc.gz"
    write_warc(extra, [Exchange(url, headers=html_headers(body), body=body, seed=url)
                       for url, body in EXTRA_PAGES])
    db_path = folder / "archive.db"
    result = CliRunner().invoke(cli, ["replay", *map(str, crawled.warc_files), str(extra),
                                      "--db", str(db_path), "--workers", "0"])
    assert result.exit_code == 0, result.output
    urls = {row[0] for row in sqlite3.connect(db_path).execute("select url from articles")}
    assert {url for url, _ in EXTRA_PAGES} <= urls, "the extra pages were not extracted"
    return db_path


@pytest.fixture(scope="module")
def ds(archive):
    return open_archive(archive)


@pytest.fixture(scope="module")
def titles_by_url(archive) -> dict[str, str]:
    return dict(sqlite3.connect(archive).execute("select url, title from articles"))


@pytest.fixture(scope="module")
def site_titles(fixture_site) -> dict[str, str]:
    return {name: fixture_site.site[path].expected.title for name, path in
            [("french", FRENCH_PATH), ("netease", NETEASE_PATH), ("weibo", WEIBO_PATH)]}


def search(ds, q: str, database: str = "archive") -> list[dict]:
    return ask_json(ds, f"/{database}/search.json?q={quote(q)}&_shape=objects")["rows"]


def table_search(ds, q: str, database: str = "archive") -> list[dict]:
    return ask_json(ds, f"/{database}/articles.json?_search={quote(q)}&_shape=objects"
                        "&_size=max")["rows"]


def urls(rows: list[dict]) -> set[str]:
    return {row["url"] for row in rows}


def articles(archive: Path) -> dict[str, dict]:
    db = sqlite_utils.Database(archive)
    try:
        return {row["url"]: row for row in db["articles"].rows}
    finally:
        db.close()


def searchable(row: dict) -> str:
    """An article's title and text, and their folded forms, lowercased."""
    text = row["text"] or ""
    parts = [row["title"] or "", row["title_folded"] or "", text,
             whole_folded(text, row["text_folded"])]
    return "\n".join(parts).lower()


def url_of(titles_by_url: dict[str, str], title: str) -> str:
    return next(url for url, t in titles_by_url.items() if t == title)


# --- every word, in any order ---------------------------------------------------------------


@pytest.mark.parametrize("q", ["Bezos Toloka", "Toloka Bezos", "  toloka   BEZOS "])
def test_search_needs_every_word_in_any_order(ds, archive, site_titles, titles_by_url, q):
    rows = search(ds, q)
    french = url_of(titles_by_url, site_titles["french"])
    assert french in urls(rows)
    # the same articles as the table's ?_search=, and each has both words
    assert urls(rows) == urls(table_search(ds, q))
    every = articles(archive)
    for row in rows:
        assert "bezos" in searchable(every[row["url"]]) and "toloka" in searchable(
            every[row["url"]])
        assert f"{MARK_START}" in row["snippet"]


def test_a_missing_word_means_no_hit(ds):
    assert search(ds, "Bezos Zqxwvk") == [] == table_search(ds, "Bezos Zqxwvk")
    assert search(ds, "Toloka 霜") == []


def test_a_quoted_phrase_is_one_word(ds, site_titles):
    assert [r["title"] for r in search(ds, '"Jeff Bezos"')] == [site_titles["french"]]
    assert search(ds, '"Toloka Bezos"') == []


def test_short_and_long_words_together(ds, archive, site_titles, titles_by_url):
    # "Scale" through the trigram index, 数据 (two characters, folded) checked on its hits
    rows = search(ds, "Scale 数据")
    assert url_of(titles_by_url, site_titles["netease"]) in urls(rows)
    every = articles(archive)
    for row in rows:
        text = searchable(every[row["url"]])
        assert "scale" in text and "数据" in text


# --- Simplified and Traditional ------------------------------------------------------------------


@pytest.mark.parametrize(("q", "expected"), [
    ("数据标注", {"netease", SIMPLIFIED[0]}),  # Simplified finds the Traditional NetEase page
    ("數據標注", {"netease", SIMPLIFIED[0]}),  # and the other way round
    ("数据标注", {TRADITIONAL[0]}),  # 數據標註 (Taiwan) too
    ("監督微調", {"weibo", SIMPLIFIED[0], TRADITIONAL[0]}),
    ("监督微调", {"weibo", SIMPLIFIED[0], TRADITIONAL[0]}),
])
def test_simplified_and_traditional_find_each_other_in_both_searches(
        ds, site_titles, titles_by_url, q, expected):
    wanted = {url_of(titles_by_url, site_titles[e]) if e in site_titles else e
              for e in expected}
    for found in (search(ds, q), table_search(ds, q)):
        assert wanted <= urls(found), q


def test_snippets_mark_the_article_own_characters(ds, site_titles):
    rows = {r["title"]: r for r in search(ds, "数据标注")}
    netease = rows[site_titles["netease"]]["snippet"]
    assert f"{MARK_START}數據標注{MARK_END}" in netease  # as the page writes it
    assert f"{MARK_START}数据标注{MARK_END}" in rows["数据标注行业迎来ＡＩ新机遇"]["snippet"]
    both = {r["url"]: r for r in search(ds, "監督微調 數據標注")}
    assert set(both) == {TRADITIONAL[0], SIMPLIFIED[0]}
    assert f"{MARK_START}數據標註{MARK_END}" in both[TRADITIONAL[0]]["snippet"]
    assert f"{MARK_START}监督微调{MARK_END}" in both[SIMPLIFIED[0]]["snippet"]


@pytest.mark.parametrize(("q", "other"), [("数据", "數據"), ("數據", "数据"), ("专家", "專家")])
def test_two_characters_find_the_other_script(ds, archive, q, other):
    rows = search(ds, q)
    every = articles(archive)
    found_other = [r for r in rows if other in (every[r["url"]]["title"] or "")
                   + (every[r["url"]]["text"] or "")]
    assert found_other, f"{q} finds no article written with {other}"
    for row in rows:
        assert fold(q) in searchable(every[row["url"]])


# --- short Latin words are whole words ---------------------------------------------------------


def whole_word(word: str, text: str) -> bool:
    return re.search(rf"(?<![0-9a-zà-ɏ]){re.escape(word)}(?![0-9a-zà-ɏ])", text) is not None


@pytest.mark.parametrize("q", ["AI", "ai", "Ai"])
def test_short_latin_words_match_whole_words(ds, archive, site_titles, titles_by_url, q):
    rows = search(ds, q)
    every = articles(archive)
    assert MAI[0] not in urls(rows)  # "mai", "mais", "jamais": no "AI"
    assert "ai" in searchable(every[MAI[0]])  # (the letters are there)
    for row in rows:
        assert whole_word("ai", searchable(every[row["url"]])), row["title"]
        assert f"{MARK_START}ai{MARK_END}" in fold(row["snippet"]).lower() or whole_word(
            "ai", fold(row["title"]).lower()), row["snippet"]
    # l'AI Act in the French article; ＡＩ (full width) on the Simplified page
    assert {url_of(titles_by_url, site_titles["french"]), SIMPLIFIED[0]} <= urls(rows)


def test_short_latin_word_found_where_it_is_a_word(ds):
    rows = search(ds, "mai")
    assert rows[0]["url"] == MAI[0]  # in the title
    assert f"{MARK_START}mai{MARK_END} dernier" in rows[0]["snippet"]
    assert all(MARK_START + "mai" + MARK_END in r["snippet"] or "mai" in r["title"].lower()
               for r in rows)
    assert MAI[0] in urls(search(ds, "mais")) and MAI[0] not in urls(search(ds, "ai"))


# --- the archive: a live crawl and a replay fill the folded copies alike -------------------------


def test_live_crawl_and_replay_store_the_same_folded_copies(crawled, archive):
    live = articles(crawled.db_path)
    replayed = articles(archive)
    assert live
    for url, row in live.items():
        for column in ("title_folded", "text_folded"):
            assert replayed[url][column] == row[column], (url, column)
    # Traditional articles have folded copies; the Simplified Weibo post and French do not
    folded = {url for url, row in live.items() if row["text_folded"]}
    languages = {live[url]["sitename"] for url in folded}
    assert "網易" in languages and "微博" not in languages and "InfoTech Hebdo" not in languages
    assert index_columns(sqlite_utils.Database(crawled.db_path)) == FTS_COLUMNS


def test_only_the_lines_folding_changes_are_stored(archive):
    row = articles(archive)[TRADITIONAL[0]]
    lines, folded = row["text"].split("\n"), row["text_folded"].split("\n")
    assert len(lines) == len(folded)
    for line, copy in zip(lines, folded, strict=True):
        assert copy == ("" if fold(line) == line else fold(line))
    simplified = articles(archive)[SIMPLIFIED[0]]  # only the line with ＡＩ changes
    assert [bool(line) for line in simplified["text_folded"].split("\n")] == [
        "ＡＩ" in line for line in simplified["text"].split("\n")]
    assert simplified["title_folded"] == "数据标注行业迎来AI新机遇"
    assert articles(archive)[MAI[0]]["text_folded"] is None


# --- an archive made before the folded columns --------------------------------------------------


def make_old_archive(source: Path, target: Path) -> Path:
    """``source`` as the store wrote it before the folded columns: a two-column index."""
    copy_archive(source, target)
    db = sqlite_utils.Database(target)
    db.executescript("drop table articles_fts; drop trigger articles_ai; "
                     "drop trigger articles_ad; drop trigger articles_au; "
                     "drop table articles_words; drop trigger articles_words_ai; "
                     "drop trigger articles_words_ad; drop trigger articles_words_au; "
                     "alter table articles drop column title_folded; "
                     "alter table articles drop column text_folded;")
    db["articles"].enable_fts(["title", "text"], fts_version="FTS5", tokenize="trigram",
                              create_triggers=True)
    db.close()
    return target


def test_an_old_archive_is_upgraded_when_opened(archive, tmp_path, site_titles, caplog):
    old = make_old_archive(archive, tmp_path / "old.db")
    # browsed as it is: the search works, but cannot match one script with the other
    with caplog.at_level(logging.WARNING):
        before = open_archive(copy_archive(old, tmp_path / "browsed.db"))
    assert any("predates Simplified/Traditional search" in r.getMessage()
               for r in caplog.records)
    caplog.clear()
    assert site_titles["netease"] in [r["title"] for r in search(before, "數據標注", "browsed")]
    assert site_titles["netease"] not in [r["title"] for r in search(before, "数据标注",
                                                                      "browsed")]
    assert search(before, "Bezos Toloka", "browsed") and search(before, "AI", "browsed")

    with caplog.at_level(logging.WARNING):
        ArchiveDB(old).close()  # what a crawl or a replay does first
    assert any("Simplified/Traditional search" in r.getMessage() for r in caplog.records)
    assert index_columns(sqlite_utils.Database(old)) == FTS_COLUMNS
    assert index_columns(sqlite_utils.Database(old), "articles_words") == FTS_COLUMNS
    assert {url: (r["title_folded"], r["text_folded"]) for url, r in articles(old).items()} == {
        url: (r["title_folded"], r["text_folded"]) for url, r in articles(archive).items()}
    after = open_archive(old)
    for q in ("数据标注", "數據標注", "監督微調"):
        assert urls(search(after, q, "old")) == urls(search(open_archive(archive), q))
        assert urls(table_search(after, q, "old")) == urls(table_search(open_archive(archive),
                                                                         q))


def test_the_index_follows_changed_articles(tmp_path):
    db = ArchiveDB(tmp_path / "archive.db")
    row = {"url": "https://x.example/a", "title": "舊標題", "text": "第一版：數據標注"}
    assert db.store_article(row) == "new"
    assert db.store_article({**row, "text": "第二版：監督微調"}) == "changed"
    db.touch_article(row["url"], row["url"], None)
    db.close()
    ds = open_archive(tmp_path / "archive.db")
    assert search(ds, "监督微调") and table_search(ds, "监督微调")
    assert search(ds, "数据标注") == [] == table_search(ds, "數據標注")
    assert search(ds, "旧标题")[0]["url"] == row["url"]


def test_whole_words_next_to_chinese_characters(tmp_path):
    db = ArchiveDB(tmp_path / "archive.db")
    rows = {
        "https://x.example/1": ("推动AI发展", "大模型推动AI发展，买A股。"),
        "https://x.example/2": ("MAI", "MA股 和 maïs, mais aidé"),
        "https://x.example/3": ("Ｇ７峰会", "５Ｇ网络 与 G7"),
    }
    for url, (title, text) in rows.items():
        db.store_article({"url": url, "title": title, "text": text})
    db.close()
    ds = open_archive(tmp_path / "archive.db")
    assert urls(search(ds, "AI")) == {"https://x.example/1"}
    assert urls(search(ds, "A股")) == {"https://x.example/1"}  # not MA股
    assert urls(search(ds, "g7")) == {"https://x.example/3"}  # Ｇ７ and G7
    assert urls(search(ds, "5G 网络")) == {"https://x.example/3"}
    assert urls(search(ds, "股")) == {"https://x.example/1", "https://x.example/2"}
    assert urls(search(ds, "ai 发展")) == {"https://x.example/1"}


# --- pages and --get ----------------------------------------------------------------------


def test_plain_search_page(ds, site_titles):
    status, page = ask(ds, "/-/search?q=" + quote("Toloka Bezos"))
    assert status == 200
    for sql_word in ("Run SQL", "select ", "bm25", "Custom SQL"):
        assert sql_word not in page
    assert '<input type="search" name="q" value="Toloka Bezos"' in page
    assert '<button type="submit">Search</button>' in page
    assert page.count('class="search-result"') == len(search(ds, "Toloka Bezos"))
    assert site_titles["french"] in page and "InfoTech Hebdo" in page
    assert '<time class="result-date" datetime="2025-05-13">2025-05-13</time>' in page
    assert "<mark>Bezos</mark>" in page or "<mark>Toloka</mark>" in page
    href = re.search(r'class="result-title"><a href="([^"]+)">' + re.escape(site_titles["french"]),
                     page)
    assert href, "the title links to the article"
    status, article = ask(ds, href.group(1))
    assert status == 200 and 'class="article-text"' in article
    # an empty or missing query: the box alone
    for path in ("/-/search", "/-/search?q=", "/-/search?q=%20"):
        status, page = ask(ds, path)
        assert status == 200 and 'name="q"' in page and "search-result" not in page
    status, page = ask(ds, "/-/search?q=" + quote("Zqxwvk"))
    assert "No article matches" in page


def test_home_and_archive_pages_lead_to_search(ds):
    for path in ("/", "/archive"):
        status, page = ask(ds, path)
        assert status == 200
        assert '<form class="seedcrawler-search-form" action="/-/search"' in page, path
        assert '<a href="/-/search">Search articles</a>' in page, path


def test_get_prints_utf8(archive, site_titles):
    result = CliRunner().invoke(cli, ["browse", "--db", str(archive), "--get",
                                      "/archive/search.json?q=數據標注&_shape=objects"])
    assert result.exit_code == 0
    assert "數據標注" in result.output and "\\u" not in result.output
    assert json.loads(result.output)["rows"][0]["title"] == site_titles["netease"]
