"""Markup read on to its end, as a browser reads it, before lxml parses it."""

from __future__ import annotations

import re

# A page's template may close the document early (a header partial ending in
# </body></html>, the article and its images after it). HTML5 ignores both end tags until the
# input ends, so browsers show what follows; libxml2 2.14 drops everything after </html>.
_DOCUMENT_END_RE = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


def read_to_the_end(html: str) -> str:
    """The page without its ``</body>`` and ``</html>`` end tags, so that lxml keeps what
    follows them in the body, where a browser puts it."""
    return _DOCUMENT_END_RE.sub("", html)
