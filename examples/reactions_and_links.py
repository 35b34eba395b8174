"""The most-reacted posts and the most-linked domains of an export, streaming.

python examples/reactions_and_links.py EXPORT      (a folder, result.json, messages.html or .zip)
python examples/reactions_and_links.py --sample    (the sample bundled with tgarchive)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import tgarchive


def main(path: str) -> None:
    domains: Counter[str] = Counter()
    scored = []
    for post in tgarchive.iter_posts(path):  # one post at a time: fine on a 2 GB export
        domains.update(link.domain or "?" for link in post.links)
        total = sum(r.count for r in post.reactions)
        if total:
            scored.append((total, post.id, post.text.splitlines()[0][:50] if post.text else ""))
    print("most reacted:")
    for total, post_id, first_line in sorted(scored, reverse=True)[:3]:
        print(f"  {total:>5}  #{post_id}  {first_line}")
    print("most linked:", ", ".join(f"{d} ({n})" for d, n in domains.most_common(3)))


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description="The most-reacted posts and most-linked domains.")
    which = cli.add_mutually_exclusive_group(required=True)
    which.add_argument("export", nargs="?", help="export folder, result.json, messages.html, .zip")
    which.add_argument("--sample", action="store_true", help="use the bundled sample export")
    args = cli.parse_args()
    try:
        main(str(tgarchive.sample_path()) if args.sample else args.export)
    except (tgarchive.TgArchiveError, FileNotFoundError, PermissionError) as exc:
        sys.exit(f"error: {exc}")
