"""Module boundaries: the text package and the engine are Django-free, the catalog does not
depend on the advisor."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(folder: str) -> dict[str, set[str]]:
    """file -> the modules it imports (dotted names, relative imports resolved)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - node.level + 1]
                    names.add(".".join([*parts, node.module or ""]).rstrip("."))
                else:
                    names.add(node.module or "")
        found[str(path.relative_to(ROOT))] = names
    return found


def _offenders(folder: str, roots: set[str]) -> dict[str, list[str]]:
    return {
        path: sorted(name for name in names if name.split(".")[0] in roots)
        for path, names in imported_modules(folder).items()
        if any(name.split(".")[0] in roots for name in names)
    }


def test_the_catalog_imports_nothing_from_the_advisor():
    assert _offenders("catalog", {"advisor"}) == {}


def test_the_text_package_and_the_engine_are_django_free():
    assert _offenders("textindex", {"django", "catalog", "advisor"}) == {}
    assert _offenders("advisor/engine", {"django", "catalog"}) == {}


def test_both_apps_use_the_one_text_package():
    for folder in ("catalog", "advisor"):
        used = {name for names in imported_modules(folder).values() for name in names}
        assert any(name.startswith("textindex") for name in used), folder
    assert not (ROOT / "advisor" / "engine" / "text.py").exists()
    assert not (ROOT / "advisor" / "engine" / "synonyms.py").exists()
