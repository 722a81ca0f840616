"""Site adapters on their real hosts, offline: Scrapy sends its http:// requests through a
local proxy (this test's server), so the WeChat adapter sees mp.weixin.qq.com URLs while no
request leaves the machine. A deleted post and a captcha wall are recorded, never stored."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

from crawler.store.outcomes import EXIT_SOME_FAILED
from crawler.warc.reader import iter_records

REPO = Path(__file__).resolve().parents[2]
ARTICLE = (REPO / "benchmarks" / "corpus" / "wechat_article.html").read_bytes()
DELETED = ("<html><head><meta charset='utf-8'><title>微信公众平台</title></head><body>"
           "<div class='weui-msg'><div class='weui-msg__text-area'>"
           "<h2 class='weui-msg__title'>该内容已被发布者删除</h2></div></div>"
           "</body></html>").encode()
CAPTCHA = ("<html><head><meta charset='utf-8'><title>验证</title></head><body>"
           "<div class='weui-msg'><p class='weui-msg__desc'>环境异常，完成验证后即可继续访问。"
           "</p></div></body></html>").encode()
# The same article as its server might have stored it: GBK bytes read as Big5, saved as UTF-8.
GARBLED = ARTICLE.decode("utf-8").encode("gb18030").decode("big5hkscs", errors="replace"
                                                          ).encode("utf-8")
PAGES = {"/s/article": ARTICLE, "/s/deleted": DELETED, "/s/walled": CAPTCHA,
         "/s/garbled": GARBLED}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.seen.append(self.path)  # a proxy receives the absolute URL
        parts = urlsplit(self.path)
        body = PAGES.get(parts.path) if parts.hostname == "mp.weixin.qq.com" else None
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


def test_deleted_and_walled_pages_are_recorded_not_stored(crawl, tmp_path):
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    urls = [f"http://mp.weixin.qq.com/s/{name}"
            for name in ("article", "deleted", "walled", "garbled")]
    try:
        run = crawl(tmp_path / "archive", urls=urls, settings={"ROBOTSTXT_OBEY": "False"},
                    env={"http_proxy": f"http://127.0.0.1:{proxy.server_port}",
                         "no_proxy": ""})
    finally:
        proxy.shutdown()
    # the deleted and the walled article are failed seeds: status 3
    assert run.process.returncode == EXIT_SOME_FAILED, run.log[-3000:]
    assert {f"http://mp.weixin.qq.com/s/{n}" for n in ("article", "deleted", "walled")} <= set(
        Proxy.seen)
    db = sqlite_utils.Database(run.db_path)
    errors = {row["url"]: row for row in db["errors"].rows}
    assert errors[urls[1]]["stage"] == "deleted"
    assert "删除" in errors[urls[1]]["error"]
    assert errors[urls[2]]["stage"] == "blocked"
    assert "环境异常" in errors[urls[2]]["error"]
    # mojibake is recorded and counted, never an article
    assert (errors[urls[3]]["stage"], errors[urls[3]]["error"]) == ("extract", "Mojibake")
    (crawl_row,) = db["crawls"].rows
    assert json.loads(crawl_row["stats"])["articles/mojibake"] == 1
    stored = [row["final_url"] for row in db["articles"].rows]
    assert stored == [urls[0]]
    (article,) = db["articles"].rows
    assert article["author"] and article["text"]
    # the notices are archived all the same
    archived = {r.target_uri for path in run.warc_files for r in iter_records(path)
                if r.rec_type == "response"}
    assert set(urls) <= archived
