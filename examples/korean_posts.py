"""Keep the Korean posts of an export and list their keywords.

python examples/korean_posts.py EXPORT      (a folder, result.json, messages.html or .zip)
python examples/korean_posts.py --sample    (the sample bundled with tgarchive)
"""

from __future__ import annotations

import argparse
import sys

import tgarchive
from tgarchive.text import build_idf, keywords


def main(path: str) -> None:
    archive = tgarchive.load(path)
    posts = [p for p in archive.posts if not p.is_service]
    korean = [p for p in posts if p.lang.lang == "ko"]
    print(f"{len(korean)} of {len(posts)} posts are in Korean")
    idf = build_idf(posts, analyzer="simple")
    for post in korean:
        terms = ", ".join(k.term for k in keywords(post.text, idf=idf, top_k=4, analyzer="simple"))
        print(f"#{post.id} {post.date:%Y-%m-%d}: {terms}")


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description="The Korean posts of an export and their keywords.")
    which = cli.add_mutually_exclusive_group(required=True)
    which.add_argument("export", nargs="?", help="export folder, result.json, messages.html, .zip")
    which.add_argument("--sample", action="store_true", help="use the bundled sample export")
    args = cli.parse_args()
    try:
        main(str(tgarchive.sample_path()) if args.sample else args.export)
    except (tgarchive.TgArchiveError, FileNotFoundError, PermissionError) as exc:
        sys.exit(f"error: {exc}")
