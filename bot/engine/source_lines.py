"""Where things are in a YAML file: line numbers for a coach's error messages.

PyYAML's composer keeps each node's position; walking the node tree once gives every key path
(`states.fit.options.0.label`) its line, so a problem found after loading still points at the
line to change.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import yaml

# libyaml's loader where installed (several times faster; `exit-coach check` reads every file)
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_with_lines(text: str) -> tuple[object, SourceLines]:
    """The YAML document and its lines, from one parse."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
    return data, SourceLines(node=node)


class SourceLines:
    """Key path → 1-based line, for one YAML document."""

    def __init__(self, text: str = "", node: yaml.Node | None = None) -> None:
        self._lines: dict[tuple[str, ...], int] = {}
        if node is None and text:
            try:
                node = yaml.compose(text, Loader=SafeLoader)
            except yaml.YAMLError:
                node = None
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple[str, ...]) -> None:
        self._lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                self._lines[child] = key.start_mark.line + 1
                self._walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, (*path, str(index)))

    def line(self, *path: object) -> int | None:
        """The line of `path`, or of the nearest enclosing key that exists."""
        parts = tuple(str(part) for part in path)
        while parts:
            if parts in self._lines:
                return self._lines[parts]
            parts = parts[:-1]
        return self._lines.get(())

    def find(self, path: Sequence[str], value: str) -> int | None:
        """The line of the first item under `path` (a list or mapping) whose text is `value`."""
        prefix = tuple(path)
        for key, line in self._lines.items():
            if key[: len(prefix)] == prefix and key[-1:] == (value,):
                return line
        return None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
