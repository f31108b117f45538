"""The shape the architecture guide asks of the code: small files, honest dependencies."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "booking",
    "cms",
    "compliance",
    "core",
    "emails",
    "exchanges",
    "site",
    "staff",
    "twofactor",
)
FIRST_PARTY = {*APPS, "config", "tests"}
# "No app file over ~400 lines": a file that grows past this is split by what it does.
MAX_LINES = 420

# Declared for the server to run, never imported by our code: each says who loads it.
LOADED_BY_OTHERS = {
    "gunicorn": "the production application server (README)",
    "psycopg": "Django's PostgreSQL backend",
    "argon2-cffi": "django.contrib.auth's Argon2PasswordHasher",
    "redis": "django.core.cache.backends.redis.RedisCache",
}


def _app_files() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        _canonical(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0])
        for spec in project["dependencies"]
    }


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node, except those under `if TYPE_CHECKING:` (stubs the server never loads)."""
    nodes: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            pending.extend(node.orelse)
            continue
        nodes.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return nodes


def _top_level_modules_used() -> set[str]:
    """Modules our code imports at run time, plus those the settings name in dotted strings."""
    used: set[str] = set()
    for path in _app_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in _runtime_nodes(tree):
            if isinstance(node, ast.Import):
                used.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                used.add(node.module.split(".")[0])
    for path in (ROOT / "site" / "settings").glob("*.py"):
        used.update(re.findall(r"[\"']([a-z_][a-z0-9_]*)\.[a-zA-Z_.]+[\"']", path.read_text()))
    return used - FIRST_PARTY - set(sys.stdlib_module_names)


def test_no_app_file_is_over_the_size_limit():
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in _app_files()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_every_imported_distribution_is_declared_and_every_declared_one_is_used():
    by_module = packages_distributions()
    used_distributions = {
        _canonical(dist)
        for module in _top_level_modules_used()
        for dist in by_module.get(module, [])
    }
    declared = _declared()
    undeclared = used_distributions - declared
    assert undeclared == set(), f"imported but not declared in pyproject.toml: {undeclared}"
    unused = declared - used_distributions - set(LOADED_BY_OTHERS)
    assert unused == set(), f"declared but never imported: {unused}"
