"""`python -m benchmarks`: run the benchmark scripts and regenerate RESULTS.md (see runner.py)."""

from benchmarks.runner import main

raise SystemExit(main())
