import pytest

from crawler.frontier.seeds import SeedFileError, check_url, load_seeds


def test_seed_file_comments_blanks_errors_and_duplicates(tmp_path):
    path = tmp_path / "seeds.txt"
    path.write_text(
        "# a comment\n"
        "\n"
        "https://www.163.com/dy/article/K4EJ8Q3L0519DTSV.html\n"
        "not a url\n"
        "ftp://example.com/file\n"
        "https://example.com/a?b=1#frag   # trailing comment\n"
        "https://www.163.com/dy/article/K4EJ8Q3L0519DTSV.html\n"
        "   https://example.com/c  \n",
        encoding="utf-8",
    )
    seeds = load_seeds(path)
    assert seeds.urls == [
        "https://www.163.com/dy/article/K4EJ8Q3L0519DTSV.html",
        "https://example.com/a?b=1#frag",
        "https://example.com/c",
    ]
    assert seeds.duplicates == 1
    assert [(e.source, e.text) for e in seeds.errors] == [
        (f"{path}:4", "not a url"),
        (f"{path}:5", "ftp://example.com/file"),
    ]
    assert "unsupported scheme 'ftp'" in str(seeds.errors[1])
    assert seeds.seeds[0].source == f"{path}:3"


def test_inline_urls_union_with_file(tmp_path):
    path = tmp_path / "seeds.txt"
    path.write_text("https://example.com/a\n", encoding="utf-8")
    seeds = load_seeds(path, "https://example.com/a,https://example.com/b, mailto:x@y")
    assert seeds.urls == ["https://example.com/a", "https://example.com/b"]
    assert seeds.duplicates == 1
    assert seeds.errors[0].source == "urls:3"


def test_check_url_rejects_hostless_and_bad_ports():
    assert check_url("http:///path")[1] == "not a URL (no host)"
    assert check_url("http://example.com:99999/")[1] == "not a URL (bad port)"
    assert check_url("example.com/page")[1] == "not a URL (no scheme)"
    assert check_url("https://例子.中国/路径")[1] is None


def test_a_file_that_is_not_utf8_keeps_its_good_lines(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(
        "# 种子列表（GBK 编码）\n".encode("gbk")
        + b"https://example.com/a   # " + "网易".encode("gbk") + b"\r\n"
        + "https://example.com/新闻\n".encode("gbk")
        + b"https://example.com/b\n"
    )
    seeds = load_seeds(path)
    assert seeds.urls == ["https://example.com/a", "https://example.com/b"]
    (error,) = seeds.errors
    assert error.source == f"{path}:3"
    assert error.reason.startswith("not UTF-8 (byte 0xd0 at column 21)")


def test_utf16_and_bom_files(tmp_path):
    utf16 = tmp_path / "utf16.txt"
    utf16.write_text("https://example.com/a\nhttps://例子.中国/b\n", encoding="utf-16")
    seeds = load_seeds(utf16)
    assert not seeds.errors
    assert seeds.urls == ["https://example.com/a", "https://xn--fsqu00a.xn--fiqs8s/b"]
    bom = tmp_path / "bom.txt"
    bom.write_text("https://example.com/a\n", encoding="utf-8-sig")
    assert load_seeds(bom).urls == ["https://example.com/a"]


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_an_unreadable_seed_file_raises_one_clear_error(tmp_path, kind):
    path = tmp_path / "seeds.txt"
    if kind == "folder":
        path.mkdir()
    with pytest.raises(SeedFileError) as info:
        load_seeds(path)
    reason = {"missing": "no such file", "folder": "is a folder, not a file"}[kind]
    assert str(info.value) == f"seed file {path}: {reason}"
