"""Where the benchmark writes its report: the root of the checkout it runs from."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
