"""What ``vlabib init`` writes, as text: settings, an empty bib, a small example taxonomy, a
README with the list's markers, a Makefile, a GitHub workflow and the linters' settings.

>>> root_id("Efficient LLM Inference")
'efficient-llm-inference'
"""

from __future__ import annotations

import re
import unicodedata

from vlabib.outputs.templating import latex_environment, md_text
from vlabib.taxonomy import MAX_ID, toml_string

# What init writes (relative to the survey), from which template under templates/init/.
FILES = {
    "vlabib.toml": "vlabib.toml",
    "refs/taxonomy.toml": "taxonomy.toml",
    "refs/papers.bib": "",
    "README.md": "README.md",
    "Makefile": "Makefile",
    ".github/workflows/vlabib.yml": "workflow.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".gitignore": "gitignore",
    ".markdownlint-cli2.jsonc": "markdownlint-cli2.jsonc",
}


def root_id(title: str) -> str:
    """A taxonomy id from a title: ``Efficient LLM Inference`` -> ``efficient-llm-inference``.

    >>> root_id("Efficient LLM Inference"), root_id("Vision–Language Models: A Survey!")
    ('efficient-llm-inference', 'vision-language-models-a-survey')
    """
    words = []
    for word in re.findall(r"[^\W_]+", title.lower()):  # split first: an en dash separates
        folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        words += re.findall(r"[a-z0-9]+", folded)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > MAX_ID:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug if slug and slug[0].isalpha() else f"survey-{slug}".rstrip("-")[:MAX_ID]


def _values(title: str) -> dict[str, str]:
    return {
        "title": md_text(title),
        "title_toml": toml_string(title),
        "root_id_toml": toml_string(root_id(title)),
    }


def example_taxonomy(title: str) -> str:
    """The example taxonomy 'vlabib init' writes for a survey titled *title*."""
    return latex_environment().get_template("init/taxonomy.toml").render(**_values(title))


def readme(title: str) -> str:
    """The README init writes: the title, a line on how it is kept, the list's markers."""
    return latex_environment().get_template("init/README.md").render(**_values(title))


def texts(title: str) -> dict[str, str]:
    """Every file init writes, by its path in the survey."""
    env = latex_environment()
    values = _values(title)
    return {
        name: env.get_template(f"init/{source}").render(**values) if source else ""
        for name, source in FILES.items()
    }
