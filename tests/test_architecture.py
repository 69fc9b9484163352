"""The shape of the code, checked: imports run one way through the wings, no cycle, one home
per dependency, every package says what it is, ARCHITECTURE.md's module tables are the
docstrings, every exception class lives in errors.py."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import vlabib
from tests.helpers import assert_region
from vlabib import errors

SRC = Path(vlabib.__file__).parent
REPO = SRC.parent.parent
#: The layers, lowest first: a module may import its own layer and those below it.
LAYERS = ("core", "tex", "bib", "remote", "listimport", "outputs", "commands", "overleaf", "cli")
#: What each wing is, in one line (ARCHITECTURE.md's headings).
WINGS = {
    "core": "The core: the data, the settings, identifiers, names, files",
    "tex": "LaTeX in and out",
    "bib": "The bibliography",
    "remote": "The outside world",
    "listimport": "Paper lists in",
    "outputs": "The outputs",
    "commands": "The verbs",
    "overleaf": "Overleaf",
    "cli": "The command line",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def wing(module: str) -> str:
    parts = module.split(".")
    if module == "vlabib.__main__":
        return "cli"
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else "core"


def vlabib_imports(path: Path) -> set[str]:
    """The vlabib modules *path* imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "vlabib"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "vlabib":
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found - {"vlabib"}


def test_the_top_level_reads_as_the_wings() -> None:
    top = sorted(p.name for p in SRC.iterdir() if not p.name.startswith(("_", ".")))
    packages = [name for name in top if (SRC / name).is_dir()]
    assert packages == sorted(LAYERS[1:])
    assert len([n for n in top if n.endswith(".py")]) <= 15  # the core stays small


def test_imports_run_one_way() -> None:
    """core -> tex -> bib -> remote -> listimport -> outputs -> commands -> overleaf -> cli."""
    against = []
    for module, path in MODULES.items():
        for imported in vlabib_imports(path):
            if LAYERS.index(wing(imported)) > LAYERS.index(wing(module)):
                against.append(f"{module} imports {imported}")
    assert against == []


def test_no_import_cycle() -> None:
    graph = {m: vlabib_imports(p) & set(MODULES) - {m} for m, p in MODULES.items()}
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        if module in trail:
            raise AssertionError(" -> ".join([*trail[trail.index(module) :], module]))
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, (*trail, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


def imported_top_levels(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("dependency", "home"),
    [
        pytest.param("click", "vlabib.cli", id="click"),
        pytest.param("bibtexparser", "vlabib.bib.parse", id="bibtexparser"),
        pytest.param("pylatexenc", "vlabib.tex.read", id="pylatexenc"),
        pytest.param("jinja2", "vlabib.outputs.templating", id="jinja2"),
        pytest.param("markdown_it", "vlabib.listimport.markdown", id="markdown-it-py"),
    ],
)
def test_one_home_per_dependency(dependency: str, home: str) -> None:
    users = {m for m, p in MODULES.items() if dependency in imported_top_levels(p)}
    assert users, dependency
    assert all(u == home or u.startswith(home + ".") for u in users), users


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_every_module_says_what_it_is_and_stays_readable(module: str) -> None:
    """A docstring on every module; no module over 400 lines (ruff's complexity rules
    watch the functions)."""
    path = MODULES[module]
    text = path.read_text()
    assert ast.get_docstring(ast.parse(text)), module
    assert len(text.splitlines()) <= 400


def test_formatter_skips_only_data_tables() -> None:
    """``# fmt: skip`` is for tables of data, each named here; logic is formatted."""
    skips = {
        f"{module_name(p)}:{n}"
        for p in SRC.rglob("*.py")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if "fmt: skip" in line or "fmt: off" in line
    }
    assert {s.split(":")[0] for s in skips} <= DATA_TABLES, skips


#: The modules whose ``fmt: skip`` keeps a data table in columns.
DATA_TABLES = {"vlabib.tex.chars", "vlabib.listimport.headings"}


def architecture_tables() -> str:
    """ARCHITECTURE.md's module tables: each wing, then each module with the first sentence
    of its docstring."""
    out = []
    for layer in LAYERS:
        out += [f"### {WINGS[layer]} (`{'vlabib/' if layer == 'core' else f'{layer}/'}`)", ""]
        out += ["| module | what it is |", "| --- | --- |"]
        for module, path in MODULES.items():
            if wing(module) != layer or module == "vlabib":
                continue
            doc = ast.get_docstring(ast.parse(path.read_text())) or ""
            first = " ".join(doc.split("\n\n")[0].split())
            name = path.relative_to(SRC).as_posix()
            cell = first.replace("|", "\\|")
            out.append(f"| `{name}` | {cell} |")
        out.append("")
    return "\n".join(out)


def test_architecture_md_lists_every_module_as_its_docstring_says() -> None:
    """VLABIB_GOLDEN=1 rewrites the tables."""
    assert_region(REPO / "ARCHITECTURE.md", "modules", "\n" + architecture_tables())


def test_every_error_class_lives_in_errors_and_says_what_it_is() -> None:
    defined = []
    for info in pkgutil.walk_packages(vlabib.__path__, "vlabib."):
        if info.name == "vlabib.__main__":
            continue  # importing it runs the command line
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__ == info.name:
                defined.append(obj)
    assert defined, "no error classes found"
    for cls in defined:
        if cls.__module__ == "vlabib.cli.app":
            assert cls.__name__ == "UserError"  # the one Click exception, at the edge
            continue
        assert cls.__module__ == "vlabib.errors", cls
        assert (cls.__doc__ or "").strip(), cls
        assert issubclass(cls, errors.VlabibError)
        assert not any(base.__module__.startswith("click") for base in cls.__mro__), cls


def test_messages_name_configured_paths_not_literal_ones() -> None:
    """A survey may keep its bib, taxonomy and manuscript elsewhere: messages say where the
    settings point, never a literal ``refs/…`` or ``latex/…`` (docstrings and comments aside)."""
    literal = re.compile(r"""\b(?<![+:])(refs/(?!heads/|remotes/)[\w.-]+|latex/[\w./-]*)""")
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and literal.search(repr(node.value))
                and not _is_docstring(tree, node)
            ):
                found.append(f"{module}: {node.value[:60]!r}")
    assert sorted(found) == ALLOWED_LITERAL_PATHS


def _is_docstring(tree: ast.Module, node: ast.Constant) -> bool:
    bodies = (getattr(holder, "body", None) for holder in ast.walk(tree))
    return any(
        isinstance(body, list) and body and isinstance(body[0], ast.Expr) and body[0].value is node
        for body in bodies
    )


#: Defaults and templates, where a literal path is the point.
ALLOWED_LITERAL_PATHS = [
    "vlabib.commands.import_list: \"# vlabib settings, made by 'vlabib import' (every key is opt\"",
    "vlabib.config: 'latex/generated'",
    "vlabib.config: 'refs/taxonomy.toml'",
    "vlabib.config: 'refs/vla.bib'",
    "vlabib.outputs.scaffold: 'refs/papers.bib'",
    "vlabib.outputs.scaffold: 'refs/taxonomy.toml'",
]
