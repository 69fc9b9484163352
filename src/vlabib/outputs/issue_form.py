"""A GitHub issue form for suggesting a paper, and how its answers are read back.

``vlabib init`` (or ``vlabib init --github`` in a survey that exists) writes the form
(``.github/ISSUE_TEMPLATE/add-paper.yml``, its category menu made from the taxonomy by
``build``) and a workflow that, on an issue a maintainer labels ``add-paper``, runs
``vlabib add --from-issue`` and opens a pull request. The issue's text reaches the
workflow only through an environment variable and a file, never through ``${{ … }}`` in a
script, and vlabib validates every answer before using it.

>>> body = "### arXiv ID or URL\\n\\n2509.09372\\n\\n### Category\\n\\n"
>>> answers(body + "Token Pruning [token-pruning]")
{'arXiv ID or URL': '2509.09372', 'Category': 'Token Pruning [token-pruning]'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vlabib.errors import VlabibError
from vlabib.ids import IdError, parse_arxiv_id
from vlabib.taxonomy import Taxonomy, is_node_id, toml_string
from vlabib.tex.allow import to_url

FORM = ".github/ISSUE_TEMPLATE/add-paper.yml"
WORKFLOW = ".github/workflows/add-paper.yml"
PAPER, CATEGORY, CODE, NOTE = "arXiv ID or URL", "Category", "Code (optional)", "Why it belongs"
_NO_RESPONSE = "_No response_"
_HEADING_RE = re.compile(r"(?m)^###[ \t]+(.+?)[ \t]*$")
_LEAF_RE = re.compile(r"\[([a-z0-9-]+)\]\s*$")


@dataclass(frozen=True)
class Suggested:
    """What an issue asks: a paper, its leaf, maybe its code."""

    arxiv_id: str
    leaf: str
    code: str


def answers(body: str) -> dict[str, str]:
    """An issue form's answers by question (GitHub writes each as a ``###`` heading and the
    answer below it); an unanswered question is left out."""
    body = body.replace("\r\n", "\n")
    marks = list(_HEADING_RE.finditer(body))
    out = {}
    for n, mark in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(body)
        value = body[mark.end() : end].strip()
        if value and value != _NO_RESPONSE:
            out[mark.group(1)] = value
    return out


def suggested(body: str, taxonomy: Taxonomy) -> Suggested:
    """The paper an issue form's body asks for, every answer checked (one clear error)."""
    found = answers(body)
    try:
        ident = parse_arxiv_id(found.get(PAPER, "").split()[0] if found.get(PAPER) else "")
    except IdError:
        raise VlabibError(
            f"the issue's {PAPER!r} is not an arXiv ID or URL; edit the issue"
        ) from None
    m = _LEAF_RE.search(found.get(CATEGORY, ""))
    leaf = m.group(1) if m else ""
    if not (is_node_id(leaf) and leaf in taxonomy and taxonomy[leaf].is_leaf):
        raise VlabibError(f"the issue's {CATEGORY!r} names no leaf of the taxonomy; edit the issue")
    code = found.get(CODE, "")
    if code and not to_url(code.split()[0]):
        raise VlabibError(f"the issue's {CODE!r} is not an http(s) link; edit the issue")
    return Suggested(ident, leaf, to_url(code.split()[0]) if code else "")


def form(taxonomy: Taxonomy) -> str:
    """The issue form, its category menu made from the taxonomy's leaves."""
    q = toml_string  # a JSON string is a YAML string
    options = "\n".join(f"        - {q(f'{leaf.title} [{leaf.id}]')}" for leaf in taxonomy.leaves)
    return f"""# Made by vlabib from the taxonomy; 'vlabib build' keeps the category menu current.
name: Suggest a paper
description: A paper this survey should cover. A maintainer labels it add-paper to add it.
title: "Add paper: "
body:
  - type: input
    id: paper
    attributes:
      label: {PAPER}
      placeholder: 2509.09372 or https://arxiv.org/abs/2509.09372
    validations:
      required: true
  - type: dropdown
    id: category
    attributes:
      label: {CATEGORY}
      options:
{options}
    validations:
      required: true
  - type: input
    id: code
    attributes:
      label: {CODE}
      placeholder: https://github.com/…
  - type: textarea
    id: note
    attributes:
      label: {NOTE}
"""
