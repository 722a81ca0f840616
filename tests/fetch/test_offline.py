"""No request the crawl did not ask for: a crawl in a fresh environment (no tldextract
cache) opens no connection and resolves no name but its seeds', and prints no tldextract
traceback. An audit hook, installed in every process of the crawl by a ``sitecustomize``,
sees every socket the crawl opens."""

from __future__ import annotations

import socket

from crawler.demo.site.server import FixtureServer
from crawler.store.outcomes import EXIT_SOME_FAILED

AUDIT = '''
import os, sys
_LOG = os.environ["SEEDCRAWLER_AUDIT_LOG"]
_LOCAL = {"127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1", HOSTNAME}

def _note(kind, what):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{kind} {what}\\n")

def _hook(event, args):
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple):
            _note("local" if address[0] in _LOCAL else "OUTBOUND", f"connect {address!r}")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
                   "socket.gethostbyaddr"):
        host = args[0]
        if isinstance(host, bytes):
            host = host.decode()
        if host not in _LOCAL and host is not None:
            _note("OUTBOUND", f"{event} {host!r}")
    elif event == "socket.sendto":
        address = args[2] if len(args) > 2 else None
        if isinstance(address, tuple) and address[0] not in _LOCAL:
            _note("OUTBOUND", f"sendto {address!r}")

sys.addaudithook(_hook)
'''


def test_a_fresh_crawl_sends_nothing_it_was_not_asked_to(crawl, tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        AUDIT.replace("HOSTNAME", repr(socket.gethostname())), encoding="utf-8")
    audit_log = tmp_path / "audit.log"
    fresh_cache = tmp_path / "tldextract-cache"  # a fresh venv: nothing cached yet
    seeds = tmp_path / "seeds.txt"
    # a server of its own: the shared one counts the requests it receives
    with FixtureServer() as site:
        seeds.write_text("\n".join(site.seed_urls()) + "\n")
        run = crawl(tmp_path / "archive", seeds, env={
            "PYTHONPATH": str(hooks), "SEEDCRAWLER_AUDIT_LOG": str(audit_log),
            "TLDEXTRACT_CACHE": str(fresh_cache), "HOME": str(tmp_path)})
    assert run.process.returncode == EXIT_SOME_FAILED, run.log[-4000:]  # the site's 404
    events = audit_log.read_text(encoding="utf-8").splitlines()
    # the hook saw the crawl's own connections (to the fixture site), and nothing else
    assert any(e.startswith("local connect") for e in events), events[:20]
    assert [e for e in events if e.startswith("OUTBOUND")] == []
    # the NetEase page sets a cookie: the cookie middleware asked tldextract about it
    assert "tldextract" not in run.log.lower() and "Traceback" not in run.log
    assert not fresh_cache.exists() or not any(fresh_cache.rglob("*.json"))
