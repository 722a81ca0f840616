"""Materialise the real-page corpus from the pinned public repositories it comes from.

    python benchmarks/corpus-real/build.py --mirror-dir /work/.mirror
    python benchmarks/corpus-real/build.py --mirror-dir ~/mirrors --check   # verify only

``manifest.json`` (committed) names, for every page, the repository, commit and path of its
bytes, the transformations made to them (gunzip, a JavaScript template literal's text, a
charset declaration deleted or changed, a transcoding to Big5) and the sha256 of the result.
Nothing taken from those repositories is committed here: this script reads each blob with
``git --git-dir=... show COMMIT:PATH`` from a local clone, applies the transformations,
verifies the sha256, and writes into ``pages/`` (git-ignored):

- ``pages/<name>.<ext>``: the page bytes;
- ``pages/<name>.meta.json``: the manifest entry with ``expected`` filled in (from the
  manifest where the text was written or corrected by hand, else from the dataset file the
  entry names, normalised as it says), which ``benchmarks/extraction_eval.py`` reads;
- ``pages/licenses/``: each repository's licence files at the pinned commit.

A repository is looked for as ``MIRROR_DIR/<owner>+<name>`` (a bare git directory, or a
clone with a work tree or ``.git`` inside, or in a ``repo/`` sub-folder) or
``MIRROR_DIR/<name>``. For a missing one the script prints how to get it.
Exit status: 0 when every page was built and verified, 1 otherwise.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"


class BuildError(Exception):
    """A page could not be rebuilt as the manifest describes it."""


def git_dir(mirror_dir: Path, repository: str) -> Path | None:
    """The git directory of a local copy of ``repository`` ("owner/name"), or None."""
    owner, name = repository.split("/")
    for base in (mirror_dir / f"{owner}+{name}", mirror_dir / name, mirror_dir / owner / name):
        for candidate in (base / "repo", base / "repo" / ".git", base, base / ".git"):
            if (candidate / "HEAD").is_file() or (candidate / "packed-refs").is_file():
                return candidate
    return None


def batch_parser(doc: str) -> argparse.ArgumentParser:
    """The command line of a script that adds a batch: ``--mirror-dir``, its docstring's
    first paragraph as the description."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--mirror-dir", type=Path, required=True)
    return parser


def load_manifest() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def mirror_or_exit(mirror_dir: Path, repository: str) -> Path:
    """The git directory of ``repository`` under ``mirror_dir``; exits saying so if none."""
    found = git_dir(mirror_dir, repository)
    if found is None:
        sys.exit(f"no copy of {repository} under {mirror_dir}")
    return found


def list_files(gitdir: Path, commit: str, *folders: str) -> list[str]:
    """The paths of every file under ``folders`` at ``commit``."""
    return subprocess.run(["git", "--git-dir", str(gitdir), "ls-tree", "-r", "--name-only",
                           commit, *folders], capture_output=True, text=True,
                          check=True).stdout.split()


def show(gitdir: Path, commit: str, path: str) -> bytes:
    """The bytes of ``path`` at ``commit``."""
    done = subprocess.run(
        ["git", f"--git-dir={gitdir}", "show", f"{commit}:{path}"],
        capture_output=True,
        check=False,
    )
    if done.returncode:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise BuildError(f"git show {commit}:{path}: {message}")
    return done.stdout


def transform(body: bytes, operations: list[dict[str, Any]]) -> bytes:
    """Apply the manifest's transformations, in order.

    - ``gunzip``: the blob is gzip-compressed; its decompressed content.
    - ``js_template_literal``: the blob is a JavaScript module holding the page as one
      template literal without escapes; the bytes between its first and last backtick.
    - ``delete`` (``text``) / ``replace`` (``old``, ``new``): the first occurrence of a string
      (ASCII markup) deleted or replaced; it must be there.
    - ``transcode`` (``from``, ``to``, ``errors``): ``body.decode(from).encode(to, errors)``.
    """
    for op in operations:
        kind = op["op"]
        if kind == "gunzip":
            body = gzip.decompress(body)
        elif kind == "js_template_literal":
            start, end = body.find(b"`"), body.rfind(b"`")
            if start < 0 or end <= start:
                raise BuildError("no template literal")
            body = body[start + 1 : end]
        elif kind in ("delete", "replace"):
            old = (op["text"] if kind == "delete" else op["old"]).encode("utf-8")
            new = b"" if kind == "delete" else op["new"].encode("utf-8")
            if old not in body:
                raise BuildError(f"{kind}: {op.get('text') or op['old']!r} not found")
            body = body.replace(old, new, 1)
        elif kind == "transcode":
            body = body.decode(op["from"]).encode(op["to"], op["errors"])
        else:
            raise BuildError(f"unknown transformation {kind!r}")
    return body


def normalise(value: Any, how: str, page: bytes | None = None) -> str:
    """A dataset's text normalised as the manifest says.

    - ``strip_lines``: every line stripped of white space (U+3000 included), empty lines
      dropped.
    - ``drop_headline``: ``strip_lines``, then a first line equal (white space collapsed) to
      the text of the first ``<h1>`` of ``page``, the headline, left out.
    - ``fundus_body``: a fundus ``body`` object; its sections' headlines and paragraphs, one
      per line, in order, stripped, empty ones dropped. The ``summary`` (the standfirst) is
      left out, as the corpus's conventions leave it out.
    - ``drop_first_line``: ``strip_lines``, then the first line (a headline) left out.
    - ``newsdiff_body``: a NewsDiff test's expected ``body`` (a site parser's output): the
      HTML tags its parser left in taken off, entities resolved, and only the lines that
      are in the text of ``page`` (decoded by its declared charset, scripts and style
      sheets left out) kept; image addresses, style rules, scripts and lines the parser
      misdecoded are not.
    - ``daniel_reference``: a reference file of the DAnIEL corpus, one ``<p>...</p>`` a
      paragraph, the headline first: the tags taken off (one reference opens a paragraph
      with ``<p`` and no ``>``), lines stripped, and the first line left out when it is the
      headline (:func:`daniel_headline`).
    """
    if how == "fundus_body":
        lines = []
        for section in value["sections"]:
            lines += [*section.get("headline", []), *section["paragraphs"]]
        value = "\n".join(lines)
    elif how == "daniel_reference":
        value = "\n".join(daniel_lines(value))
    elif how == "newsdiff_body":
        value = "\n".join(newsdiff_lines(value, page))
    elif how not in ("strip_lines", "drop_headline", "drop_first_line"):
        raise BuildError(f"unknown normalisation {how!r}")
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if how == "drop_headline" and lines:
        if _collapse(lines[0]) == _collapse(_first_h1(page)):
            lines = lines[1:]
    elif how == "drop_first_line" or (
            how == "daniel_reference" and lines and daniel_headline(lines[0], page)):
        lines = lines[1:]
    return "\n".join(lines)


def newsdiff_lines(body: str, page: bytes | None) -> list[str]:
    """The lines of a NewsDiff ``body`` that are the page's own text (``newsdiff_body``)."""
    import html

    import lxml.html

    tree = lxml.html.fromstring(page_text_of(page or b""))
    for element in tree.xpath("//script | //style"):
        element.drop_tree()
    page_text = _collapse(tree.text_content())
    lines = (_collapse(html.unescape(re.sub(r"<[^>]*>", "", line))) for line in body.splitlines())
    return [line for line in lines if line and line in page_text]


def page_text_of(page: bytes) -> str:
    """``page`` decoded by the charset its first 4 kB declare (Big5 read as Big5-HKSCS, its
    superset), else as UTF-8."""
    declared = re.search(rb"""charset=["']?([\w-]+)""", page[:4096], re.I)
    charset = declared.group(1).decode().lower() if declared else "utf-8"
    return page.decode("big5hkscs" if charset.startswith("big5") else charset, "replace")


def daniel_lines(reference: str) -> list[str]:
    """The lines of a DAnIEL reference, its ``<p>`` tags taken off, stripped, none empty."""
    value = re.sub(r"</p>|<p>|^<p(?=[^\s>])", "\n", reference, flags=re.M)
    return [line.strip() for line in value.splitlines() if line.strip()]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _first_h1(page: bytes | None) -> str:
    import lxml.html

    return lxml.html.fromstring(page).xpath("string(//h1)")


def daniel_headline(line: str, page: bytes | None) -> bool:
    """Whether a DAnIEL reference's first line is the page's headline: equal to its first
    ``<h1>``, or part of its ``<title>`` (which adds the site's name), white space collapsed."""
    import lxml.html

    line = _collapse(line)
    title = _collapse(lxml.html.fromstring(page).findtext(".//title") or "")
    return bool(line) and (line == _collapse(_first_h1(page)) or line in title)


def assign_splits(pages: list[dict[str, Any]]) -> dict[str, str]:
    """The split of every page by the rule chosen before any tuning (README: "Split").

    A page's group is its ``group``, else its ``derived_from``, else its name (a variant
    shares its original's split; pages of one publisher added together share theirs).
    Groups are stratified by (batch, language, site class), sorted by the sha256 of the group
    name within a stratum, and those at ranks 1, 4, 7... are held out. A language with no
    held-out group in a batch would get its smallest-sha256 group held out. A batch is a set
    of pages added together (``batch``, default 1): a later batch splits on its own, so
    adding it never moves a page of an earlier one.
    """
    def digest(group: str) -> int:
        return int(hashlib.sha256(group.encode("utf-8")).hexdigest(), 16)

    def group_of(page: dict[str, Any]) -> str:
        return page.get("group") or page.get("derived_from") or page["name"]

    groups: dict[str, tuple[int, str, str]] = {}
    for page in pages:
        groups.setdefault(group_of(page),
                          (page.get("batch", 1), page["language"], page["site_class"]))
    strata: dict[tuple[int, str, str], list[str]] = {}
    for group, stratum in groups.items():
        strata.setdefault(stratum, []).append(group)
    split = {}
    for members in strata.values():
        for rank, group in enumerate(sorted(members, key=digest)):
            split[group] = "heldout" if rank % 3 == 1 else "dev"
    for batch_language in {(batch, language) for batch, language, _ in groups.values()}:
        members = [g for g, (batch, lang, _) in groups.items() if (batch, lang) == batch_language]
        if not any(split[g] == "heldout" for g in members):
            split[min(members, key=digest)] = "heldout"
    return {page["name"]: split[group_of(page)] for page in pages}


def utf8_dataset_page(name: str, page_bytes: bytes, expected: str, *, url: str | None,
                      site: str, site_class: str, language: str, script: str, batch: int,
                      group: str, title: str | None, provenance: dict[str, Any],
                      expected_source: dict[str, Any], notes: str,
                      encoding: str = "utf-8") -> dict[str, Any]:
    """The manifest entry of an article page a dataset stores as UTF-8 (or as ``encoding``),
    byte for byte, whose expected text stays in the dataset (``expected_source``, its sha256
    pinned here)."""
    declared = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", page_bytes[:4096], re.I)
    return {
        "name": name, "file": f"{name}.html", "url": url, "site": site,
        "site_class": site_class, "language": language, "script": script,
        "encoding": encoding,
        "declared_charset": declared.group(1).decode() if declared else None,
        "content_type": "text/html", "kind": "article", "split": None, "batch": batch,
        "group": group, "title": title, "expected_from": "dataset",
        "provenance": provenance,
        "derived_from": None, "transformations": [], "transformed": None,
        "sha256": sha256(page_bytes),
        "expected": None,
        "expected_sha256": sha256(expected.encode("utf-8")),
        "expected_source": expected_source,
        "notes": notes,
    }


def batch_source(manifest: dict[str, Any], repository: str, mirror_dir: Path) -> tuple[str, Path]:
    """The pinned commit of a batch's repository and its local clone, or exit saying what
    is missing."""
    if repository not in manifest["repositories"]:
        sys.exit(f"add {repository} to the manifest's repositories (commit, licence) first")
    return manifest["repositories"][repository]["commit"], mirror_or_exit(mirror_dir, repository)


def add_pages(manifest: dict[str, Any], added: list[dict[str, Any]], more: str = "") -> None:
    """Append a batch's pages to the manifest, split them by :func:`assign_splits` (no page
    already split moves: an assertion says so), write the manifest and say how many were
    added and held out (and ``more``)."""
    manifest["pages"] += added
    splits = assign_splits(manifest["pages"])
    for page in manifest["pages"]:
        assert page["split"] in (None, splits[page["name"]]), page["name"]
        page["split"] = splits[page["name"]]
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    held = sum(page["split"] == "heldout" for page in added)
    print(f"added {len(added)} pages ({held} held out){more}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Builder:
    def __init__(self, manifest: dict[str, Any], mirror_dir: Path) -> None:
        self.manifest = manifest
        self.mirror_dir = mirror_dir
        self.pages = {page["name"]: page for page in manifest["pages"]}
        self._bodies: dict[str, bytes] = {}
        self._json: dict[tuple[str, str], Any] = {}

    def gitdir(self, repository: str) -> Path:
        found = git_dir(self.mirror_dir, repository)
        if found is None:
            commit = self.manifest["repositories"][repository]["commit"]
            raise BuildError(
                f"no copy of {repository} under {self.mirror_dir}: git clone "
                f"https://github.com/{repository} {self.mirror_dir}/{repository.replace('/', '+')}"
                f" && git -C {self.mirror_dir}/{repository.replace('/', '+')} checkout {commit}"
            )
        return found

    def body(self, name: str) -> bytes:
        if name not in self._bodies:
            page = self.pages[name]
            if page.get("derived_from"):
                raw = self.body(page["derived_from"])
            else:
                src = page["provenance"]
                raw = show(self.gitdir(src["repository"]), src["commit"], src["path"])
            body = transform(raw, page["transformations"])
            if sha256(body) != page["sha256"]:
                raise BuildError(f"sha256 mismatch: {sha256(body)} != {page['sha256']}")
            self._bodies[name] = body
        return self._bodies[name]

    def expected(self, page: dict[str, Any]) -> str | None:
        if page["kind"] == "negative":
            return None
        source = page.get("expected_source")
        if source is None:
            text = page["expected"]
        else:
            src = page["provenance"]
            key = (src["repository"], source["file"])
            if key not in self._json:
                raw = show(self.gitdir(src["repository"]), src["commit"], source["file"])
                # A JSON file holds the texts of many pages (key and field) or one page's
                # (field), or a text file is the page's own.
                parsed = "key" in source or "field" in source
                self._json[key] = json.loads(raw) if parsed else raw.decode("utf-8")
            value = self._json[key]
            if "key" in source:
                value = value[source["key"]]
            if "field" in source:
                value = value[source["field"]]
            text = normalise(value, source["normalise"], self.body(page["name"]))
        if sha256(text.encode("utf-8")) != page["expected_sha256"]:
            raise BuildError("expected text: sha256 mismatch")
        return text

    def licences(self) -> dict[str, bytes]:
        files = {}
        for repository, info in self.manifest["repositories"].items():
            for path in info.get("licence_files", []):
                name = f"{repository.replace('/', '-')}.{path.replace('/', '-')}"
                files[name] = show(self.gitdir(repository), info["commit"], path)
        return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirror-dir", type=Path, required=True,
                        help="folder holding local clones of the source repositories")
    parser.add_argument("--out", type=Path, default=HERE / "pages", help="where pages go")
    parser.add_argument("--check", action="store_true", help="verify only, write nothing")
    args = parser.parse_args(argv)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    builder = Builder(manifest, args.mirror_dir)
    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for page in manifest["pages"]:
        try:
            body = builder.body(page["name"])
            meta = {k: v for k, v in page.items() if k != "expected_source"}
            meta["expected"] = builder.expected(page)
        except BuildError as exc:
            failures += 1
            print(f"{page['name']}: {exc}", file=sys.stderr)
            continue
        if not args.check:
            (args.out / page["file"]).write_bytes(body)
            (args.out / f"{page['name']}.meta.json").write_text(
                json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    try:
        licences = builder.licences()
    except BuildError as exc:
        failures += 1
        print(f"licences: {exc}", file=sys.stderr)
    else:
        if not args.check:
            (args.out / "licenses").mkdir(exist_ok=True)
            for name, data in licences.items():
                (args.out / "licenses" / name).write_bytes(data)
    built = len(manifest["pages"]) - failures
    print(f"{built} of {len(manifest['pages'])} pages built and verified"
          + ("" if args.check else f" into {args.out}"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
