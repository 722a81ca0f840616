from crawler.frontier.seeds import check_url, load_seeds


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
