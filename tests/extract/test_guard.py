"""What is archived but never extracted (crawler.extract.guard)."""

from __future__ import annotations

from crawler import settings
from crawler.extract.guard import DEFAULT_EXTRACT_MAX_BYTES, extract_refusal


def test_the_default_is_the_settings_default():
    # crawler replay has no settings: it uses the module's default, which must be the crawl's
    assert settings.EXTRACT_MAX_BYTES == DEFAULT_EXTRACT_MAX_BYTES


def test_partial_and_oversized_bodies_are_refused():
    assert extract_refusal(b"<html>ok</html>") is None
    assert "WARC-Truncated: time" in extract_refusal(b"<html>", truncated="time")
    assert "EXTRACT_MAX_BYTES" in extract_refusal(b"x" * 2048, max_bytes=1024)
    assert extract_refusal(b"x" * 2048, max_bytes=0) is None
