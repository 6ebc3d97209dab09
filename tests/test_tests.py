"""The tests themselves: none may pass by asserting nothing.

A test whose every `assert` sits inside a `for` or `while` loop, an `if`, a `match` case
or an `except` handler passes without checking anything when the loop runs zero times or
the branch is not taken: an empty result, a renamed key, a filter that matches nothing
all turn it silently green. Each test must have at least one assert that always runs
(for example that the collection it loops over is not empty, or an assert on a list
the loop built).
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _test_functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    found: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for node in tree.body:
        bodies = node.body if isinstance(node, ast.ClassDef) else [node]
        found.extend(
            item
            for item in bodies
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            and item.name.startswith("test")
        )
    return found


def _has_assert(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(node, ast.Assert) for node in ast.walk(function))


def always_asserts(block: list[ast.stmt]) -> bool:
    """Does running `block` from its top always run an assert (barring an exception)?

    A loop body may run zero times (unless it loops over a tuple or list written out in the
    test), an `except` handler or a `match` case may not be entered; an `if` counts only
    when both of its branches always assert; a `with` or a `try` body runs.
    """
    for statement in block:
        match statement:
            case ast.Assert():
                return True
            case ast.If(body=body, orelse=orelse) if always_asserts(body) and always_asserts(
                orelse
            ):
                return True
            case ast.For(iter=ast.Tuple(elts=items) | ast.List(elts=items), body=body) if (
                items
                and not any(isinstance(item, ast.Starred) for item in items)
                and always_asserts(body)
            ):
                return True  # a loop over a written, non-empty tuple or list: entered
            case ast.With(body=body) | ast.AsyncWith(body=body) if always_asserts(body):
                return True
            case ast.Try(body=body, finalbody=final) | ast.TryStar(body=body, finalbody=final) if (
                always_asserts(body) or always_asserts(final)
            ):
                return True
    return False


def asserting_only_conditionally() -> list[str]:
    """`file::test` of every test that has asserts, none of which always runs."""
    weak = []
    for path in sorted(TESTS.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for function in _test_functions(tree):
            if _has_assert(function) and not always_asserts(function.body):
                weak.append(f"{path.name}:{function.lineno}::{function.name}")
    return weak


def test_the_scan_finds_a_test_asserting_only_in_a_loop(tmp_path: Path) -> None:
    source = (
        "def test_weak(items):\n"
        "    for item in items:\n"
        "        assert item\n"
        "def test_firm(items):\n"
        "    assert items\n"
        "    for item in items:\n"
        "        assert item\n"
        "def test_both_branches(x):\n"
        "    if x:\n"
        "        assert x\n"
        "    else:\n"
        "        assert not x\n"
        "def test_written_tuple():\n"
        "    for lang in ('vi', 'en'):\n"
        "        assert lang\n"
        "def test_empty_tuple():\n"
        "    for lang in ():\n"
        "        assert lang\n"
        "def test_one_branch(x):\n"
        "    with open(x) as f:\n"
        "        if f:\n"
        "            assert x\n"
    )
    tree = ast.parse(source)
    weak = [f.name for f in _test_functions(tree) if not always_asserts(f.body)]
    assert weak == ["test_weak", "test_empty_tuple", "test_one_branch"]


def test_every_test_has_an_assert_that_always_runs() -> None:
    assert asserting_only_conditionally() == []
