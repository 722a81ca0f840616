"""The default seed list holds only documented URLs: each is listed, with its source, in the
README's "Default seeds" table."""

from __future__ import annotations

import re
from pathlib import Path

from crawler import settings
from crawler.frontier.seeds import load_seeds

REPO = Path(__file__).resolve().parents[2]
SEEDS_FILE = REPO / settings.SEEDS_FILE


def documented_seeds() -> dict[str, str]:
    """URL -> source, from the README's "Default seeds" table."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Default seeds", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| <(https?://[^>]+)> \| (.+?) \|$", section, re.MULTILINE)
    return dict(rows)


def test_every_default_seed_is_documented_with_its_source():
    seeds = load_seeds(SEEDS_FILE)
    assert not seeds.errors, seeds.errors
    assert seeds.urls, "the default seed list is empty"
    documented = documented_seeds()
    undocumented = [url for url in seeds.urls if url not in documented]
    assert not undocumented, f"seeds missing from README.md's Default seeds: {undocumented}"
    assert all(source.strip() for source in documented.values())


def test_every_documented_seed_is_in_the_list():
    assert set(documented_seeds()) == set(load_seeds(SEEDS_FILE).urls)
