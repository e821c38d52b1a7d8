"""The benchmark behind `exit-coach bench` / `python -m bench` (see bench/runner.py)."""
