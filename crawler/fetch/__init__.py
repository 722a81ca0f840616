"""Getting each exchange, as Scrapy downloader middlewares and the crawl-time side of sites:

- ``conditional``: conditional requests for URLs captured before (incremental runs);
- ``recorder``: every exchange into the WARC files, then its ``captures`` row;
- ``warc_replay``: ``WARC_REPLAY``, answering requests from WARC files instead;
- ``weibo_session``: Weibo walls, retries, visitor cookies and its rate-limit gate.
"""
