"""Allow `python -m mtqa`."""

from mtqa.cli import main

raise SystemExit(main())
