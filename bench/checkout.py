"""The benchmark runs from a source checkout: it drives the bot against the fake Bot API server
that lives with the tests (tests/fake_bot_api.py). `exit-coach bench` may be started from any
folder, so the checkout's root is put on the import path here, in one place."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def require_checkout() -> Path:
    """Make `tests.fake_bot_api` importable; explain instead of failing with an ImportError."""
    if not (ROOT / "tests" / "fake_bot_api.py").is_file():
        raise SystemExit(
            f"exit-coach bench needs the source checkout (tests/fake_bot_api.py under {ROOT}); "
            "install with `pip install -e .` from a clone of the repository"
        )
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return ROOT
