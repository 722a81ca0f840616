"""``crawler demo``: the offline demonstration (``run``) and the fixture site it crawls,
built from ``seeds/fixtures/`` (``site``), which the tests crawl too."""
