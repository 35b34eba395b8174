"""``python -m tgarchive``: the command line, behind the same package-clash check as the script."""

from _tgarchive_kit import main

raise SystemExit(main())
