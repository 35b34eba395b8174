"""Accuracy of detect_lang on the labelled development set, and its speed.

    python benchmarks/bench_lang.py [--data ../shared/bilingual/dev.jsonl] [--calls 20000]

Prints accuracy (strict, and with the set's accepted alternatives), a per-class table, the
segmentation items reproduced, and detect_lang calls per second on post-sized text.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from tgarchive.text import detect_lang, script_runs

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "bilingual" / "dev.jsonl"
CLASSES = ("ko", "en", "mixed", "und", "other")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args(argv)

    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line]
    strict = lenient = 0
    table: dict[str, Counter[str]] = {c: Counter() for c in CLASSES}
    misses = []
    for row in rows:
        got = detect_lang(row["text"]).lang
        accepted = {row["lang"], *(row.get("lang_alt") or [])}
        strict += got == row["lang"]
        lenient += got in accepted
        table[row["lang"]][got] += 1
        if got not in accepted:
            misses.append((row["id"], row["lang"], got, row["text"][:60]))
    segs = [r for r in rows if "segments" in r]
    seg_ok = sum(
        [[x.script, x.text] for x in script_runs(r["text"])] == r["segments"] for r in segs
    )

    print(f"items: {len(rows)}  ({args.data})")
    print(f"accuracy: {lenient / len(rows):.3f} with accepted alternatives, "
          f"{strict / len(rows):.3f} strict")  # fmt: skip
    print(f"segments reproduced exactly: {seg_ok}/{len(segs)}")
    print("\nlabel \\ got " + "".join(f"{c:>7}" for c in CLASSES) + "   recall")
    for label in CLASSES:
        total = sum(table[label].values())
        if not total:
            continue
        recall = table[label][label] / total
        print(
            f"{label:<12}" + "".join(f"{table[label][c]:>7}" for c in CLASSES) + f"   {recall:.2f}"
        )
    for miss in misses:
        print("miss:", *miss)

    posts = [r["text"] for r in rows if r.get("kind") in ("post", "paragraph")] or [rows[0]["text"]]
    mean = sum(map(len, posts)) / len(posts)
    start = time.perf_counter()
    for i in range(args.calls):
        detect_lang(posts[i % len(posts)])
    rate = args.calls / (time.perf_counter() - start)
    print(f"\nspeed: {rate:,.0f} calls/s on post-sized text (mean {mean:.0f} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
