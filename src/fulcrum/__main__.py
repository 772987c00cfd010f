"""python -m fulcrum."""

from fulcrum.cli import main

raise SystemExit(main())
