"""WARC files, with no knowledge of crawls: writing (``writer``, ``records``), reading
(``reader``, ``capture``), repairing what a crash left (``repair``) and CDXJ indexes
(``index``)."""
