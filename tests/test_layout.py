"""The package's layering, read from its import statements: no two parts import each other,
and the store knows only the records."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import claimledger

ROOT = Path(claimledger.__file__).parent


def part_imports() -> dict[str, set[str]]:
    """For each part (a folder or a top-level module), the other parts it imports."""
    edges: dict[str, set[str]] = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        part = path.relative_to(ROOT).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                names = module.split(".")
                if names[0] == "claimledger" and len(names) > 1 and names[1] != part:
                    edges[part].add(names[1])
    return edges


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle among the parts, or [] where there is none (depth-first search)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(part: str) -> list[str]:
        state[part] = 1
        path.append(part)
        for other in sorted(edges.get(part, ())):
            if state.get(other) == 1:
                return path[path.index(other):] + [other]
            if other not in state and (found := visit(other)):
                return found
        state[part] = 2
        path.pop()
        return []

    for part in sorted(edges):
        if part not in state and (found := visit(part)):
            return found
    return []


def test_no_two_parts_import_each_other():
    edges = part_imports()
    assert edges["nlp"] and edges["claims"], "the import graph was read"
    assert cycle(edges) == [], " -> ".join(cycle(edges))


def test_the_spacy_pipeline_sits_above_the_attribution_rules():
    edges = part_imports()
    assert "claims" in edges["nlp"]
    assert "nlp" not in edges["claims"]


def test_the_store_imports_only_the_records():
    assert part_imports()["store"] <= {"models", "errors"}


def test_cycle_finds_one():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) == []
