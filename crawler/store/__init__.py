"""Where a crawl's output goes: the SQLite archive (``db``), one crawl's WARC writer and
database together (``archive``), the item pipeline (``pipelines``), output paths
(``paths``), the run lock (``lock``) and the end-of-run summary (``summary``)."""
