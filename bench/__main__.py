from bench.runner import main

raise SystemExit(main(prog="python -m bench"))
