"""Convert a Telegram Desktop HTML export (messages.html, messages2.html, ...) to result.json.

python examples/html_to_json.py EXPORT_FOLDER_OR_FIRST_PAGE OUTPUT.json
"""

from __future__ import annotations

import argparse
import sys

import tgarchive


def main(source: str, target: str) -> int:
    archive = tgarchive.load(source, format="desktop-html")
    for issue in archive.issues:  # missing pages, unreadable messages...
        print("note:", issue, file=sys.stderr)
    tgarchive.dump(archive, target)
    print(f"wrote {len(archive.posts)} posts to {target}")
    return 0


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description="Convert an HTML export to result.json.")
    cli.add_argument("source", help="the export folder, or its first page (messages.html)")
    cli.add_argument("target", help="the JSON file to write")
    args = cli.parse_args()
    try:
        raise SystemExit(main(args.source, args.target))
    except (tgarchive.TgArchiveError, FileNotFoundError, PermissionError) as exc:
        sys.exit(f"error: {exc}")
