"""The lock files: every dependency pinned with hashes, within the ranges pyproject.toml
declares (each dependency once), every imported library among them, and CI installing from the
lock, not from the ranges."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections import Counter
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)(?:\s*;\s*([^\\]+?))?\s*\\$")
OWN = {"bot", "bench", "tests"}


def declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = [Requirement(line) for line in project["dependencies"]]
    test = [Requirement(line) for line in project["optional-dependencies"]["test"]]
    return runtime, test


def pins(name: str) -> dict[str, list[str]]:
    """Package → its pinned versions (several where markers split them, as numpy's)."""
    pinned: dict[str, list[str]] = {}
    lines = (ROOT / name).read_text().splitlines()
    for number, line in enumerate(lines):
        match = PIN.match(line)
        if match is None:
            continue
        assert "--hash=sha256:" in lines[number + 1], f"{name}: {line} has no hash"
        pinned.setdefault(canonicalize_name(match.group(1)), []).append(match.group(2))
    return pinned


def test_each_dependency_is_declared_once() -> None:
    runtime, test = declared()
    names = Counter(canonicalize_name(r.name) for r in [*runtime, *test])
    assert [name for name, count in names.items() if count > 1] == []


def test_every_declared_dependency_is_pinned_within_its_range_with_hashes() -> None:
    runtime, test = declared()
    for lock, requirements in (
        ("requirements.lock", runtime),
        ("requirements-test.lock", [*runtime, *test]),
    ):
        pinned = pins(lock)
        for requirement in requirements:
            versions = pinned.get(canonicalize_name(requirement.name))
            assert versions, f"{requirement.name} is not in {lock}"
            for version in versions:
                assert requirement.specifier.contains(version, prereleases=True), (
                    f"{lock} pins {requirement.name}=={version}, outside {requirement.specifier}"
                )


def test_both_locks_pin_the_bot_alike() -> None:
    bot, with_tests = pins("requirements.lock"), pins("requirements-test.lock")
    assert {name: with_tests.get(name) for name in bot} == bot


def imported(folder: str) -> set[str]:
    """Top-level modules imported anywhere under `folder`, other than the standard library's
    and our own."""
    found: set[str] = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - OWN - {"__future__"}


def test_what_the_code_imports_is_locked() -> None:
    """Declared directly or by an extra (python-telegram-bot's webhooks extra brings tornado):
    either way the lock, closed over dependencies, holds it."""
    distributions = packages_distributions()
    for folders, lock in ((("bot", "bench"), "requirements.lock"), (("tests",), "requirements-test.lock")):
        pinned = pins(lock)
        for module in sorted(set().union(*(imported(folder) for folder in folders))):
            names = {canonicalize_name(d) for d in distributions.get(module, [])}
            assert names, f"{module} is imported but no installed package provides it"
            assert names & pinned.keys(), f"{module} ({', '.join(names)}) is not in {lock}"


def test_ci_installs_from_the_lock() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install --quiet --require-hashes -r requirements-test.lock" in ci
    assert "pip install --quiet --no-deps -e ." in ci
    assert "pip install --quiet -e '.[test]'" not in ci
