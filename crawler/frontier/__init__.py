"""What to fetch: seed lists (``seeds``), and the feeds and sitemaps that stand for the pages
they list (``feeds``)."""
