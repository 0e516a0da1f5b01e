"""The package structure the house rules ask for: no import cycle among the project's modules, and
none hidden in a function-level import: every import sits at module level; a heavy or optional
third-party library loads lazily only through the one module that owns that
(knowledge/lazy_imports.py), which imports nothing but third-party libraries."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("agents", "circuit", "knowledge", "pipelines", "prompts")
STRICT = ("agents", "circuit", "knowledge", "pipelines", "prompts")  # no function-level import at all, but in the lazy loader
LAZY_LOADER = "knowledge.lazy_imports"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@pytest.fixture(scope="module")
def modules() -> dict[str, tuple[Path, ast.Module]]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            out[_module_name(path)] = (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return out


def _function_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: dict[int, ast.Import | ast.ImportFrom] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    found[id(node)] = node
    return list(found.values())


def _targets(name: str, path: Path, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The project modules an import statement loads (a package's submodule when it names one)."""
    if isinstance(node, ast.Import):
        wanted = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            pkg = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
            pkg = pkg[: len(pkg) - node.level + 1]
            base = ".".join(pkg + ([node.module] if node.module else []))
        # ``from pkg import mod`` loads the submodule (a package's own __init__ is not counted: it runs
        # first whatever its submodules import)
        wanted = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    out = set()
    for m in wanted:
        while m and m not in known:
            m = m.rpartition(".")[0]
        if m and m != name:
            out.add(m)
    return out


def _top(node: ast.Import | ast.ImportFrom) -> str:
    if isinstance(node, ast.Import):
        return node.names[0].name.split(".")[0]
    return "." if node.level else (node.module or "").split(".")[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    x = stack.pop()
                    on_stack.discard(x)
                    comp.append(x)
                    if x == v:
                        break
                if len(comp) > 1:
                    cycles.append(sorted(comp))
    return cycles


def test_agents_have_no_function_level_imports_of_the_project_or_stdlib(modules):
    bad = []
    for name, (path, tree) in modules.items():
        if not name.startswith("agents"):
            continue
        for node in _function_imports(tree):
            top = _top(node)
            if top == "." or top in PACKAGES or top in sys.stdlib_module_names:
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    assert not bad, ("hoist these imports to module level (a cycle they would close means a shared piece "
                     "belongs in a small module of its own):\n" + "\n".join(bad))


@pytest.mark.parametrize("package", STRICT)
def test_no_function_level_imports_outside_the_lazy_loader(modules, package):
    bad = []
    for name, (path, tree) in modules.items():
        if name.split(".")[0] != package or name == LAZY_LOADER:
            continue
        bad += [f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}" for node in _function_imports(tree)]
    assert not bad, ("hoist these imports to module level (a cycle they would close means a shared piece belongs in "
                     f"a small module of its own; a heavy optional library loads through {LAZY_LOADER}):\n"
                     + "\n".join(bad))


def test_the_lazy_loader_loads_only_third_party_libraries(modules):
    path, tree = modules[LAZY_LOADER]
    bad = [f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}" for node in ast.walk(tree)
           if isinstance(node, (ast.Import, ast.ImportFrom)) and node in _function_imports(tree)
           and (_top(node) == "." or _top(node) in PACKAGES or _top(node) in sys.stdlib_module_names)]
    assert not bad, "the lazy loader is for heavy third-party libraries; import these at module level:\n" + "\n".join(bad)


def test_no_import_cycle_among_project_modules(modules):
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, (path, tree) in modules.items():
        lazy = {id(n) for n in _function_imports(tree)}
        graph[name] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in lazy:
                if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                    continue
                graph[name] |= _targets(name, path, node, known)
    cycles = _cycles(graph)
    assert not cycles, f"import cycles among project modules: {cycles}"


def test_the_guard_sees_a_cycle_and_a_hidden_import(tmp_path):
    """The checks above can fail: a planted function-level import is found, and so is a planted cycle."""
    tree = ast.parse("def f():\n    from agents.rules import parts\n    import re\n    import openai\n")
    tops = [_top(n) for n in _function_imports(tree)]
    assert tops.count("agents") == 1 and "re" in tops and "openai" in tops
    known = {"pkg.a", "pkg.b"}
    a = ast.parse("from pkg.b import x\n").body[0]
    b = ast.parse("from . import a\n").body[0]
    assert _targets("pkg.a", tmp_path / "a.py", a, known) == {"pkg.b"}
    assert _targets("pkg.b", tmp_path / "b.py", b, known) == {"pkg.a"}
    assert _cycles({"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg.a"}}) == [["pkg.a", "pkg.b"]]
    assert _cycles({"pkg.a": {"pkg.b"}, "pkg.b": set(), "pkg.c": {"pkg.a", "pkg.b"}}) == []
