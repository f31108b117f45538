"""The arrows between the apps point one way: core imports no app, and no two apps import
each other, directly or through a third (read from the source, without importing it)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = {
    "accounts",
    "booking",
    "cms",
    "compliance",
    "core",
    "emails",
    "exchanges",
    "staff",
    "twofactor",
}


def _imported_apps(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found |= {name.split(".")[0] for name in names} & APPS
    return found - {package}


def test_core_imports_no_app():
    assert _imported_apps("core") == set()


def test_no_import_cycle_between_apps():
    graph = {app: _imported_apps(app) for app in APPS}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in graph[start] - seen:
            if nxt == target or reaches(nxt, target, seen | {nxt}):
                return True
        return False

    cycles = sorted(app for app in APPS if reaches(app, app, set()))
    assert cycles == [], {app: sorted(graph[app]) for app in cycles}
