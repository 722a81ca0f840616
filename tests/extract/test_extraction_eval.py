"""The extraction evaluation runs, and its corpus is well-formed. No quality thresholds here:
the scores are reported by ``python benchmarks/extraction_eval.py`` and in the README."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from crawler.demo.site.pages import build_site

REPO = Path(__file__).resolve().parents[2]
EVAL_PATH = REPO / "benchmarks" / "extraction_eval.py"
CORPUS = REPO / "benchmarks" / "corpus"
CODECS = {"utf-8": "utf-8", "gbk": "gbk", "big5": "big5", "big5-hkscs": "big5hkscs"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def evaluation():
    spec = importlib.util.spec_from_file_location("extraction_eval", EVAL_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def metas():
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in CORPUS.glob("*.json")}


@pytest.fixture(scope="module")
def scores(evaluation):
    return evaluation.evaluate(evaluation.load_corpus())


# --- the corpus ------------------------------------------------------------------------------


def test_corpus_size_languages_and_encodings(metas):
    assert 20 <= len(metas) <= 40
    languages = Counter(meta["language"] for meta in metas.values())
    assert set(languages) <= {"zh", "en", "fr"}
    assert languages["zh"] >= 20 and languages["en"] >= 3 and languages["fr"] >= 1
    encodings = Counter(meta["encoding"] for meta in metas.values())
    assert set(encodings) <= set(CODECS)
    assert encodings["gbk"] >= 3
    assert encodings["big5"] + encodings["big5-hkscs"] >= 2


def test_corpus_covers_the_sites(metas):
    hosts = " ".join(meta["url"] for meta in metas.values())
    sites = (
        "163.com", "sina.com.cn", "sohu.com", "qq.com", "thepaper.cn", "toutiao.com",
        "news.cn", "people.com.cn", "mp.weixin.qq.com", "m.weibo.cn", ".tw", ".hk",
    )  # fmt: skip
    for host in sites:
        assert host in hosts, host


@pytest.mark.parametrize("name", sorted(p.stem for p in CORPUS.glob("*.json")))
def test_corpus_entry(name, metas):
    meta = metas[name]
    assert {"site", "url", "encoding", "language", "expected", "notes"} <= set(meta)
    assert re.match(r"https?://[^/]+/", meta["url"])
    expected = meta["expected"]
    assert expected == expected.strip() and "\n\n" not in expected
    assert len(expected) >= 100
    if meta["language"] == "zh":
        assert len(CJK.findall(expected)) > len(expected) / 3
    if "fixture" in meta:
        assert "html" not in meta
        return
    body = (CORPUS / meta["html"]).read_bytes()
    text = body.decode(CODECS[meta["encoding"]])  # strict: the bytes are in that encoding
    if meta["encoding"] != "utf-8":
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
    if meta["html"].endswith(".html"):
        # every expected paragraph is on the page (markup aside)
        flat = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text)).replace("&nbsp;", "")
        for line in expected.splitlines():
            assert re.sub(r"\s+", "", line) in flat.replace("&amp;", "&"), line


def test_fixture_pages_are_in_the_corpus(metas):
    site = build_site()
    fixtures = {meta["fixture"] for meta in metas.values() if "fixture" in meta}
    assert fixtures == {path for path, page in site.items() if page.expected is not None}


def test_corpus_files_all_belong_to_an_entry(metas):
    named = {meta["html"] for meta in metas.values() if "html" in meta}
    on_disk = {p.name for p in CORPUS.iterdir() if not p.name.endswith(".json")}
    assert on_disk == named


# --- metrics ---------------------------------------------------------------------------------


def test_bigram_f1(evaluation):
    assert evaluation.score_text("数据标注公司", "数据标注公司", "zh") == 1.0
    # whitespace and punctuation do not count
    assert evaluation.score_text("数据，标注。公司", "数据 标注 公司", "zh") == 1.0
    assert evaluation.score_text("数据标注公司", "天气晴朗", "zh") == 0.0
    assert evaluation.score_text("数据标注公司", None, "zh") == 0.0
    half = evaluation.score_text("甲乙丙丁", "甲乙丙", "zh")  # 3 bigrams vs 2, both shared
    assert half == pytest.approx(2 * 1.0 * (2 / 3) / (1.0 + 2 / 3))


def test_token_f1(evaluation):
    assert evaluation.score_text("The cat sat.", "the CAT sat", "en") == 1.0
    assert evaluation.score_text("a b c d", "a b", "en") == pytest.approx(2 * 1 * 0.5 / 1.5)
    assert evaluation.score_text("Le chat", "", "fr") == 0.0


def test_mojibake_detection(evaluation):
    assert evaluation.has_mojibake("锟斤拷")
    assert evaluation.has_mojibake("caf\ufffd")
    assert evaluation.has_mojibake("Ã©tÃ©")
    assert not evaluation.has_mojibake("數據標注公司 café")


# --- the run ---------------------------------------------------------------------------------


def test_evaluation_runs_on_every_page(scores, metas):
    assert {s.name for s in scores} == set(metas)
    for s in scores:
        assert 0.0 <= s.trafilatura <= 1.0 and 0.0 <= s.seedcrawler <= 1.0


def test_seedcrawler_output_has_no_mojibake(scores):
    assert [s.name for s in scores if s.seedcrawler_mojibake] == []


def test_table(evaluation, scores):
    table = evaluation.render_table(scores)
    lines = table.splitlines()
    assert lines[0].startswith("| page |") and len(lines) == 2 + len(scores) + 3
    assert "**mean, Chinese (bigram F1)**" in table


def test_command_line(evaluation, capsys):
    assert evaluation.main(["--show", "fixture_netease"]) == 0
    out = capsys.readouterr().out
    assert "===== seedcrawler" in out and "===== expected" in out
