#!/usr/bin/env bash
# The folders benchmarks/extraction_sweep.py is run on (README: "Sweeps"), from local clones
# of three public repositories at pinned commits (bare or not), in MIRROR_DIR/<owner>+<name>:
#   bash benchmarks/sweep_pages.sh MIRROR_DIR OUT_DIR
# OUT_DIR/postlight: postlight/parser's fixtures (170 pages, 2016-2019, many languages)
# OUT_DIR/fundus: flairNLP/fundus's parser test pages (258, 2021-2026, 20-odd languages)
# OUT_DIR/magic-html: opendatalab/magic-html's benchmark pages (261; 70 of them are in the
#   real corpus, held-out ones among them: a sweep reports counts, not texts)
set -euo pipefail
mirrors=${1:?usage: sweep_pages.sh MIRROR_DIR OUT_DIR}
out=${2:?usage: sweep_pages.sh MIRROR_DIR OUT_DIR}

gitdir() {  # the git directory of a clone: bare, a work tree, or in a repo/ sub-folder
  for d in "$mirrors/$1/repo" "$mirrors/$1"; do
    if git --git-dir="$d" rev-parse -q --verify HEAD >/dev/null 2>&1; then echo "$d"; return; fi
    if git --git-dir="$d/.git" rev-parse -q --verify HEAD >/dev/null 2>&1; then echo "$d/.git"; return; fi
  done
  echo "no clone of $1 in $mirrors" >&2; exit 1
}

export_tree() {  # repo commit path-prefix suffix folder
  local g; g=$(gitdir "$1")
  mkdir -p "$out/$5"
  git --git-dir="$g" ls-tree -r --name-only "$2" "$3" | grep -- "$4\$" | while read -r path; do
    git --git-dir="$g" show "$2:$path" > "$out/$5/$(echo "$path" | tr '/' '_')"
  done
}

export_tree postlight+parser e8ba7ece291efa4d915d50dd4deeec17d54359f2 fixtures/ .html postlight
export_tree flairNLP+fundus 18da6e53592f99cf0ac5770dc63d6ba99ba63ae8 \
  tests/resources/parser/test_data/ .html.gz fundus
export_tree opendatalab+magic-html 47d4a7fed12030e906a093b074637f178cb46ef2 \
  benchmark/data/ .html magic-html
for d in postlight fundus magic-html; do echo "$out/$d: $(ls "$out/$d" | wc -l) pages"; done
