"""The benchmark's table: figures with their same-run baseline, printed and written as Markdown.

Every figure carries the absolute numbers (ours and the baseline's) beside their ratio, because
on a shared machine absolute numbers are noisy and ratios against a baseline measured minutes
apart on the same machine much less so.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import median


@dataclass(frozen=True)
class Figure:
    """One line of the table. `ratio` is ours / baseline (None when no baseline applies)."""

    scenario: str
    name: str
    ours: float | None
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.baseline is None or self.baseline == 0:
            return None
        return self.ours / self.baseline


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 100 values is the 99th smallest), NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-int(fraction * 1000) * len(ordered) // 1000))  # ceil without floats
    return ordered[min(rank, len(ordered)) - 1]


def p50(values: Sequence[float]) -> float:
    return float(median(values)) if values else float("nan")


def show(value: float | None, unit: str) -> str:
    """A number with a sensible precision for its size, and its unit."""
    if value is None or value != value:  # None or NaN
        return "n/a"
    size = abs(value)
    if unit == "count" and float(value).is_integer():
        return f"{value:,.0f}"
    if size >= 100:
        text = f"{value:,.0f}"
    elif size >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3g}" if size < 1 else f"{value:.2f}"
    return text if unit == "count" else f"{text} {unit}".strip()


def show_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{ratio:.3f}×" if ratio < 1 else f"{ratio:.2f}×"


HEADERS = ("scenario", "figure", "ours", "baseline", "ratio", "target", "note")


def rows(figures: Sequence[Figure]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for f in figures:
        base = show(f.baseline, f.unit)
        if f.baseline_name:
            base = f"{base} ({f.baseline_name})" if f.baseline is not None else f.baseline_name
        out.append(
            (f.scenario, f.name, show(f.ours, f.unit), base, show_ratio(f.ratio), f.target, f.note)
        )
    return out


def text_table(figures: Sequence[Figure]) -> str:
    """Aligned plain-text columns for the terminal."""
    table = [HEADERS, *rows(figures)]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADERS))]
    lines = []
    for number, row in enumerate(table):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(figures: Sequence[Figure]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows(figures)]
    return "\n".join(lines)


def memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine() -> str:
    return (
        f"{os.cpu_count()} cores ({platform.machine()}), {memory_total()} memory, "
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}"
    )


def markdown(figures: Sequence[Figure], command: str, started: datetime, seconds: float) -> str:
    """BENCHMARKS.md: how the numbers were taken, then the table as printed."""
    return "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by `exit-coach bench` (or `python -m bench`); run it again to refresh.",
            "Each figure stands beside a baseline measured in the same run on the same machine;",
            "the ratio is ours / baseline: compare ratios across machines, not absolute numbers.",
            "",
            f"- command: `{command}`",
            f"- date: {started.astimezone(UTC):%Y-%m-%d %H:%M} UTC ({seconds:.0f} s)",
            f"- machine: {machine()}",
            "",
            markdown_table(figures),
            "",
        ]
    )
