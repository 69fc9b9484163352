"""``vlabib init``: a new survey that builds, checks and compiles from its first minute —
settings, an empty bib, a small example taxonomy, a README with the list's markers, the
manuscript skeleton, a Makefile, a GitHub workflow and a pre-commit hook. It never
overwrites: a folder that already holds any of these files is refused whole.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from pathlib import Path

from vlabib.config import Project, nearest_project, parse_settings
from vlabib.errors import ConfigError
from vlabib.files import write_all
from vlabib.outputs.templating import latex_environment, md_text
from vlabib.taxonomy import MAX_ID

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


def init(folder: Path, title: str) -> list[str]:
    """Write a new survey into *folder*; the files written, relative to it."""
    title = " ".join(title.split())
    if not title or len(title) > 200 or not title.isprintable():
        raise ConfigError("--title must be the survey's title: 1 to 200 printable characters")
    folder.mkdir(parents=True, exist_ok=True)
    present = [name for name in FILES if (folder / name).exists() or (folder / name).is_symlink()]
    if present:
        raise ConfigError(
            f"{folder}: {', '.join(present)} already there; 'vlabib init' writes "
            "only where none of its files exist (nothing was written)"
        )
    outer = nearest_project(folder.parent) if folder.parent != folder else None
    if outer is not None:
        raise ConfigError(
            f"{folder} is inside the survey at {outer.root}; one survey per tree "
            "(nothing was written)"
        )
    env = latex_environment()
    values = {
        "title": md_text(title),
        "title_toml": json.dumps(title),
        "root_id_toml": json.dumps(root_id(title)),
    }
    texts = {
        name: env.get_template(f"init/{source}").render(**values) if source else ""
        for name, source in FILES.items()
    }
    write_all([(folder / name, text) for name, text in texts.items()], root=folder)
    from vlabib.commands.build import build

    settings = parse_settings(tomllib.loads(texts["vlabib.toml"]), "vlabib.toml")
    written = build(Project(folder.resolve(), settings))
    return [*FILES, *written]
