"""Browse the archive: Datasette over the SQLite file (``crawler browse``).

``app`` serves it, ``queries`` holds the metadata and canned queries, ``plugin`` the
Datasette hooks, ``templates/`` the row page.
"""
