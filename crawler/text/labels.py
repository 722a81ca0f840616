"""Labels a page repeats beside its paragraphs (each photo's caption, an embed's placeholder),
dropped from an article's lines; the fields of listed items stay."""

from __future__ import annotations

import re
from collections import Counter

from crawler.text.lines import prose_lines

__all__ = ["without_repeated_labels"]


# A short line that is no sentence, said this often in one text, each time beside a paragraph,
# is a label the page repeats (each photo's caption, "Tweet may have been deleted", a
# product's name under every picture), not the article's. Beside other short lines it is
# the article's own: a song's chorus, a line of code, a price in a list.
_LABEL_REPEATS = 3
_LABEL_MAX_CHARS = 40
_LABEL_MIN_CHARS = 3  # an interview's bare 问 and 答 are the article's
# ...and neither a sentence, a lead-in ("Directions:" above each recipe's steps), an
# attribution ("——习近平" under each quotation) nor code ("h2.widget-title {")
_SENTENCE_OR_LEAD_RE = re.compile(r"[。！？!?]|\.(?:\s|$)|[:：]$|^[—–-]|[{}<>;=]")


def _item_fields(lines: list[str]) -> set[str]:
    """The "Key: value" lines whose key the text gives more than one value: a field of each
    listed item ("Degree Level: Bachelors", then "...: Masters"), where a caption repeats
    word for word."""
    fields = [(field["key"], field["value"], line) for line in set(lines)
              if (field := _FIELD_RE.match(line))]
    values: dict[str, set[str]] = {}
    for key, value, _ in fields:
        values.setdefault(key, set()).add(value)
    return {line for key, _, line in fields if len(values[key]) > 1}


_FIELD_RE = re.compile(r"(?P<key>[^:：]{2,30})[:：]\s*(?P<value>\S.*)")


def without_repeated_labels(lines: list[str]) -> list[str]:
    counts = Counter(lines)
    candidates = {
        line for line, count in counts.items()
        if count >= _LABEL_REPEATS and _LABEL_MIN_CHARS <= len(line) <= _LABEL_MAX_CHARS
        and not _SENTENCE_OR_LEAD_RE.search(line)
    }
    candidates -= _item_fields(lines)
    if not candidates:
        return lines
    prose = [bool(prose_lines(line)) for line in lines]
    places: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if line in candidates:
            places.setdefault(line, []).append(index)
    alone = {line for line, indexes in places.items() if all(
        (index > 0 and prose[index - 1]) or (index + 1 < len(lines) and prose[index + 1])
        for index in indexes)}
    return [line for line in lines if line not in alone] if alone else lines
