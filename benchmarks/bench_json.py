"""Speed and memory of reading exports, against json.load of the same messages as JSON.

Each measurement runs in a fresh child process (one process tree, one run), which reports its
wall time and its own peak RSS:

* ``json.load``  the baseline: the standard library reading the whole ``result.json``;
* ``iter_posts`` tgarchive streaming typed posts from the same file (nothing kept);
* ``load``       tgarchive building the whole typed Archive from it;
* ``iter_posts(html)`` tgarchive streaming the HTML twin of the same messages
  (``messages.html`` ... ``messages100.html``, 1000 messages a page).

    python benchmarks/bench_json.py                      # 100k messages, all modes
    python benchmarks/bench_json.py --messages 1000000 --modes iter_posts
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_export, write_html_export  # noqa: E402

CHILD = r"""
import gc, json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if mode == "json.load":
    with open(path, "rb") as fh:
        data = json.load(fh)
    count = len(data["messages"])
elif mode == "iter_posts":
    import tgarchive
    count = 0
    for post in tgarchive.iter_posts(path):
        count += 1
elif mode == "iter_posts(html)":
    import tgarchive
    count = sum(1 for post in tgarchive.iter_posts(path))
elif mode == "load":
    import tgarchive
    archive = tgarchive.load(path)
    count = len(archive.chats[0].posts)
    assert not archive.issues
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"mode": mode, "messages": count, "seconds": elapsed, "peak_rss": peak}))
"""

MODES = ("json.load", "iter_posts", "load", "iter_posts(html)")


def run(mode: str, path: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--file", help="use this export instead of generating one")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        if args.file:
            path = Path(args.file)
        else:
            path = Path(tmp) / "result.json"
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                write_export(fh, args.messages)
        size = os.path.getsize(path)
        print(f"export: {path.name}, {size / 1e6:,.1f} MB, python {sys.version.split()[0]}")
        html = Path(tmp) / "html"
        if "iter_posts(html)" in args.modes and not args.file:
            write_html_export(str(html), args.messages)
            html_size = sum(p.stat().st_size for p in html.iterdir())
            print(f"html twin: {len(list(html.iterdir()))} pages, {html_size / 1e6:,.1f} MB")
        results = {
            mode: run(mode, html if mode == "iter_posts(html)" else path) for mode in args.modes
        }

    base = results.get("json.load")
    print(f"{'mode':<16} {'messages':>10} {'seconds':>8} {'msgs/s':>10} {'vs json':>8} "
          f"{'peak RSS':>10} {'RSS/file':>9}")  # fmt: skip
    for mode, r in results.items():
        rate = r["messages"] / r["seconds"]
        ratio = f"{rate / (base['messages'] / base['seconds']):.2f}x" if base else "-"
        print(f"{mode:<16} {int(r['messages']):>10,} {r['seconds']:>8.2f} {rate:>10,.0f} "
              f"{ratio:>8} {r['peak_rss'] / 2**20:>8.0f} MB {r['peak_rss'] / size:>8.2f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
