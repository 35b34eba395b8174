"""How Desktop HTML loading scales with the size of ONE message text: 4, 16 and 64 MB.

The text is dense with formatting (a bold span and an entity-escaped character every 50 bytes,
so 64 MB holds 1.3 million entities) and sits in the first message of a generated page. Prints
seconds and seconds per MB per size, and the largest size's time per MB over the smallest's:
about 1 when every step is linear.

    python benchmarks/bench_html_huge_value.py [--sizes 4 16 64]
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import tgarchive

PAGE = (
    Path(__file__).parents[1] / "tests" / "fixtures" / "equivalence" / "generated" / "messages.html"
)
UNIT = "가나다 <strong>bold</strong> text &amp; more<br>"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="*", default=[4, 16, 64], help="MB")
    args = ap.parse_args(argv)
    page = PAGE.read_bytes()
    at = page.index(b'<div class="text">') + len(b'<div class="text">')
    per_mb = []
    for mb in args.sizes:
        big = (UNIT * (mb * 2**20 // len(UNIT.encode()))).encode()
        data = page[:at] + big + page[at:]
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a problem would be a bug here
            start = time.perf_counter()
            archive = tgarchive.load(data, format="desktop-html")
            took = time.perf_counter() - start
        size = len(data) / 2**20
        per_mb.append(took / size)
        first = archive.posts[0]
        print(f"{size:6.1f} MB: {took:6.2f} s, {took / size:.3f} s/MB "
              f"({len(first.text):,} characters, {len(first.entities):,} entities)")  # fmt: skip
    print(f"time per MB, largest / smallest: {per_mb[-1] / per_mb[0]:.2f} (1 = linear)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
