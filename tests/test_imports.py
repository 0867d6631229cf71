"""Imports inside the package run one way (rules <- text pipeline <- html <-
cli/stream): no module imports another that imports it back, directly or
through others, and none imports another module's private (_underscore) name.
Imports inside functions count: they are cycles all the same, only later."""
from __future__ import annotations

import ast
import re
from itertools import pairwise
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "declutter"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every declutter import in a file."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "declutter":
                continue
            names = [a.name for a in node.names]
            # `from . import article` imports the module declutter.html.article
            modules = [f"{target}.{n}" for n in names if (PACKAGE.parent / f"{target}.{n}".replace(".", "/")).with_suffix(".py").exists()]
            out += [(m, []) for m in modules] or [(target, names)]
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.split(".")[0] == "declutter"]
    return out


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        edges[module_name(path)] = {target for target, _ in imports_of(path)} - {module_name(path)}
    return edges


def test_no_import_cycles() -> None:
    edges = graph()
    # a package's __init__ re-exports its modules: importing it is importing them
    cycles = []
    for start in edges:
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in edges.get(node, ()):
                if nxt == start:
                    cycles.append(" -> ".join([*trail, nxt]))
                elif nxt not in trail and nxt.startswith("declutter") and len(trail) < 8:
                    stack.append((nxt, [*trail, nxt]))
    # package __init__ files import their children, and children their package's
    # siblings: only cycles between modules that are not a package and its child count
    real = [c for c in cycles if not _package_and_child_only(c)]
    assert not real, "\n".join(sorted(set(real))[:10])


def _package_and_child_only(cycle: str) -> bool:
    nodes = cycle.split(" -> ")
    return any(a != b and (b.startswith(a + ".") or a.startswith(b + ".")) for a, b in pairwise(nodes))


def test_no_module_imports_a_private_name_of_another() -> None:
    bad = [f"{module_name(path)}: {target}.{name}"
           for path in PACKAGE.rglob("*.py") for target, names in imports_of(path)
           for name in names if name.startswith("_") and not name.startswith("__")]
    assert not bad, bad


def test_tests_and_benches_import_no_private_name_of_the_package() -> None:
    private = re.compile(r"^\s*from declutter[\w.]* import [^#\n]*\b_[A-Za-z]\w*", re.MULTILINE)
    bad = [f"{path.name}: {m.group(0).strip()}" for folder in ("tests", "bench")
           for path in (PACKAGE.parent / folder).glob("*.py") for m in private.finditer(path.read_text())]
    assert not bad, bad
