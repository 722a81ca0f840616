"""What a search query means, as SQL functions the ``search`` query and Datasette call.

A query is words separated by spaces, or phrases in double quotes; an article matches when
its title or text has every one of them, in any order (as Datasette's ``?_search=`` does).
Each word is also tried folded (:func:`crawler.text.fold.fold`: Traditional characters as
Simplified), against the folded copies the archive keeps, so either script finds the other.
Matching ignores the case of letters.

- Words of three or more characters go through the trigram index (``articles_fts``): they
  match anywhere, inside longer words too (``label`` finds "labelling").
- Shorter words of letters and digits (``AI``, ``5G``, ``ia``) match whole words only,
  through the word index (``articles_words``): ``AI`` finds "AI", "l'AI Act" and
  "推动AI发展", not "mais".
- Other short words (数据, 霜, ``%``), which no index can match, are looked for in the title
  and text with LIKE: anywhere, as Chinese has no spaces between words.

The functions are registered on every connection that reads an archive
(:func:`register_functions`, from :func:`crawler.browse.queries.tune_connection`).
``escape_fts`` replaces Datasette's function of that name, so the table's ``?_search=``
folds its words too.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from crawler.text.fold import fold, whole_folded

MARK_START = "\u27e6"  # ⟦
MARK_END = "\u27e7"  # ⟧
SNIPPET_BEFORE = 40
SNIPPET_AFTER = 80
#: words shorter than this are looked for without the trigram index
TRIGRAM = 3
# A score for an article found by a short-word scan: title hits first, then the articles
# that mention the first word earliest (bm25 scores of indexed searches are negative).
_TITLE_MISS = 1_000_000_000
_TEXT_MISS = 100_000_000

_QUOTED_OR_WORD = re.compile(r'"([^"]*)"|([^\s"]+)')


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase of a query, lowercased."""

    text: str
    folded: str
    #: a whole word is needed at the start / end (the term starts / ends with a letter or
    #: digit of a script that separates words with spaces)
    bound_start: bool
    bound_end: bool

    @property
    def short(self) -> bool:
        return len(self.text) < TRIGRAM

    @property
    def variants(self) -> tuple[str, ...]:
        return (self.text,) if self.folded == self.text else (self.text, self.folded)

    @property
    def kind(self) -> str:
        """``long`` (the trigram index), ``word`` (the word index) or ``scan``."""
        if not self.short:
            return "long"
        return "word" if all(map(_wordlike, self.folded)) else "scan"


def _wordlike(char: str) -> bool:
    """A letter or digit of a script that writes spaces between words (Latin, Greek,
    Cyrillic...), as opposed to Chinese or Japanese, where a word has no boundary to check."""
    return char < "\u2e80" and char.isalnum()


@lru_cache(maxsize=256)
def parse_query(q: str | None) -> tuple[Term, ...]:
    """The terms of a query. Balanced double quotes make phrases; an unbalanced quote is an
    ordinary character. Repeated terms count once.

    :param q: what the user typed
    """
    if not q:
        return ()
    if q.count('"') % 2:
        pieces = q.split()
    else:
        pieces = [m[1] if m[1] is not None else m[2] for m in _QUOTED_OR_WORD.finditer(q)]
    terms: dict[str, Term] = {}
    for piece in pieces:
        text = " ".join(piece.split()).lower()
        if text and text not in terms:
            terms[text] = Term(text, fold(text), _wordlike(text[0]), _wordlike(text[-1]))
    return tuple(terms.values())


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts_expression(terms: tuple[Term, ...]) -> str:
    groups = ["(" + " OR ".join(map(_phrase, term.variants)) + ")" for term in terms]
    # An empty phrase is valid FTS5 and matches nothing.
    return " AND ".join(groups) or '""'


def _terms(q: str | None, kind: str) -> tuple[Term, ...]:
    return tuple(term for term in parse_query(q) if term.kind == kind)


def fts_query(q: str | None) -> str:
    """The FTS5 expression for the words of ``q`` the trigram index can match (all of
    them, each as typed or folded); ``""`` (matches nothing) when there is none."""
    return _fts_expression(_terms(q, "long"))


def words_query(q: str | None) -> str:
    """The FTS5 expression for ``articles_words``: every short word of letters and digits
    of ``q`` (folded: ＡＩ is ai); ``""`` when there is none."""
    return " AND ".join(_phrase(term.folded) for term in _terms(q, "word")) or '""'


def has_terms(q: str | None, kind: str) -> int:
    """1 when ``q`` has a term of ``kind`` (``long``, ``word``, ``scan``)."""
    return int(bool(_terms(q, kind)))


def needs_check(q: str | None) -> int:
    """1 when the LIKE scan of the first ``scan`` term is not the whole story: more such
    terms, or one that starts or ends with a letter (a whole word is needed there, as in
    A股), so :func:`short_terms_score` must look at the article."""
    scan = _terms(q, "scan")
    return int(len(scan) > 1 or any(t.bound_start or t.bound_end for t in scan))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _scan_variant(q: str | None, folded: int) -> str | None:
    scan = _terms(q, "scan")
    if not scan:
        return None
    if folded:
        return scan[0].folded if scan[0].folded != scan[0].text else None
    return scan[0].text


def _cased(text: str) -> bool:
    return text != text.upper()


def scan_term(q: str | None, folded: int) -> str | None:
    """The first ``scan`` term of ``q``, as typed (``folded`` 0) or folded (1: None when
    folding does not change it), for ``instr``."""
    return _scan_variant(q, folded)


def scan_like(q: str | None, folded: int) -> str | None:
    """:func:`scan_term` as a LIKE pattern (``escape '\\'``)."""
    needle = _scan_variant(q, folded)
    return None if needle is None else _like(needle)


def scan_cased(q: str | None) -> int:
    """1 when the first ``scan`` term has letters: LIKE (which ignores their case) must look
    for it; else ``instr`` does, faster."""
    needle = _scan_variant(q, 0)
    return int(needle is not None and _cased(needle))


def escape_fts(q: str | None) -> str:
    """Datasette's ``escape_fts`` for ``?_search=``, with folded words: every word or quoted
    phrase must match, as typed or folded. Words under three characters match nothing in a
    trigram index; the ``search`` query finds those."""
    return _fts_expression(parse_query(q))


def has_short_terms(q: str | None) -> int:
    """1 when ``q`` has a word the trigram index cannot match."""
    return int(any(term.short for term in parse_query(q)))


def _find(haystack: str, term: Term, needle: str) -> int:
    """Where ``needle`` (a variant of ``term``) first occurs in ``haystack``, as a whole
    word where the term needs one; -1 if nowhere."""
    size = len(needle)
    i = haystack.find(needle)
    while i >= 0:
        if not (term.bound_start and i > 0 and _wordlike(haystack[i - 1])) and not (
                term.bound_end and i + size < len(haystack)
                and _wordlike(haystack[i + size])):
            return i
        i = haystack.find(needle, i + 1)
    return -1


def _first(haystacks: tuple[str, ...], term: Term) -> int:
    found = [i for haystack in haystacks for variant in term.variants
             if (i := _find(haystack, term, variant)) >= 0]
    return min(found) if found else -1


def _haystacks(original: str | None, folded: str | None, latin: bool) -> tuple[str, ...]:
    if not original:
        return ()
    # Lowercasing only matters for letters; Chinese terms skip its cost on every row.
    if latin:
        original, folded = original.lower(), folded.lower() if folded else folded
    return (original,) if folded is None else (original, folded)


def short_terms_score(q: str | None, title: str | None, text: str | None,
                      title_folded: str | None = None,
                      text_folded: str | None = None) -> int | None:
    """Whether an article has every short word of ``q`` (None if not), and how well: the
    lower, the better (title hits first, then the earliest mention in the text). 0 when
    ``q`` has no short word. ``text_folded`` holds the folded lines of the text only
    (:func:`crawler.text.fold.folded_lines`): a match there is a match."""
    terms = _short_terms(q)
    if not terms:
        return 0
    latin = _has_letters(q)
    titles = _haystacks(title, title_folded, latin)
    texts = _haystacks(text, text_folded, latin)
    score = 0
    for n, term in enumerate(terms):
        in_title = _first(titles, term) >= 0
        position = _first(texts, term) if n == 0 or not in_title else 0
        if not in_title and position < 0:
            return None
        if not in_title:
            score += _TITLE_MISS
        if n == 0:
            score += position if position >= 0 else _TEXT_MISS
    return score


@lru_cache(maxsize=256)
def _short_terms(q: str | None) -> tuple[Term, ...]:
    return tuple(term for term in parse_query(q) if term.short)


@lru_cache(maxsize=256)
def _has_letters(q: str | None) -> bool:
    return any(term.text != term.text.upper() for term in _short_terms(q))


def _aligned(text: str, folded: str | None) -> tuple[str, ...]:
    """Lowercased ``text`` and ``folded``, where lowercasing keeps every position (it
    nearly always does: İ is one exception); as they are otherwise."""
    haystacks = []
    for candidate in (text, folded):
        if candidate and len(candidate) == len(text):
            lowered = candidate.lower()
            haystacks.append(lowered if len(lowered) == len(text) else candidate)
    return tuple(haystacks)


def _first_spans(text: str, folded: str | None, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    """Where each term first occurs in ``text``, as (start, end), in text order."""
    haystacks = _aligned(text, folded)
    spans = []
    for term in terms:
        found = [(i, i + len(variant)) for haystack in haystacks for variant in term.variants
                 if (i := _find(haystack, term, variant)) >= 0]
        if found:
            spans.append(min(found))
    return sorted(spans)


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans, and spans only spaces apart, as one: a phrase typed as words
    reads as one match."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (start <= merged[-1][1] or not text[merged[-1][1]:start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(q: str | None, text: str | None, text_folded: str | None = None) -> str:
    """A line of ``text`` around the first match of ``q``, with the first match of each
    word that falls in that line between ⟦ and ⟧ (the text's own ⟦ and ⟧ become [ and ]);
    the start of the text when no word is in it (a title hit)."""
    text = text or ""
    terms = parse_query(q)
    first = _first_spans(text, whole_folded(text, text_folded) if text_folded else None, terms)
    clean = text.replace(MARK_START, "[").replace(MARK_END, "]")
    if not first:
        cut = SNIPPET_BEFORE + SNIPPET_AFTER
        return (clean[:cut] + ("…" if len(clean) > cut else "")).replace("\n", " ")
    anchor_start, anchor_end = first[0]
    start = max(0, anchor_start - SNIPPET_BEFORE)
    end = min(len(text), anchor_end + SNIPPET_AFTER)
    spans = _merge([span for span in first if span[0] < end], text)
    out = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        span_end = min(span_end, end)
        out += [clean[position:span_start], MARK_START, clean[span_start:span_end], MARK_END]
        position = span_end
    out += [clean[position:end], "…" if end < len(text) else ""]
    return "".join(out).replace("\n", " ")


def register_functions(conn: sqlite3.Connection) -> None:
    """Make the search functions available to SQL on ``conn`` (``seedcrawler_...``, and
    ``escape_fts``)."""
    functions = [
        ("seedcrawler_fts_query", 1, fts_query),
        ("seedcrawler_words_query", 1, words_query),
        ("seedcrawler_has_terms", 2, has_terms),
        ("seedcrawler_has_short_terms", 1, has_short_terms),
        ("seedcrawler_needs_check", 1, needs_check),
        ("seedcrawler_scan_term", 2, scan_term),
        ("seedcrawler_scan_like", 2, scan_like),
        ("seedcrawler_scan_cased", 1, scan_cased),
        ("seedcrawler_short_terms_score", 5, short_terms_score),
        ("seedcrawler_snippet", 3, snippet),
        ("escape_fts", 1, escape_fts),
    ]
    for name, arity, function in functions:
        conn.create_function(name, arity, function, deterministic=True)
