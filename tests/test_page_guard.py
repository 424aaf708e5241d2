"""Every page runs inside the shell: `require_shell()` comes before anything it shows."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from tests.apptest import ROOT

PAGES = sorted(path for path in (ROOT / "pages").glob("*.py") if path.name != "__init__.py")


def statements_before_the_guard(path: Path) -> list[ast.stmt]:
    body = ast.parse(path.read_text()).body
    for index, statement in enumerate(body):
        if (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Name)
            and statement.value.func.id == "require_shell"
        ):
            return body[:index]
    raise AssertionError(f"{path.name} never calls require_shell() at module level")


def uses_streamlit(statement: ast.stmt) -> bool:
    return any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "st"
        for node in ast.walk(statement)
    )


@pytest.mark.parametrize("path", PAGES, ids=[path.name for path in PAGES])
def test_every_page_calls_the_shell_guard_before_it_shows_anything(path: Path) -> None:
    before = statements_before_the_guard(path)
    allowed = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.Expr)
    assert all(isinstance(statement, allowed) for statement in before), path.name
    assert not [
        s for s in before if isinstance(s, ast.Expr) and not isinstance(s.value, ast.Constant)
    ]
    assert not [s for s in before if uses_streamlit(s)], f"{path.name} shows something first"


@pytest.mark.parametrize("path", PAGES, ids=[path.name for path in PAGES])
def test_every_page_has_one_style_guard_definitions_then_main(path: Path) -> None:
    """Module level holds the guard, constants and functions; the page runs in `main()`."""
    body = ast.parse(path.read_text()).body
    calls = [
        ast.unparse(statement)
        for statement in body
        if not isinstance(
            statement,
            ast.Import | ast.ImportFrom | ast.Assign | ast.AnnAssign | ast.FunctionDef,
        )
        and not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
    ]
    assert calls == ["require_shell()", "main()"], path.name
    assert ast.unparse(body[-1]) == "main()", path.name


def test_the_docstring_of_a_page_constant_is_never_written_on_the_page() -> None:
    """Streamlit's "magic" writes any bare string of a page script; constants' docstrings
    are such strings, so the app runs with magic off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["magicEnabled"] is False
