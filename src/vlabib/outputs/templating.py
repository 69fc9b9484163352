"""The jinja2 environments (jinja2's one home) and the filters templates format with:
Markdown-safe text and URLs, LaTeX text. LaTeX templates use delimiters LaTeX never holds.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import jinja2

from vlabib.tex.encode import text_to_latex

# Inline syntax, entities, and ':' before '//' or '.' after 'www' (GitHub's autolinks; the
# '.' tested before looking behind it);
# at the start, what would open a nested list ("- x", "1. x" after the bullet's "- ").
_MD_SPECIAL_RE = re.compile(
    r"([\\`*_\[\]<>|#~]|&(?=#?\w+;)|:(?=//)|\.(?<=\b[wW][wW][wW]\.)|^[-+](?=\s|$))"
)
# "1. x" at the start would open an ordered list.
_MD_ORDINAL_RE = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_URL_UNSAFE_RE = re.compile(r"""[\s()<>\[\]|"'\x00-\x1f\x7f]""")


@functools.lru_cache(maxsize=1 << 16)
def md_text(text: str) -> str:
    """Markdown-safe inline text: no markup, HTML, entity or table cell break survives.

    >>> md_text("A *bold* <b>|x</b> &amp; 2 & 3")
    'A \\\\*bold\\\\* \\\\<b\\\\>\\\\|x\\\\</b\\\\> \\\\&amp; 2 & 3'
    """
    text = " ".join(text.split())
    if _may_need_escapes(text):
        text = _MD_SPECIAL_RE.sub(r"\\\1", text)
    return _MD_ORDINAL_RE.sub(r"\1\\\2", text) if text[:1].isdigit() else text


# What _MD_SPECIAL_RE can match begins with one of these, or is '://', 'www.' or a leading
# '-' or '+': text with none of them (most names) is left as it is without the substitution.
_MD_FIRST_RE = re.compile(r"[\\`*_\[\]<>|#~&]")


def _may_need_escapes(text: str) -> bool:
    return bool(
        _MD_FIRST_RE.search(text)
        or "://" in text
        or "www." in text.lower()
        or text.startswith(("-", "+"))
    )


def md_url(url: str) -> str:
    """A URL that cannot end a Markdown link early."""
    return _URL_UNSAFE_RE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


@functools.cache
def environment() -> jinja2.Environment:
    """The one base environment; Markdown templates use it as it is."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("vlabib.outputs", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=md_text, url=md_url, tex=text_to_latex)
    return env


@functools.cache
def latex_environment() -> jinja2.Environment:
    """The base environment with delimiters LaTeX never contains."""
    return environment().overlay(
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((=",
        comment_end_string="=))",
    )


@functools.cache
def html_environment() -> jinja2.Environment:
    """The base environment with HTML autoescaping: every value is text, never markup."""
    return environment().overlay(autoescape=True)


def html_template(name: str) -> jinja2.Template:
    return html_environment().get_template(name)


def template(name: str, **context: Any) -> str:
    env = latex_environment() if name.endswith((".tex", ".bib")) else environment()
    return env.get_template(name).render(**context)
