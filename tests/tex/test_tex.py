from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vlabib.tex.allow import unsafe_construct
from vlabib.tex.chars import char_latex
from vlabib.tex.encode import encode, encode_non_ascii, text_to_latex
from vlabib.tex.read import latex_to_text


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        pytest.param("Müller", 'M{\\"u}ller', id="umlaut"),
        pytest.param("Ömer Erdinç Yağmurlu", '{\\"O}mer Erdin{\\c c} Ya{\\u g}murlu', id="turkish"),
        pytest.param("Erdős", "Erd{\\H o}s", id="double-acute-not-acute"),
        pytest.param("ű", "{\\H u}", id="pylatexenc-bug"),
        pytest.param("Łukasz Straße", "{\\L}ukasz Stra{\\ss}e", id="letters"),
        pytest.param("50% & #1 a_b $5", "50\\% \\& \\#1 a\\_b \\$5", id="specials"),
        pytest.param(
            "a{b}\\c~d^e",
            "a\\textbraceleft{}b\\textbraceright{}\\textbackslash{}c\\textasciitilde{}d\\textasciicircum{}e",
            id="braces-backslash",
        ),
    ],
)
def test_text_to_latex(text: str, latex: str) -> None:
    assert text_to_latex(text) == latex
    assert latex_to_text(latex) == text


def test_protection_and_math() -> None:
    title = "VLA-Adapter: SmolVLA stEer F1 3D in $O(n^2)$ A Model"
    assert text_to_latex(title, math=True, protect=True) == (
        "{VLA-Adapter}: {SmolVLA} {stEer} {F1} {3D} in {$O(n^2)$} A Model"
    )


@pytest.mark.parametrize(
    ("text", "latex", "shown", "dropped"),
    [
        pytest.param("Ψ₀: A VLA", "{$\\Psi_{0}$}: A {VLA}", "Ψ₀: A VLA", (), id="greek-subscript"),
        pytest.param("x² H₂O", "x$^{2}$ {H$_{2}$O}", "x² H₂O", (), id="super-subscript"),
        pytest.param("αβ", "$\\alpha\\beta$", "αβ", (), id="greek-run"),
        pytest.param("漢字 Title", "漢字 Title", "漢字 Title", (), id="cjk-kept"),
        pytest.param("🎉 SmolVLA：Fast", "🎉 {SmolVLA}:Fast", "🎉 SmolVLA:Fast", (), id="emoji"),
        pytest.param("1️⃣ Pruning", "1️⃣ Pruning", "1️⃣ Pruning", (), id="keycap"),
        pytest.param(
            "Vision-Language-Action",
            "Vision-Language-Action",
            "Vision-Language-Action",
            (),
            id="compound-plain",
        ),
        pytest.param(
            "Align-Then-stEer",
            "{Align-Then-stEer}",
            "Align-Then-stEer",
            (),
            id="compound-protected",
        ),
        pytest.param("a\u202eb", "ab", "ab", (), id="bidi-override"),
        pytest.param("A -- B --- C", "A -{}- B -{}-{}- C", "A -- B --- C", (), id="dashes-typed"),
        pytest.param("``q'' and 'q'", "`{}`q'{}' and 'q'", "``q'' and 'q'", (), id="quotes-typed"),
        pytest.param(
            "“q” – d — …",
            "\\textquotedblleft{}q\\textquotedblright{} \\textendash{} d \\textemdash{} \\ldots{}",
            "“q” – d — …",
            (),
            id="typographic",
        ),
        pytest.param("bell \x07 ring", "bell ring", "bell ring", (), id="control"),
    ],
)
def test_any_title_is_encoded(text: str, latex: str, shown: str, dropped: tuple[str, ...]) -> None:
    """No title is refused: what LaTeX can say becomes LaTeX, CJK and emoji stay (the PDF
    prints CJK and leaves emoji out), invisible controls go."""
    result = encode(text, math=True, protect=True)
    assert result.text == latex
    assert result.dropped == dropped
    assert latex_to_text(result.text) == shown
    assert unsafe_construct(result.text) is None


@pytest.mark.parametrize(
    "title",
    [
        "Hat $x^^5cinput{/tmp/canary.tex}^^5cimmediate^^5copenout7=pwned$ x",
        "$^^5cimmediate^^5copenout7=main^^5cimmediate^^5ccloseout7$",
        "$\\input{/etc/passwd}$",
        "$\\csname input\\endcsname{x}$",
        "$\\write18{id}$",
        "$\\mathbb{R}$",
    ],
)
def test_unsafe_math_is_kept_as_literal_text(title: str) -> None:
    result = encode(title, math=True, protect=True)
    assert result.literal_math
    assert unsafe_construct(result.text) is None
    assert "^^" not in result.text
    assert latex_to_text(result.text) == title


def test_arxiv_titles_are_tex_so_dashes_and_quotes_are_ligatures() -> None:
    latex = text_to_latex("A -- B --- ``C''", ligatures=True)
    assert latex == "A -- B --- ``C''"
    assert latex_to_text(latex) == "A – B — “C”"


def test_encode_non_ascii_keeps_existing_latex() -> None:
    assert encode_non_ascii("R{\\'e}my Müller \\& co") == "R{\\'e}my M{\\\"u}ller \\& co"
    assert encode_non_ascii("漢 $α$ α") == "漢 $\\alpha$ $\\alpha$"


# Printable text from Latin scripts (with accents), punctuation and LaTeX specials.
latin_text = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=["Lu", "Ll", "Nd", "Po", "Ps", "Pe", "Pd", "Sm", "Sc", "Zs"],
        max_codepoint=0x17F,
    ),
    max_size=40,
)


@given(latin_text)
def test_round_trip(text: str) -> None:
    latex = text_to_latex(text)
    assert unsafe_construct(latex) is None
    kept = "".join(c for c in text if char_latex(c)[0] != "drop")
    assert latex_to_text(latex) == " ".join(kept.split())


@given(st.text(max_size=60))
def test_any_text_encodes_to_allowed_latex(text: str) -> None:
    """Whatever arrives (any code point, any math), the encoding passes the allow-list."""
    for math in (False, True):
        assert unsafe_construct(text_to_latex(text, math=math, protect=True)) is None


# -- the fast decoder agrees with pylatexenc ----------------------------------------------------

latex_tokens = st.sampled_from(
    [
        "a",
        "Z",
        " ",
        "  ",
        "-",
        "--",
        "---",
        "~",
        "'",
        "''",
        "`",
        "``",
        "{a}",
        "{}",
        '\\"u',
        '{\\"u}',
        '\\"{u}',
        "\\u g",
        "{\\u g}",
        "\\c c",
        "{\\'\\i}",
        "\\H o",
        "\\k a",
        "\\&",
        "\\%",
        "\\_",
        "\\#",
        "\\$",
        "\\{",
        "\\}",
        "{\\ss}",
        "\\ss ",
        "{\\o}",
        "{\\L}",
        "\\textbraceleft{}",
        "\\textbackslash{}",
        "\\textasciicircum{}",
        "{\\textendash}",
        "{\\textquoteright}",
        "\\ldots{}",
        "\\textendash{}",
        "{VLA}",
        "Nguy{\\~{\\^e}}n",
        '\\v{\\"u}',
        "3D",
        ":",
        ".",
    ]
)


@given(st.lists(latex_tokens, max_size=12).map("".join))
def test_fast_decoder_equals_pylatexenc(latex: str) -> None:
    """On the LaTeX vlabib writes, the fast decoder answers, and as pylatexenc does."""
    import unicodedata

    from vlabib.tex.read import _fast_decode, pylatexenc_to_text

    fast = _fast_decode(latex)
    assert fast is not None
    assert unicodedata.normalize("NFC", fast) == pylatexenc_to_text(latex)


@given(
    st.lists(
        st.sampled_from(["a", " ", "{", "}", "-", "'", "`", "~", "%", "\\", "é"]), max_size=12
    ).map("".join)
)
def test_text_with_only_braces_reads_as_the_fast_decoder_reads_it(latex: str) -> None:
    """Titles whose only LaTeX is braces skip the token reader: the same text comes out."""
    import unicodedata

    from vlabib.tex.read import _fast_decode, _only_braces, _text

    fast = _fast_decode(latex)
    if _only_braces(latex):
        assert fast is not None
        assert _text(latex) == unicodedata.normalize("NFC", fast)


@pytest.mark.parametrize(
    ("math", "text"),
    [
        ("$x_1$", "x₁"),
        ("$\\alpha\\beta$", "αβ"),
        ("$O(n^2)$", "O(n²)"),
        ("$\\Psi_{0}$", "Ψ₀"),
        ("$\\mathbb{R}$", "$\\mathbb{R}$"),  # no character for it: kept as written
        ("$x_i$", "$x_i$"),
    ],
)
def test_simple_math_reads_as_text(math: str, text: str) -> None:
    assert latex_to_text(math) == text


accented_names = st.text(
    alphabet=st.one_of(
        st.characters(categories=["Lu", "Ll"], max_codepoint=0x17F), st.sampled_from(" -&%#_$.,:")
    ),
    max_size=30,
)


@given(accented_names)
def test_fast_decoder_reads_accented_names_and_specials(text: str) -> None:
    """Names and titles in Latin scripts never need the slow path (rare symbols may)."""
    from vlabib.tex.read import _fast_decode

    assert _fast_decode(text_to_latex(text, protect=True)) is not None


_PIECES = [
    "a", "Z", " ", "\n", "{", "}", "\\'", "\\\"", "\\~", "\\c c", "\\u g", "\\o", "\\L", "\\ss",
    "\\i", "\\textbf", "\\emph{", "\\input", "\\def", "\\", "\\\\", "\\{", "\\}", "$", "^", "^^",
    "_", "#", "%", "&", "\\&", "\\%", "\\left(", "\\right)", "\\url{https://a.org}", "\x01",
    "\\csname", "\\ ", "\\-", "\\@", "é",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_the_fast_path_accepts_only_what_the_token_reader_accepts(value: str) -> None:
    """Names and titles of plain text and accents skip the token-by-token reading; it must
    never let through what that reading refuses (an allow-list, not a guess)."""
    from vlabib.tex import allow

    if allow._plain_text(value):
        assert allow._first_unsafe(value) is None


@pytest.mark.parametrize(
    "value", ["Garc{\\'i}a, S{\\o}ren", "Nguy{\\~{\\^e}}n", "{\\L}ukasz Fran{\\c c}oise", "{VLA}"]
)
def test_common_names_take_the_fast_path(value: str) -> None:
    from vlabib.tex import allow

    assert allow._plain_text(value)


def test_deep_braces_fall_back_to_the_linear_reader() -> None:
    from vlabib.tex import allow

    deep = "{" * 50_000 + "}" * 50_000
    assert not allow._plain_text(deep)
    assert unsafe_construct(deep) is None


def test_unicode_hyphens_print_as_hyphens() -> None:
    """Titles copied from a PDF hold U+2010 (and U+2011): no pdflatex font has them under
    that code point, and the PDF lost the hyphen; they are written as the hyphen they are."""
    from vlabib.tex.encode import pdf_missing

    assert encode_non_ascii("Vision\u2010Language\u2011Action") == "Vision-Language-Action"
    assert pdf_missing("Vision\u2010Language") == []
