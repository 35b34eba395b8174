"""Where iter_posts spends its time, and load its memory, per message of a Desktop JSON export.

Times are CPU time per message, the best of ``--repeat`` runs in one warm process (each step
measured on its own, interleaved with the others); memory is what ``load`` keeps, per post,
by the line of tgarchive that allocated it (tracemalloc, the GC off as ``load`` has it).

    python benchmarks/generate.py --messages 20000 -o /tmp/export20k.json
    python benchmarks/profile_json.py /tmp/export20k.json
"""

from __future__ import annotations

import argparse
import gc
import os
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import orjson

import tgarchive
from tgarchive.parsers.desktop_json import _fast
from tgarchive.parsers.desktop_json import _scan as js
from tgarchive.parsers.desktop_json._fields import key_layout

_ENTITY_BUILD = """            if len(part) == 2:
                made = new(Entity)"""


def _without_entity_objects() -> Callable[..., bool] | None:
    """read_modern_text with the inline Entity construction left out (the loop otherwise
    unchanged), to price the entity objects; None if the source no longer has that shape."""
    import inspect

    source = inspect.getsource(_fast.read_modern_text)
    if _ENTITY_BUILD not in source:
        return None
    skip = """            if len(part) == 2:
                append(ptext)
                pos += length
                continue
                made = new(Entity)"""
    namespace = dict(vars(_fast))
    exec(source.replace(_ENTITY_BUILD, skip), namespace)
    found: Callable[..., bool] = namespace["read_modern_text"]
    return found


def times(path: str, repeat: int) -> None:
    with open(path, "rb") as fh:
        data = fh.read()
    gc.disable()
    messages = orjson.loads(data)["messages"]
    gc.enable()
    total = len(messages)
    fast = [m for m in messages if _fast.fast_message(m) is not None]
    entities = sum(p.get("type") != "plain" for m in messages for p in m["text_entities"])
    print(f"{total:,} messages, {entities / total:.1f} entities each, "
          f"{len(fast) / total:.1%} taken by the fast path")  # fmt: skip

    def floor() -> None:
        gc.disable()
        orjson.loads(data)
        gc.enable()

    def scan() -> None:
        with open(path, "rb") as fh:
            for _ in js.scan_indented(fh, js.Locator()):
                pass

    def iter_posts() -> None:
        for _ in tgarchive.iter_posts(path):
            pass

    def fast_message() -> None:
        for m in fast:
            _fast.fast_message(m)

    def text(reader: Callable[..., bool]) -> Callable[[], None]:
        def run() -> None:
            for m in fast:
                reader(m["text_entities"], m.get("text"), "text" in m, {})

        return run

    def layout() -> None:
        for m in fast:
            key_layout(tuple(m))

    steps: list[tuple[str, Callable[[], None], int]] = [
        ("floor: orjson, whole file, GC off", floor, total),
        ("iter_posts", iter_posts, total),
        ("  scanning, orjson on 32 KiB batches", scan, total),
        ("  fast path, per message it takes", fast_message, len(fast)),
        ("    text and entities", text(_fast.read_modern_text), len(fast)),
        ("    key layout", layout, len(fast)),
    ]
    bare = _without_entity_objects()
    if bare is not None:
        steps.append(("    ... without the Entity objects", text(bare), len(fast)))
    iter_posts()  # the registry's first use, imports
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, step, count in steps:
            start = time.process_time()
            step()
            spent = (time.process_time() - start) / count
            best[name] = min(best.get(name, spent), spent)
    for name, _step, _count in steps:
        print(f"  {name:<40} {best[name] * 1e6:6.2f} us")
    ratio = best["floor: orjson, whole file, GC off"] / best["iter_posts"]
    print(f"  iter_posts / floor (speed): {ratio:.2f}x")


def memory(path: str, lines: int) -> None:
    size = os.path.getsize(path)
    gc.disable()
    tracemalloc.start(1)
    archive = tgarchive.load(path)
    snapshot = tracemalloc.take_snapshot()
    kept, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.enable()
    n = len(archive.posts)
    print(f"load keeps {kept / n:,.0f} B a post, {kept / size:.2f}x the file (Python objects "
          "only; RSS adds the interpreter and the allocator's slack)")  # fmt: skip
    stats: list[Any] = snapshot.statistics("lineno")
    for stat in stats[:lines]:
        frame = stat.traceback[0]
        where = f"{os.path.relpath(frame.filename, os.path.dirname(tgarchive.__file__))}"
        print(f"  {stat.size / n:6.0f} B {stat.count / n:6.2f} blocks  {where}:{frame.lineno}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="a single-chat result.json (benchmarks/generate.py)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--lines", type=int, default=10, help="allocation sites to show")
    args = parser.parse_args(argv)
    times(args.file, args.repeat)
    memory(args.file, args.lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
