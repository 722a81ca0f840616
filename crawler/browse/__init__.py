"""Browse the archive: Datasette over the SQLite file (``crawler browse``).

``app`` serves it, ``queries`` holds the metadata and canned queries, ``search`` what a search
query means (SQL functions), ``pages`` the plain search page and the compact articles table,
``links`` the links shown with an article, ``plugin`` the Datasette hooks, ``templates/``
the pages' markup.
"""
