"""Keep the Korean posts of an export and list their keywords.

python examples/korean_posts.py [EXPORT]        (default: the bundled sample)
"""

from __future__ import annotations

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
    main(sys.argv[1] if len(sys.argv) > 1 else str(tgarchive.sample_path()))
