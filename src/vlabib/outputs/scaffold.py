"""What ``vlabib init`` writes, as text: settings, an empty bib, a small example taxonomy, a
README with the list's markers, a Makefile, a GitHub workflow and the linters' settings.

>>> root_id("Efficient LLM Inference")
'efficient-llm-inference'
"""

from __future__ import annotations

import json
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
    ".github/workflows/add-paper.yml": "add-paper.yml",
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


def install_requirement() -> str:
    """What pip installs to get this very vlabib: see :func:`requirement`."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("vlabib")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "vlabib"
    try:
        origin = json.loads(dist.read_text("direct_url.json") or "{}")
    except ValueError:
        origin = {}
    return requirement(origin, dist.version)


def requirement(origin: dict[str, object], version: str) -> str:
    """A pip requirement for the vlabib that PEP 610's *origin* (``direct_url.json``) and
    *version* describe: the git URL and commit it came from, else the released version.

    >>> requirement({"url": "https://github.com/o/vlabib", "vcs_info": {"vcs": "git",
    ...     "commit_id": "0a1b2c"}}, "0.1.0")
    'vlabib @ git+https://github.com/o/vlabib@0a1b2c'
    >>> requirement({"url": "file:///home/me/vlabib", "dir_info": {}}, "0.1.0")
    'vlabib==0.1.0'
    """
    vcs = origin.get("vcs_info")
    url = str(origin.get("url", ""))
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and url.startswith("https://"):
        commit = str(vcs.get("commit_id", ""))
        if re.fullmatch(r"[0-9a-f]{6,64}", commit) and re.fullmatch(r"https://[\w./~-]+", url):
            return f"vlabib @ git+{url}@{commit}"
    return f"vlabib=={version}"


def _values(title: str, document_class: str = "article") -> dict[str, str]:
    return {
        "document_class": document_class,
        "install": install_requirement(),
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


def texts(title: str, document_class: str = "article") -> dict[str, str]:
    """Every file init writes, by its path in the survey."""
    env = latex_environment()
    values = _values(title, document_class)
    return {
        name: env.get_template(f"init/{source}").render(**values) if source else ""
        for name, source in FILES.items()
    }
