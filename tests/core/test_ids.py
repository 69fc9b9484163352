from __future__ import annotations

import pytest

from vlabib.errors import IdError
from vlabib.ids import doi_key, id_year_month, is_arxiv_id, parse_arxiv_id, parse_arxiv_ids


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        pytest.param("2509.09372", "2509.09372", id="bare"),
        pytest.param("2509.09372v2", "2509.09372", id="version"),
        pytest.param("arXiv:2509.09372", "2509.09372", id="prefix"),
        pytest.param("arxiv:2509.09372v3", "2509.09372", id="prefix-lower-version"),
        pytest.param("https://arxiv.org/abs/2509.09372", "2509.09372", id="abs-url"),
        pytest.param("https://arxiv.org/abs/2509.09372v2", "2509.09372", id="abs-url-version"),
        pytest.param("https://arxiv.org/pdf/2509.05614", "2509.05614", id="pdf-url"),
        pytest.param("https://arxiv.org/pdf/2509.05614v1.pdf", "2509.05614", id="pdf-url-ext"),
        pytest.param("http://export.arxiv.org/abs/2509.05614", "2509.05614", id="export-host"),
        pytest.param("https://arxiv.org/html/2509.05614v2", "2509.05614", id="html-url"),
        pytest.param("arxiv.org/abs/2509.05614/", "2509.05614", id="no-scheme-slash"),
        pytest.param("  2509.09372 ", "2509.09372", id="spaces"),
        pytest.param("cs/0112017", "cs/0112017", id="old-style"),
        pytest.param("cs/0112017v1", "cs/0112017", id="old-style-version"),
        pytest.param("math.GT/0309136", "math.GT/0309136", id="old-style-subject"),
        pytest.param("hep-th/9901001", "hep-th/9901001", id="old-style-dash"),
        pytest.param("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001", id="old-url"),
        pytest.param("1412.6980", "1412.6980", id="four-digit-2014"),
    ],
)
def test_parse_arxiv_id(arg: str, expected: str) -> None:
    assert parse_arxiv_id(arg) == expected


@pytest.mark.parametrize(
    "arg",
    [
        pytest.param("abc", id="word"),
        pytest.param("2509.0937", id="too-short-2015"),
        pytest.param("1412.69801", id="five-digit-2014"),
        pytest.param("2513.09372", id="month-13"),
        pytest.param("2509.09372v0", id="version-0"),
        pytest.param("https://example.org/abs/2509.09372", id="other-host"),
        pytest.param("https://arxiv.org/list/2509.09372", id="other-path"),
        pytest.param("", id="empty"),
    ],
)
def test_parse_arxiv_id_rejects(arg: str) -> None:
    with pytest.raises(IdError, match="not an arXiv ID"):
        parse_arxiv_id(arg)


def test_every_bad_argument_is_named_in_one_error() -> None:
    with pytest.raises(IdError) as info:
        parse_arxiv_ids(["2509.09372", "abc", "2509.1", "arXiv:2509.09372v2"])
    assert "'abc'" in str(info.value)
    assert "'2509.1'" in str(info.value)
    assert "2509.09372" not in str(info.value).split("(")[0]


def test_duplicates_are_dropped_keeping_order() -> None:
    assert parse_arxiv_ids(["2509.09372v2", "2406.04339", "arXiv:2509.09372"]) == [
        "2509.09372",
        "2406.04339",
    ]


@pytest.mark.parametrize(
    ("key", "ok"),
    [("2509.09372", True), ("2509.09372v2", False), ("cs/0112017", True), ("CS/0112017", False)],
)
def test_is_arxiv_id(key: str, ok: bool) -> None:
    assert is_arxiv_id(key) is ok


def test_year_month() -> None:
    assert id_year_month("2509.09372") == (2025, 9)
    assert id_year_month("cs/9912017") == (1999, 12)


def test_doi_key() -> None:
    assert doi_key("10.1109/LRA.2025.3(4)") == "doi:10_1109/lra.2025_3_4_"
    # No key reads as an arXiv ID, for tools that look for them in keys.
    assert doi_key("10.1145/3219819.3220007") == "doi:10_1145/3219819_3220007"
