"""``python -m crawler.demo.site [--host H] [--port N]``: serve the fixture site.

Prints the base URL as the first line on stdout, then serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from .server import FixtureServer


def main(argv: list[str] | None = None) -> int:
    """Run the fixture server until interrupted; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m crawler.demo.site",
        description="Serve the offline fixture website built from seeds/fixtures.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=0, help="port to bind; 0 picks a free one (default 0)"
    )
    args = parser.parse_args(argv)

    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    try:
        server = FixtureServer(host=args.host, port=args.port).start()
    except OSError as exc:
        print(f"fixturesite: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    try:
        print(server.base_url, flush=True)
        print(
            f"fixturesite: serving {len(server.site)} routes at {server.base_url}; seeds:",
            file=sys.stderr,
        )
        for url in server.seed_urls():
            print(f"  {url}", file=sys.stderr)
        sys.stderr.flush()
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
