"""The shape of the code, checked: small modules and functions, one home per dependency,
every exception class in errors.py with a docstring, none of them Click's."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from radon.complexity import cc_visit

import vlabib
from vlabib import errors

SRC = Path(vlabib.__file__).parent
MODULES = sorted(SRC.rglob("*.py"))


def names(path: Path) -> str:
    return str(path.relative_to(SRC.parent))


@pytest.mark.parametrize("path", MODULES, ids=names)
def test_modules_stay_readable(path: Path) -> None:
    """No module above 350 lines and no function above cyclomatic complexity 20."""
    text = path.read_text()
    assert len(text.splitlines()) <= 350
    worst = [(b.name, b.complexity) for b in cc_visit(text) if b.complexity > 20]
    assert worst == []


def imported_modules(path: Path) -> set[str]:
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
        ("click", "vlabib/cli/"),
        ("bibtexparser", "vlabib/bib/parse.py"),
        ("pylatexenc", "vlabib/tex/read.py"),
        ("jinja2", "vlabib/outputs/render.py"),
        ("markdown_it", "vlabib/listimport/markdown.py"),
    ],
)
def test_one_home_per_dependency(dependency: str, home: str) -> None:
    users = {names(p) for p in MODULES if dependency in imported_modules(p)}
    assert all(user.startswith(home) for user in users), users


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
        if cls.__module__ == "vlabib.cli":
            assert cls.__name__ == "UserError"  # the one Click exception, at the edge
            continue
        assert cls.__module__ == "vlabib.errors", cls
        assert (cls.__doc__ or "").strip(), cls
        assert issubclass(cls, errors.VlabibError)
        assert not any(base.__module__.startswith("click") for base in cls.__mro__), cls
