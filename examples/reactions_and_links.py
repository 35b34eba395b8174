"""The most-reacted posts and the most-linked domains of an export, streaming.

python examples/reactions_and_links.py [EXPORT]  (default: the bundled sample)
"""

from __future__ import annotations

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
    main(sys.argv[1] if len(sys.argv) > 1 else str(tgarchive.sample_path()))
