"""An article whose container trafilatura's boilerplate patterns match by a word inside a class
name (``bard`` for ``bar``, ``w-embed`` for ``embed``) is kept; the furniture those patterns
are for still goes."""

from __future__ import annotations

from crawler.extract import extract_html
from crawler.text.discarded import release_discarded_article
from crawler.text.generic import parse_html

URL = "https://learn.example.com/knowledge/what-is-a-course"
SECTIONS = [
    ("What is a course?", [
        "A course is a set of lessons put in order, with a goal that a learner reaches at the "
        "end of it, whether that takes an afternoon or a whole semester of study.",
        "Courses can be led by a teacher or followed alone, at the learner's own pace, and "
        "they can mix reading, video and small tests along the way.",
    ]),
    ("Types of courses", [
        "Self-paced courses let each learner start when they like and stop when they need "
        "to, which suits people who fit learning around their work.",
        "Cohort courses start on a date and move a group through the lessons together, with "
        "deadlines that keep the group at the same place in the material.",
    ]),
    ("How to choose one", [
        "Start from what the learner must be able to do afterwards, then pick the format "
        "that gets them there with the least time spent on things they already know.",
        "Look at how the course checks progress: a quiz after each lesson tells a learner "
        "early what to read again, long before a final exam would.",
    ]),
    ("Where courses live", [
        "Most organisations deliver their courses through a learning management system, "
        "which stores the lessons, enrols the learners and tracks what each one finished.",
        "The same system sends reminders and certificates, so the people who run the "
        "training spend their time on the material rather than on the paperwork.",
    ]),
]
PROMO = [f"Feature {i}: centralise your training with our academy, invite learners, send "
         "certificates and reports, and book a demo today." for i in range(8)]


def _page(block_class: str) -> str:
    blocks = "".join(
        f'<h2>{heading}</h2><div class="{block_class}">'
        + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"
        for heading, paragraphs in SECTIONS)
    promo = "".join(f"<div class='card'><h3>Feature</h3><p>{p}</p></div>" for p in PROMO)
    return ("<html><head><title>What is a course?</title></head><body>"
            '<nav><a href="/">Home</a> <a href="/knowledge">Knowledge</a></nav>'
            f"<main><h1>What is a course?</h1>{blocks}"
            f"<section class='features'>{promo}</section></main>"
            "<footer><p>Copyright 2025 Learn Example. All rights reserved.</p></footer>"
            "</body></html>")


def _article_paragraphs() -> list[str]:
    return [p for _, paragraphs in SECTIONS for p in paragraphs]


def _text_keeping(paragraphs: list[str], page: str, url: str = URL) -> str:
    """The text extracted from ``page``, which holds every one of ``paragraphs``."""
    result = extract_html(page, url)
    assert result is not None
    assert all(p in result["text"] for p in paragraphs)
    return result["text"]


def test_an_article_in_blocks_classed_with_a_boilerplate_substring_is_kept():
    # 'bard' holds 'bar' (trafilatura's word for navbars and sidebars): every section went
    for block_class in ("space-y-4 bard", "w-embed", "listicle-slides css-8binen"):
        _text_keeping(_article_paragraphs(), _page(block_class))


def test_only_the_matching_words_come_off_the_article_blocks():
    tree = parse_html(_page("space-y-4 bard"))
    assert release_discarded_article(tree, "\n".join(PROMO))
    assert {block.get("class") for block in tree.xpath("//main/div")} == {"space-y-4"}


def test_nothing_is_released_when_the_extraction_has_the_article():
    tree = parse_html(_page("space-y-4 bard"))
    assert not release_discarded_article(tree, "\n".join(_article_paragraphs()))
    assert {block.get("class") for block in tree.xpath("//main/div")} == {"space-y-4 bard"}


STORY_URL = "https://news.example.com/2024/library"
STORY = [f"Paragraph {i} of the story: the council voted on Tuesday to keep the old library open "
         "for another year while it studies the costs." for i in range(3)]


def _story_with(box: str) -> str:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    return ("<html><head><title>Library stays open</title></head><body>"
            '<nav><a href="/">Home</a></nav>'
            f"<main><article><h1>Library stays open</h1>{story}</article>{box}</main>"
            "<footer><p>Copyright 2024 News Example, all rights reserved.</p></footer>"
            "</body></html>")


def test_a_sidebar_longer_than_a_short_story_stays_out():
    guide = "".join(f"<p>Side note {i}: our city guide lists every museum, park and market, "
                    "with opening hours and prices for the whole summer season.</p>"
                    for i in range(6))
    for name in ("sidebar", "rightSidebar", "sidebar-left", "site-menu"):
        box = f'<div class="{name}"><h2>City guide</h2>{guide}</div>'
        assert "Side note" not in _text_keeping(STORY, _story_with(box), STORY_URL), name


def test_a_box_of_other_stories_teasers_stays_out():
    teasers = "".join(
        f'<div class="item"><h3><a href="https://news.example.com/2024/story-{i}">Headline '
        f"number {i} about another matter</a></h3><p>Summary {i}: a different story about "
        "roads, schools and the weather, told in two sentences here. It goes on a bit.</p></div>"
        for i in range(8))
    box = f'<div class="more-stories"><h2>More stories</h2>{teasers}</div>'
    assert "Summary" not in _text_keeping(STORY, _story_with(box), STORY_URL)


def test_blocks_of_the_kind_inside_a_discarded_container_stay_out():
    # the FAQ's answers are blocks of the article's kind, in the dialogs of a carousel
    faq = "".join(
        f'<div class="swiper-slide"><h3>Question {i}</h3><template><div class="dialog">'
        f'<div class="space-y-4 bard"><p>Answer {i}: an online course is learning organised '
        "into a virtual space for its participants to take.</p></div></div></template></div>"
        for i in range(3))
    page = _page("space-y-4 bard").replace("</main>", f"{faq}</main>")
    assert "Answer" not in _text_keeping(_article_paragraphs(), page)


def test_a_namespaced_template_tag_around_the_article_is_no_error():
    page = (_page("space-y-4 bard").replace("<main>", "<main><tm:contentobject>")
            .replace("</main>", "</tm:contentobject></main>"))
    _text_keeping(_article_paragraphs(), page)
