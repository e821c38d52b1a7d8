"""What every scenario gets: quick or full counts, a scratch folder, and a progress line."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Context:
    quick: bool
    workdir: Path  # scratch space, removed after the run
    cache: Path  # kept between runs, outside the repository (the PTB example's sdist)
    started: float = field(default_factory=time.perf_counter)

    def count(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def say(self, text: str) -> None:
        """Progress on stderr, so stdout holds only the table."""
        print(f"[bench {time.perf_counter() - self.started:6.1f}s] {text}", file=sys.stderr)

    def folder(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        return path
