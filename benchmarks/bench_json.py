"""Speed and memory of reading exports, against json.load of the same messages as JSON.

Each measurement runs in a fresh child process of this one run, which reports its wall time
and its own peak RSS. Every mode runs ``--repeat`` times (3 by default), interleaved, and the
table shows the median time with the range: ``json.load``'s own time varies by more than
half from run to run on a busy machine (its garbage collector rescans a growing heap). Ratios
are medians over medians; the last column also compares with the *fastest* ``json.load``.
Imports happen before the clock starts (``import json`` for the baseline, ``import
tgarchive`` for the others); the import of tgarchive is reported on its own line.

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
import statistics
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
imported = time.perf_counter()
if mode != "json.load":
    import tgarchive
start = time.perf_counter()
if mode == "json.load":
    with open(path, "rb") as fh:
        data = json.load(fh)
    count = len(data["messages"])
elif mode == "iter_posts":
    count = 0
    for post in tgarchive.iter_posts(path):
        count += 1
elif mode == "iter_posts(html)":
    count = sum(1 for post in tgarchive.iter_posts(path))
elif mode == "load":
    archive = tgarchive.load(path)
    count = len(archive.chats[0].posts)
    assert not archive.issues
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"mode": mode, "messages": count, "seconds": elapsed, "peak_rss": peak,
                  "import": start - imported}))
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
    parser.add_argument("--repeat", type=int, default=3, help="runs of each mode (default 3)")
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
        runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in args.modes}
        for _ in range(args.repeat):
            for mode in args.modes:
                runs[mode].append(run(mode, html if mode == "iter_posts(html)" else path))

    imports = [r["import"] for mode, rs in runs.items() if mode != "json.load" for r in rs]
    if imports:
        print(f"import tgarchive (not timed below): {statistics.median(imports):.2f} s")
    print(f"{args.repeat} runs of each mode; times are medians (fastest-slowest)")
    base = runs.get("json.load")
    base_rate = base_best = 0.0
    if base:
        base_rate = base[0]["messages"] / statistics.median(r["seconds"] for r in base)
        base_best = base[0]["messages"] / min(r["seconds"] for r in base)
    print(f"{'mode':<16} {'messages':>10} {'seconds':>18} {'msgs/s':>10} {'vs json':>8} "
          f"{'vs fastest':>10} {'peak RSS':>10} {'RSS/file':>9}")  # fmt: skip
    for mode, rs in runs.items():
        seconds = [r["seconds"] for r in rs]
        middle = statistics.median(seconds)
        rate = rs[0]["messages"] / middle
        spread = f"{middle:.2f} ({min(seconds):.2f}-{max(seconds):.2f})"
        ratio = f"{rate / base_rate:.2f}x" if base else "-"
        worst = f"{rate / base_best:.2f}x" if base else "-"
        peak = max(r["peak_rss"] for r in rs)
        print(f"{mode:<16} {int(rs[0]['messages']):>10,} {spread:>18} {rate:>10,.0f} "
              f"{ratio:>8} {worst:>10} {peak / 2**20:>8.0f} MB {peak / size:>8.2f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
