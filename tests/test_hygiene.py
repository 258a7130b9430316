"""Rules for the test and benchmark code itself, read from its source with `ast`.

1. No assertion on wall-clock time. A test that fails because the machine was slow
   says nothing about the site; how long things take is measured in bench/ (medians,
   against targets) and the tests check what happened instead (the error raised, the
   bytes the server got to send, the calls that reached a service).
2. tests/ and bench/ never import each other; what both need lives in testing/, which
   imports neither.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CLOCKS = {"monotonic", "perf_counter", "time", "monotonic_ns", "perf_counter_ns", "time_ns"}
# Names that hold a measured duration by their very name.
DURATION_NAMES = {"elapsed", "duration", "took", "spent"}


def _is_clock_call(node: ast.AST) -> bool:
    """time.monotonic(), time.perf_counter(), time.time() (or the bare names imported)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr in CLOCKS and isinstance(func.value, ast.Name) and func.value.id == "time"
    return isinstance(func, ast.Name) and func.id in CLOCKS - {"time"}


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _timed(node: ast.AST, clocked: set[str]) -> bool:
    """Whether an operand is a clock reading or arithmetic on one (time.monotonic() -
    started), a duration by name (elapsed, result.duration), or a name assigned from a
    clock reading. Arguments of other calls are not looked into: f(time.time() + 30)
    is a computation on a time, not a measured one."""
    if _is_clock_call(node):
        return True
    name = _name_of(node)
    if name is not None:
        return name in DURATION_NAMES or name.startswith("elapsed") or name in clocked
    if isinstance(node, ast.BinOp):
        return _timed(node.left, clocked) or _timed(node.right, clocked)
    if isinstance(node, ast.UnaryOp):
        return _timed(node.operand, clocked)
    return False


def _clocked_names(tree: ast.AST) -> set[str]:
    """Names assigned from a clock reading or from arithmetic on one."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if _timed(node.value, names):
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def wall_clock_assertions(source: str) -> list[int]:
    """Line numbers of `assert`s that compare a measured time."""
    tree = ast.parse(source)
    clocked = _clocked_names(tree)
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert):
            continue
        for compare in ast.walk(node.test):
            if isinstance(compare, ast.Compare) and any(
                _timed(operand, clocked) for operand in [compare.left, *compare.comparators]
            ):
                lines.append(node.lineno)
                break
    return sorted(lines)


def imported_roots(source: str) -> set[str]:
    """Top-level packages a module imports, at module level or inside functions."""
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def _sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


# --- the checks, on examples ---------------------------------------------------------

BAD = """
import time

def test_fast():
    started = time.monotonic()
    work()
    assert time.monotonic() - started < 0.5

def test_also_fast():
    t0 = time.perf_counter()
    work()
    spent_here = time.perf_counter() - t0
    assert spent_here < 1.0

def test_named(result):
    elapsed = measure()
    assert elapsed <= 2
    assert result.duration < 3
    assert 1.4 < time.time() - result.started < 3.5
"""

GOOD = """
import time

def test_behaviour(server, article):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.hits() == 1:
            break
        time.sleep(0.1)
    assert server.hits() == 1
    assert article.duration_seconds == 3723
    assert expires_in(time.time() + 30) <= 30
    assert offset == pytest.approx(previous + length, abs=0.5)
"""


def test_the_wall_clock_check_finds_each_kind_of_timing_assertion():
    assert wall_clock_assertions(BAD) == [7, 13, 17, 18, 19]


def test_the_wall_clock_check_leaves_waits_and_computations_on_times_alone():
    assert wall_clock_assertions(GOOD) == []


def test_the_import_check_sees_imports_inside_functions():
    source = "import os\nfrom tests.factories import x\ndef f():\n    from bench.run import y\n"
    assert imported_roots(source) == {"os", "tests", "bench"}


# --- the checks, on the code ---------------------------------------------------------


def test_no_assertion_on_wall_clock_time():
    offenders = {
        str(path.relative_to(ROOT)): wall_clock_assertions(path.read_text())
        for path in _sources("tests")
    }
    offenders = {path: lines for path, lines in offenders.items() if lines}
    assert offenders == {}, (
        f"assertions on measured time (file: lines): {offenders}. They fail on a slow "
        "machine; assert what happened instead and measure the time in bench/"
    )


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("tests", {"bench"}), ("bench", {"tests"}), ("testing", {"tests", "bench"})],
)
def test_tests_and_bench_share_helpers_only_through_testing(folder, forbidden):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path.read_text()) & forbidden)
        for path in _sources(folder)
    }
    offenders = {path: roots for path, roots in offenders.items() if roots}
    assert offenders == {}, f"move what both need to testing/: {offenders}"
