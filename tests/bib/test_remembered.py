"""A large bib's parse is remembered in the user's cache, and served only to the very code
that made it: a change anywhere in the reading layers makes the reader parse again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from vlabib.bib import remembered
from vlabib.bib.remembered import _REMEMBER_FROM, reader_version

SRC = Path(remembered.__file__).resolve().parent.parent


def big_bib(path: Path) -> None:
    """A well-formed bib above the size from which parses are remembered; its titles hold
    a raw ü, which the reader normalises to LaTeX."""
    entries: list[str] = []
    n = 0
    while sum(map(len, entries)) < _REMEMBER_FROM + 1000:
        n += 1
        entries.append(
            f"@misc{{2501.{n:05d},\n  title = {{Müller's method number {n} for long titles}},\n"
            f"  year = {{2025}},\n  eprint = {{2501.{n:05d}}},\n"
            "  archiveprefix = {arXiv},\n}\n\n"
        )
    path.write_text("".join(entries))


READ = (
    "import sys; from pathlib import Path; from vlabib import bib; "
    "print(bib.load(Path(sys.argv[1]))[0].title)"
)


def title_read_by(source: Path, bib: Path, cache: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(source), "VLABIB_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", READ, str(bib)], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_changed_normalisation_is_never_served_an_old_parse(tmp_path: Path) -> None:
    """The remembered parse is keyed by the reader: edit how tex/encode.py spells ü (a module
    the old key left out) and the next read parses afresh, with the new spelling."""
    bib = tmp_path / "big.bib"
    big_bib(bib)
    cache = tmp_path / "cache"
    old = tmp_path / "old" / "vlabib"
    shutil.copytree(SRC, old, ignore=shutil.ignore_patterns("__pycache__"))
    assert title_read_by(old.parent, bib, cache) == "M{\\\"u}ller's method number 1 for long titles"
    assert len(list((cache / "parsed").glob("*.bin"))) == 1
    assert title_read_by(old.parent, bib, cache) == (
        "M{\\\"u}ller's method number 1 for long titles"  # served from the cache
    )

    new = tmp_path / "new" / "vlabib"
    shutil.copytree(SRC, new, ignore=shutil.ignore_patterns("__pycache__"))
    encode = new / "tex" / "encode.py"
    text = encode.read_text()
    assert "            out.append(encoded)\n" in text
    encode.write_text(
        text.replace(
            "            out.append(encoded)\n", "            out.append(encoded.upper())\n"
        )
    )
    assert title_read_by(new.parent, bib, cache) == "M{\\\"U}ller's method number 1 for long titles"
    assert len(list((cache / "parsed").glob("*.bin"))) == 2


def test_the_reader_version_covers_every_module_the_reader_imports() -> None:
    """Every vlabib module imported while reading a bib is one the key hashes."""
    probe = (
        "import sys; from vlabib.bib import store; "
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('vlabib'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    hashed = {"vlabib"} | {
        "vlabib." + ".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        for p in [*SRC.glob("*.py"), *SRC.glob("tex/*.py"), *SRC.glob("bib/*.py")]
    }
    assert set(done.stdout.split()) <= hashed
    assert len(reader_version()) == 64


def test_a_bib_is_keyed_by_its_bytes(tmp_path: Path) -> None:
    """What is made from a bib is remembered under a digest of the file's bytes, taken as
    it is read (not by encoding its text again): the same bytes, the same key; a CRLF copy
    reads as the same text, under a key of its own."""
    import hashlib

    from vlabib import bib as store

    lf = tmp_path / "lf.bib"
    big_bib(lf)
    crlf = tmp_path / "crlf.bib"
    crlf.write_bytes(lf.read_bytes().replace(b"\n", b"\r\n"))
    a, b, again = store.read(lf), store.read(crlf), store.read(lf)  # again: remembered
    assert a.digest == again.digest == hashlib.sha256(lf.read_bytes()).digest()
    assert b.digest == hashlib.sha256(crlf.read_bytes()).digest() != a.digest
    assert (b.text, b.papers) == (a.text, a.papers)
