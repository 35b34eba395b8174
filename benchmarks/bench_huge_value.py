"""How loading scales with the size of ONE value: a single message text of 4 to 64 MB.

Every step must be linear in the length of one value (issue: hardening). Prints, per layout
(Telegram's indented one and a minified one, read through ijson), seconds and MB/s for each
size, and the ratio of the largest size's time per MB to the smallest's: about 1 when linear,
growing with the size when not. Both layouts are compared with orjson parsing the same bytes
in the same run, the floor.

    python benchmarks/bench_huge_value.py [--max-mb 64]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import orjson

import tgarchive


def export(size_mb: int, indent: int | None) -> bytes:
    text = "투자 시장 AI " * (size_mb * 1024 * 1024 // 17)  # 17 bytes of UTF-8 a repeat
    messages = [
        {"id": 1, "type": "message", "date": "2024-01-01T09:00:00", "date_unixtime": "1704067200",
         "from": "a", "from_id": "user1", "text": "before", "text_entities": [{"type": "plain", "text": "before"}]},
        {"id": 2, "type": "message", "date": "2024-01-01T09:00:00", "date_unixtime": "1704067200",
         "from": "a", "from_id": "user1", "text": text, "text_entities": [{"type": "plain", "text": text}]},
        {"id": 3, "type": "message", "date": "2024-01-01T09:00:00", "date_unixtime": "1704067200",
         "from": "a", "from_id": "user1", "text": "after", "text_entities": [{"type": "plain", "text": "after"}]},
    ]  # fmt: skip
    doc = {"name": "c", "type": "public_channel", "id": 1, "messages": messages}
    return json.dumps(doc, ensure_ascii=False, indent=indent).encode()


def timed(data: bytes) -> float:
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        archive = tgarchive.load(data, strict=True)
    assert [p.id for p in archive.posts] == [1, 2, 3]
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-mb", type=int, default=64)
    args = parser.parse_args()
    sizes = [s for s in (4, 8, 16, 32, 64, 128) if s <= args.max_mb]
    for name, indent in (("indented", 1), ("minified", None)):
        per_mb = []
        print(f"{name}:")
        for size in sizes:
            data = export(size, indent)
            mb = len(data) / 1e6
            floor_start = time.perf_counter()
            orjson.loads(data)
            floor = time.perf_counter() - floor_start
            seconds = timed(data)
            per_mb.append(seconds / mb)
            print(f"  {mb:7.1f} MB  load {seconds:6.2f} s  {mb / seconds:6.1f} MB/s  "
                  f"(orjson floor {floor:5.2f} s, load/floor {seconds / floor:5.1f}x)")  # fmt: skip
        print(f"  time per MB, largest / smallest: {per_mb[-1] / per_mb[0]:.2f} (1 = linear)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
