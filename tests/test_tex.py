from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vlabib.tex import LatexError, encode_non_ascii, latex_to_text, text_to_latex


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
        "{VLA}-Adapter: {SmolVLA} {stEer} {F1} {3D} in $O(n^2)$ A Model"
    )


@pytest.mark.parametrize("text", ["漢字", "emoji 😀", "bell \x07"])
def test_unrepresentable_characters_are_a_clear_error(text: str) -> None:
    with pytest.raises(LatexError, match=r"U\+[0-9A-F]{4}.*cannot be written to BibTeX"):
        text_to_latex(text)


def test_encode_non_ascii_keeps_existing_latex() -> None:
    assert encode_non_ascii("R{\\'e}my Müller \\& co") == "R{\\'e}my M{\\\"u}ller \\& co"
    with pytest.raises(LatexError):
        encode_non_ascii("漢")


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
def test_round_trip_or_clear_error(text: str) -> None:
    try:
        latex = text_to_latex(text)
    except LatexError:
        return
    assert latex.isascii()
    assert latex_to_text(latex) == " ".join(text.split())


# -- the fast decoder agrees with pylatexenc ----------------------------------------------------

latex_tokens = st.sampled_from(
    [
        "a", "Z", " ", "  ", "-", "--", "---", "~", "'", "''", "`", "``", "{", "}", "{}",
        '\\"u', '{\\"u}', '\\"{u}', "\\u g", "{\\u g}", "\\c c", "{\\'\\i}", "\\H o", "\\k a",
        "\\&", "\\%", "\\_", "\\#", "\\$", "\\{", "\\}", "{\\ss}", "\\ss ", "{\\o}", "{\\L}",
        "\\textbraceleft{}", "\\textbackslash{}", "\\textasciicircum{}", "{\\textendash}",
        "{\\textquoteright}", "\\ldots{}", "$x_1$", "$\\alpha$", "{VLA}", "3D", ":", ".",
    ]
)  # fmt: skip


@given(st.lists(latex_tokens, max_size=12).map("".join))
def test_fast_decoder_equals_pylatexenc(latex: str) -> None:
    from vlabib.tex import _fast_decode, pylatexenc_to_text

    fast = _fast_decode(latex)
    if fast is not None and latex.count("{") == latex.count("}"):
        import unicodedata

        assert unicodedata.normalize("NFC", fast) == pylatexenc_to_text(latex)


accented_names = st.text(
    alphabet=st.one_of(
        st.characters(categories=["Lu", "Ll"], max_codepoint=0x17F), st.sampled_from(" -&%#_$.,:")
    ),
    max_size=30,
)


@given(accented_names)
def test_fast_decoder_reads_accented_names_and_specials(text: str) -> None:
    """Names and titles in Latin scripts never need the slow path (rare symbols may)."""
    from vlabib.tex import _fast_decode

    try:
        latex = text_to_latex(text, protect=True)
    except LatexError:
        return
    assert _fast_decode(latex) is not None
