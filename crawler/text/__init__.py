"""Page bytes to text, with no site knowledge: decoding (``decode``), Chinese cleaning
(``cleanup``), dates (``dates``), language (``language``) and the generic trafilatura path
(``generic``). Site adapters (``crawler.adapters``) build on these; ``crawler.extract``
chooses between an adapter and the generic path.
"""
