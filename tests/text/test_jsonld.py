from __future__ import annotations

import json

from trafilatura.utils import load_html

from crawler.extract import extract
from crawler.text.jsonld import LARGE_BLOCK, shrink_json_ld

UPDATES = [{"@type": "BlogPosting", "headline": f'Update {i}: the "latest"',
            "articleBody": "Police said the crowd had gathered by noon. " * 20}
           for i in range(200)]
LIVE_BLOG = {
    "@context": "https://schema.org", "@type": "LiveBlogPosting",
    "headline": "Protests across the country: live updates",
    "author": {"@type": "Person", "name": "Emma Mackenzie"},
    "datePublished": "2024-08-05T09:00:00+01:00",
    "liveBlogUpdate": UPDATES,
}


def page(block: str) -> str:
    paragraphs = "".join(
        f"<p>Crowds gathered in the city centre on Monday afternoon, paragraph {i} of the "
        "live report, as police closed the roads around the station.</p>" for i in range(8))
    return (f'<html><head><title>Protests: live</title><script type="application/ld+json">'
            f"{block}</script></head><body><article><h1>Protests across the country: live "
            f"updates</h1>{paragraphs}</article></body></html>")


def test_a_large_block_keeps_its_metadata_and_drops_its_bulk():
    block = json.dumps(LIVE_BLOG)
    assert len(block) > LARGE_BLOCK
    tree = load_html(page(block))
    shrink_json_ld(tree)
    kept = json.loads(tree.xpath('//script[@type="application/ld+json"]')[0].text)
    assert kept == {k: v for k, v in LIVE_BLOG.items() if k != "liveBlogUpdate"}


def test_small_blocks_stay_and_a_large_broken_one_goes():
    small = json.dumps({"@type": "NewsArticle", "headline": "A headline"})
    tree = load_html(page(small))
    shrink_json_ld(tree)
    assert tree.xpath('//script[@type="application/ld+json"]')[0].text == small
    for broken in ("{" + "x" * LARGE_BLOCK, "[" * LARGE_BLOCK + "]" * LARGE_BLOCK):
        tree = load_html(page(broken))
        shrink_json_ld(tree)
        assert not tree.xpath('//script[@type="application/ld+json"]')
    assert tree.xpath("//title/text()") == ["Protests: live"]


def test_extract_reads_the_author_and_date_of_a_live_blog():
    result = extract(page(json.dumps(LIVE_BLOG)).encode(), url="https://news.example.org/live")
    assert result is not None
    assert result["author"] == "Emma Mackenzie"
    assert result["published"].startswith("2024-08-05")
    assert "paragraph 7 of the live report" in result["text"]
