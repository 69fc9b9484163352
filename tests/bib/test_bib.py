from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.helpers import DATA
from vlabib import bib
from vlabib.bib import parse
from vlabib.errors import BibError
from vlabib.model import Paper
from vlabib.tex.encode import text_to_latex

ENTRY = """@misc{{{key},
  title         = {{{title}}},
  author        = {{Li, Wei}},
  year          = {{2025}},
  eprint        = {{{key}}},
  archiveprefix = {{arXiv}},
  url           = {{https://arxiv.org/abs/{key}}},
  keywords      = {{token-pruning}},
}}
"""


def entry(key: str = "2509.09372", title: str = "A Title") -> str:
    return ENTRY.format(key=key, title=title)


def test_canonical_text_round_trips_byte_for_byte() -> None:
    text = entry("2406.04339") + "\n" + entry()
    assert bib.write_string(bib.parse_string(text)) == text


def test_writer_sorts_orders_aligns_and_normalises() -> None:
    messy = (
        '@MISC{2509.09372, Keywords = "b,a, a", url={https://x.org/u}, title = {A\n   title},\n'
        "archivePrefix={arXiv}, eprint={2509.09372}, author={Li,  Wei and\n Wang, Yu},"
        " year = 2025, month = Sep}\r\n"
    )
    assert bib.write_string(bib.parse_string(messy)) == (
        "@misc{2509.09372,\n"
        "  title         = {A title},\n"
        "  author        = {Li, Wei and Wang, Yu},\n"
        "  year          = {2025},\n"
        "  month         = sep,\n"
        "  eprint        = {2509.09372},\n"
        "  archiveprefix = {arXiv},\n"
        "  url           = {https://x.org/u},\n"
        "  keywords      = {a, b},\n"
        "}\n"
    )


def test_raw_unicode_is_written_as_braced_latex() -> None:
    (paper,) = bib.parse_string(entry(title="Müller’s Straße"))
    assert paper.title == 'M{\\"u}ller\\textquoteright{}s Stra{\\ss}e'


def lines_of(text: str) -> list[str]:
    with pytest.raises(BibError) as info:
        bib.parse_string(text, "refs/vla.bib")
    return str(info.value).splitlines()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            entry() + "\n" + entry("2509.09373", "unclosed {brace"),
            "refs/vla.bib:12: '{' is never closed",
            id="unclosed-brace-in-field",
        ),
        pytest.param(
            entry() + "\n@misc{2509.09373,\n  title = {A},\n  author = {B},\n  year = {2025},\n",
            "refs/vla.bib:11: '{' is never closed",
            id="unclosed-entry-at-end",
        ),
        pytest.param(
            entry() + entry(), "refs/vla.bib:10: duplicate key 2509.09372", id="duplicate"
        ),
        pytest.param(
            entry("cs/0112017") + entry("CS/0112017"),
            "refs/vla.bib:10: entry CS/0112017 is not a valid arXiv ID (write cs/0112017)",
            id="bad-key-case",
        ),
        pytest.param(
            entry("2509.09372v2"),
            "refs/vla.bib:1: entry 2509.09372v2 is not a valid arXiv ID (write 2509.09372)",
            id="versioned-key",
        ),
        pytest.param(
            "@string{ieee = {IEEE}}\n", "refs/vla.bib:1: @string ieee is not supported", id="string"
        ),
        pytest.param(
            entry().replace("{A Title}", '{A} # "B"'),
            "refs/vla.bib:2: entry 2509.09372: field title: '#'",
            id="concat",
        ),
        pytest.param(
            entry().replace("{A Title}", "ieee"),
            "refs/vla.bib:2: entry 2509.09372: field title: 'ieee' is an undefined macro",
            id="macro",
        ),
        pytest.param(
            entry().replace("  title         = {A Title},\n", ""),
            "refs/vla.bib:1: entry 2509.09372: required field title is missing",
            id="missing-title",
        ),
        pytest.param(
            entry().replace("{A Title}", "{A ^^5cinput x}"),
            "refs/vla.bib:2: entry 2509.09372: field title: ^^ (TeX character-code notation) "
            "is not allowed in a bibliography field",
            id="caret-notation",
        ),
        pytest.param(
            entry().replace("eprint        = {2509.09372}", "eprint = {2509.09999}"),
            "refs/vla.bib:1: entry 2509.09372: eprint must be the key",
            id="eprint-mismatch",
        ),
        pytest.param("@comment{x}\n", "refs/vla.bib:1: @comment is not kept", id="comment"),
        pytest.param(
            "stray\n" + entry(), "refs/vla.bib:1: text outside any entry", id="stray-text"
        ),
        pytest.param(
            entry().replace("{A Title}", "{A}, title = {B}"),
            "refs/vla.bib:1: field title appears twice",
            id="duplicate-field",
        ),
    ],
)
def test_errors_name_file_and_line(text: str, expected: str) -> None:
    assert any(line.startswith(expected) for line in lines_of(text)), lines_of(text)


def test_bom_and_crlf_are_read() -> None:
    text = "\ufeff" + entry().replace("\n", "\r\n")
    assert bib.write_string(bib.parse_string(text)) == entry()


def test_read_reports_non_utf8_with_line(tmp_path: Path) -> None:
    path = tmp_path / "x.bib"
    path.write_bytes(entry().encode() + b"@misc{2509.0937x,\n title = {M\xfcller}}\n")
    with pytest.raises(BibError, match=r"x.bib:11: not UTF-8"):
        bib.read(path, "x.bib")


# -- property: parse(write(papers)) == papers -------------------------------------------

text_values = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=["Lu", "Ll", "Nd", "Po", "Ps", "Pe", "Pd", "Sm", "Sc", "Sk", "Zs"],
        max_codepoint=0x2FF,
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")
math = st.sampled_from(["", " $x_1^2$", " $\\alpha + \\{b\\}$", " $O(n)$"])


@st.composite
def papers(draw: st.DrawFn) -> list[Paper]:
    numbers = draw(st.lists(st.integers(10000, 99999), min_size=1, max_size=4, unique=True))
    out = []
    for n in numbers:
        key = f"2509.{n}"
        title = text_to_latex(draw(text_values) + draw(math), math=True, protect=True)
        names = [text_to_latex(draw(text_values)).replace(" and ", " und ") for _ in range(2)]
        authors = [f"{{{n}}}" for n in names]
        fields = {
            "title": title,
            "author": " and ".join(authors),
            "year": "2025",
            "month": draw(st.sampled_from(["jan", "sep"])),
            "eprint": key,
            "archiveprefix": "arXiv",
            "url": f"https://arxiv.org/abs/{key}",
            "keywords": ", ".join(
                sorted(draw(st.sets(st.sampled_from(["a", "b-c", "d"]), min_size=1)))
            ),
        }
        out.append(Paper(key, "misc", fields))
    return sorted(out, key=lambda p: p.key)


@given(papers())
def test_parse_write_round_trip(library: list[Paper]) -> None:
    text = bib.write_string(library)
    assert bib.parse_string(text) == library
    assert bib.write_string(bib.parse_string(text)) == text


# -- the fast reader agrees with the careful one ----------------------------------------------

layouts = st.sampled_from(
    [
        ("  {name:<13} = {value},", "\n"),  # canonical
        ("{name}={value},", " "),  # all on one line
        ("\t{NAME} =\n  {value} ,", "\n"),  # upper-case names, odd spacing
    ]
)


@given(papers(), layouts, st.booleans(), st.booleans())
def test_fast_reader_equals_careful_reader(
    library: list[Paper], layout: tuple[str, str], trailing_comma: bool, bare_year: bool
) -> None:
    field_fmt, sep = layout
    blocks = []
    for paper in library:
        lines = [f"@MISC{{ {paper.key},"]
        for name, value in paper.fields.items():
            shown = (
                value if name == "month" or (bare_year and name == "year") else "{" + value + "}"
            )
            lines.append(field_fmt.format(name=name, NAME=name.upper(), value=shown))
        if not trailing_comma:
            lines[-1] = lines[-1].rstrip(",")
        blocks.append(sep.join(lines) + sep + "}")
    text = "\n\n".join(blocks) + "\n"
    fast = parse._fast_parse(text)
    careful = parse._careful_parse(text, "x.bib")
    depth = deepest = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        deepest = max(deepest, depth)
    # Values nested deeper than the fast reader's four levels are the careful reader's.
    assert fast is not None or deepest > 5
    assert fast is None or fast == careful
    assert fast is None or [p.line for p in fast] == [p.line for p in careful]


@pytest.mark.parametrize(
    ("value", "names"),
    [
        pytest.param("Li, Wei and Wang, Yu", ["Li, Wei", "Wang, Yu"], id="two"),
        pytest.param(
            "{Barnes and Noble} and Li, W.", ["{Barnes and Noble}", "Li, W."], id="braced-and"
        ),
        pytest.param("{A {and} B} and C", ["{A {and} B}", "C"], id="nested"),
        pytest.param("Anderson, Sandy", ["Anderson, Sandy"], id="and-inside-words"),
        pytest.param("", [], id="empty"),
    ],
)
def test_split_names(value: str, names: list[str]) -> None:
    from vlabib.names import split_names

    assert split_names(value) == names


def _reference_difference(text: str, canonical: str) -> int:
    """The first differing line as check found it by writing the whole canonical text."""
    if text == canonical:
        return 0
    have, want = text.splitlines(), canonical.splitlines()
    for number, (a, b) in enumerate(zip(have, want, strict=False), 1):
        if a != b:
            return number
    return min(len(have), len(want)) + 1


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 10_000), st.sampled_from(["", "x", "\n", " ", "\n\n", "}"]), st.integers(0, 3)
)
def test_first_difference_finds_the_line_writing_would(pos: int, insert: str, cut: int) -> None:
    papers = bib.load(DATA / "survey" / "refs" / "papers.bib")
    canonical = bib.write_string(papers)
    pos %= len(canonical) + 1
    text = canonical[:pos] + insert + canonical[pos + cut :]
    assert bib.first_difference(text, papers) == _reference_difference(text, canonical)


def test_a_large_bib_is_read_once_and_remembered_safely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse is remembered by the text's hash in the user's cache: the same text reads
    back the same papers, a changed text is parsed again, and a damaged entry is ignored."""
    from vlabib.bib import remembered as bibcache

    monkeypatch.setattr(bibcache, "_REMEMBER_FROM", 0)
    monkeypatch.setenv("VLABIB_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "papers.bib"
    source = (DATA / "survey" / "refs" / "papers.bib").read_text()
    path.write_text(source)
    first = bib.read(path).papers
    (remembered,) = (tmp_path / "cache" / "parsed").glob("*.bin")
    assert bib.read(path).papers == first
    remembered.write_bytes(remembered.read_bytes()[:-7])  # torn: read as a miss, parsed again
    assert bib.read(path).papers == first
    path.write_text(source.replace("{ICLR 2025}", "{ICLR 2026}"))
    assert [p.venue for p in bib.read(path).papers if p.key == "2407.21118"] == ["ICLR 2026"]
    path.write_text(source.replace("{Palu:", "{\\input{x} Palu:"))
    with pytest.raises(BibError):  # a hostile text is never remembered as sound
        bib.read(path)


@pytest.mark.parametrize("tamper", ["input", "javascript", "empty", "swapped"])
def test_an_edited_cache_entry_is_never_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tamper: str
) -> None:
    """The attack of 2026-12-07: with the bib byte-identical, an edited remembered parse put
    \\input into references.bib, a javascript: link into the README, or dropped every paper.
    An entry without its MAC (made with a secret only the user can read) is discarded."""
    from vlabib.bib import remembered as bibcache

    monkeypatch.setattr(bibcache, "_REMEMBER_FROM", 0)
    monkeypatch.setenv("VLABIB_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "papers.bib"
    path.write_text((DATA / "survey" / "refs" / "papers.bib").read_text())
    first = bib.read(path).papers
    (entry,) = (tmp_path / "cache" / "parsed").glob("*.bin")
    mac, _, body = entry.read_bytes().partition(b"\n")
    rows = marshal.loads(body)
    if tamper == "input":
        rows[0][2]["title"] = "\\input{/etc/passwd}"
    elif tamper == "javascript":
        rows[0][2]["url"] = "javascript:alert(1)"
    elif tamper == "empty":
        rows = []
    forged = marshal.dumps(rows)
    if tamper == "swapped":  # a valid entry of another text, under this text's name
        other = tmp_path / "other.bib"
        other.write_text(path.read_text().replace("{ICLR 2025}", "{ICLR 2026}"))
        bib.read(other)
        (twin,) = set((tmp_path / "cache" / "parsed").glob("*.bin")) - {entry}
        entry.write_bytes(twin.read_bytes())
    else:
        entry.write_bytes(mac + b"\n" + forged)
    assert bib.read(path).papers == first
    assert (tmp_path / "cache" / "parsed" / "key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        (
            "\\{}x{\\}",
            "TeX would stop at a } that closes no { (\\{ and \\} are characters to TeX, not "
            "braces); balance the value as TeX reads it",
        ),
        ("$\\left( x$", "TeX would stop at a \\left without its \\right; balance the value as TeX"),
    ],
)
def test_values_bibtex_balances_but_tex_cannot_typeset(title: str, problem: str) -> None:
    """BibTeX counts every brace; TeX reads \\{ as a character: check what TeX will see."""
    text = (
        "@misc{2509.09372,\n  title         = {" + title + "},\n  eprint        = {2509.09372},\n"
        "  archiveprefix = {arXiv},\n  url           = {https://arxiv.org/abs/2509.09372},\n}\n"
    )
    with pytest.raises(BibError) as caught:
        bib.parse_string(text, "refs/papers.bib")
    assert f"refs/papers.bib:2: entry 2509.09372: field title: {problem}" in str(caught.value)


_VALUE_PIECES = [
    "a", "Z", "1", " ", "  ", "{", "}", "{x}", "\\'e", "\\input", "$x$", "_", "#", "%", "&",
    "ü", "\t", "\x01", "https://a.org", "-", ":", ";", "yes", "2025", "2025-01", "sep",
]  # fmt: skip


@given(
    st.sampled_from(["title", "abstract", "author", "year", "url", "links", "month", "keywords",
                     "doi", "eprint", "date", "note", "venue", "custom"]),
    st.lists(st.sampled_from(_VALUE_PIECES), max_size=10).map("".join),
)  # fmt: skip
def test_the_free_text_fast_path_agrees_with_every_rule(name: str, value: str) -> None:
    """A free-text value the fast path takes as it is, every rule takes as it is too."""
    from vlabib.bib import fields

    assume(fields.delimited("{" + value + "}") is not None)  # the fast reader's: balanced
    fast = fields._field_value(name, value, balanced=True)
    if fast == (value, ""):
        loose = "  " in value or value[:1] == " " or value[-1:] == " "
        assert fields._checked_value(name, value, not loose) == (value, "")
