# ruff: noqa: E501  (markup of the test pages)
"""Articles held in a script (crawler.text.scripted), and the generic path using them only
where the page's markup has no article of its own."""

from __future__ import annotations

import html
import json

import pytest

from crawler.demo.site.pages import fixtures_dir
from crawler.extract import extract
from crawler.text.generic import parse_html
from crawler.text.scripted import script_article


def _paragraphs(name: str, count: int = 6) -> list[str]:
    lines = (fixtures_dir() / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if len(line.strip()) > 60][:count]


@pytest.fixture(scope="module")
def chinese():
    return _paragraphs("004_ee72a92ac57acc92.txt")


@pytest.fixture(scope="module")
def french():
    return _paragraphs("003_7f560c660c44f70d.txt")


def _shell(script: str, title: str = "一篇文章 - 今日头条") -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset=utf-8><title>{title}</title>
<script>var PAGE_SWITCH = {{"adScriptQihu":true,"picVersion":"20180412_01"}};</script></head>
<body><div id=app></div><script src=//s3.pstatp.com/inapp/lib/raven.js crossorigin=anonymous></script>
<script>{script}</script></body></html>""".encode()


def _entity_escaped_literal(paragraphs: list[str]) -> str:
    markup = "<div>" + "".join(f"<p><span>{p}</span></p>" for p in paragraphs) + "</div>"
    return html.escape(markup, quote=True).replace("'", "\\'")


def test_entity_escaped_js_literal_is_the_article(chinese):
    # Toutiao's article pages of 2017-2019: an empty #app and the body in BASE_DATA
    script = f"""var BASE_DATA = {{
    userInfo: {{ id: 0, userName: '', isPgc: false }},
    headerInfo: {{ chineseTag: '传媒', crumbTag: 'search/?keyword=%E4%BC%A0%E5%AA%92', hasBar: true }},
    articleInfo: {{
      title: '一篇文章',
      content: '{_entity_escaped_literal(chinese)}'.replace(/<br \\/>/ig, ''),
      groupId: '6496651641545032205',
      subInfo: {{ isOriginal: true, source: '聂潜老师', time: '2017-12-07 12:06:23' }}
    }},
    pgcInfo: [{{"item_id":"6632195999420908046","title":"自动化+AI=工人阶级消失？"}}]
}};"""
    article = extract(_shell(script), "https://www.toutiao.com/a6496651641545032205/")
    assert article is not None
    assert article["text"].splitlines() == chinese
    assert article["title"] == "一篇文章"
    assert "BASE_DATA" not in article["text"] and "自动化" not in article["text"]


def test_json_escaped_state_string_is_the_article(french):
    state = {"props": {"pageProps": {"article": {
        "headline": "Jeff Bezos mise sur Toloka",
        "body": "".join(f"<p>{p}</p>" for p in french),
        "related": [{"title": "Une autre histoire", "url": "/a/2"}],
    }}}}
    blob = json.dumps(state).replace("<", "\\u003c").replace(">", "\\u003e")
    page = f"""<!DOCTYPE html><html lang="fr"><head><title>Jeff Bezos mise sur Toloka</title></head>
<body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">{blob}</script></body></html>"""
    article = extract(page.encode(), "https://example.fr/tech/toloka")
    assert article is not None
    assert article["text"].splitlines() == french
    assert article["language"] == "fr"


def test_markup_article_is_kept_over_a_script_string(chinese, french):
    # The page shows its article: a longer string in a script (another article) is not read.
    markup = "".join(f"<p>{p}</p>" for p in chinese)
    other = "".join(f"<p>{p}</p>" for p in french * 3)
    page = f"""<html><head><meta charset=utf-8><title>t</title></head><body><article>{markup}</article>
<script>var next = {json.dumps(other)};</script></body></html>"""
    article = extract(page.encode(), "https://example.com/a/1")
    assert article["text"].splitlines() == chinese


def test_strings_without_an_article_are_not_one():
    # templates of menus and lists: markup, but no sentences
    menu = "".join(f"<li><a href=/c/{i}>频道{i}</a></li><br>" for i in range(80))
    page = _shell(f"var tpl = '{menu}'; var more = '<p>登录</p><p>注册</p>';")
    assert script_article(parse_html(page.decode())) is None
    assert extract(page, "https://example.com/") is None
    # prose without markup (a description field) is no article markup either
    prose = "这是一段很长的描述。" * 40
    assert script_article(parse_html(_shell(f"var d = '{prose}';").decode())) is None


def test_short_strings_are_ignored():
    short = "<p>一句话。</p><p>两句话。</p><p>三句话。</p>"
    assert script_article(parse_html(_shell(f"var c = '{short}';").decode())) is None


def test_longest_article_string_wins(chinese):
    one = "".join(f"<p>{p}</p>" for p in chinese[:3])
    all_ = "".join(f"<p>{p}</p>" for p in chinese)
    found = script_article(parse_html(_shell(f"var a = {json.dumps(one)}; var b = {json.dumps(all_)};").decode()))
    assert found is not None and found[0] == all_
