"""Speed and memory of reading exports, side by side with the floor and json.load in one run.

Each measurement runs in a fresh child process of this one run, which reports its CPU time
(user + system), its wall time and its own peak RSS. Every mode runs ``--repeat`` times (3 by
default), interleaved; the table shows medians, with the range of CPU times. Speeds and ratios
use CPU time, which a machine busy with other work does not inflate by making the process wait
(all modes are single-threaded); the wall-time median is shown beside it. Imports happen
before the clocks start.

* ``floor``       orjson parsing the whole ``result.json`` with the garbage collector off:
  untyped dicts, as fast as Python gets them; the yardstick (steady from run to run);
* ``json.load``   the standard library reading the whole file (its time swings by a third
  between runs on a busy machine: its garbage collector rescans a growing heap);
* ``ijson items`` ijson (C backend) streaming the messages as untyped dicts;
* ``iter_posts``  tgarchive streaming typed posts from the same file (nothing kept);
* ``load``        tgarchive building the whole typed Archive from it;
* ``iter_posts(html)`` tgarchive streaming the HTML twin of the same messages
  (``messages.html`` ... ``messages100.html``, 1000 messages a page).

Ratios are medians over medians (the target line also compares the fastest runs). The targets are checked at the end: ``iter_posts`` at least
0.8x the floor, ``load`` peaking at no more than 3x the file's size.

    python benchmarks/bench_json.py                      # 100k messages, all JSON modes
    python benchmarks/bench_json.py --dense              # the generator's many-entities texts
    python benchmarks/bench_json.py --modes floor iter_posts load --repeat 5
    python benchmarks/bench_json.py --messages 1000000 --modes iter_posts --repeat 1
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
if mode == "floor":
    import orjson
elif mode == "ijson items":
    import ijson
elif mode != "json.load":
    import tgarchive
imported = time.perf_counter()
cpu = resource.getrusage(resource.RUSAGE_SELF)
if mode == "floor":
    gc.disable()
    with open(path, "rb") as fh:
        data = orjson.loads(fh.read())
    count = len(data["messages"])
elif mode == "json.load":
    with open(path, "rb") as fh:
        data = json.load(fh)
    count = len(data["messages"])
elif mode == "ijson items":
    with open(path, "rb") as fh:
        count = sum(1 for item in ijson.items(fh, "messages.item", use_float=True))
elif mode in ("iter_posts", "iter_posts(html)"):
    count = sum(1 for post in tgarchive.iter_posts(path))
elif mode == "load":
    archive = tgarchive.load(path)
    count = len(archive.chats[0].posts)
    assert not archive.issues
elapsed = time.perf_counter() - imported
usage = resource.getrusage(resource.RUSAGE_SELF)
used = usage.ru_utime + usage.ru_stime - cpu.ru_utime - cpu.ru_stime
print(json.dumps({"mode": mode, "messages": count, "seconds": elapsed, "cpu": used,
                  "peak_rss": usage.ru_maxrss * 1024}))
"""

MODES = ("floor", "json.load", "ijson items", "iter_posts", "load", "iter_posts(html)")
DEFAULT_MODES = MODES[:-1]


def run(mode: str, path: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--dense", action="store_true", help="generate many entities a message")
    parser.add_argument("--modes", nargs="+", default=list(DEFAULT_MODES), choices=MODES)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each mode (default 3)")
    parser.add_argument("--file", help="use this export instead of generating one")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        if args.file:
            path = Path(args.file)
        else:
            path = Path(tmp) / "result.json"
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                write_export(fh, args.messages, dense=args.dense)
        size = os.path.getsize(path)
        kind = path.name if args.file else "dense entities" if args.dense else "default generator"
        print(f"export: {size / 1e6:,.1f} MB ({kind}), python {sys.version.split()[0]}")
        html = Path(tmp) / "html"
        if "iter_posts(html)" in args.modes and not args.file:
            write_html_export(str(html), args.messages, dense=args.dense)
            html_size = sum(p.stat().st_size for p in html.iterdir())
            print(f"html twin: {len(list(html.iterdir()))} pages, {html_size / 1e6:,.1f} MB")
        runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in args.modes}
        for _ in range(args.repeat):
            for mode in args.modes:
                runs[mode].append(run(mode, html if mode == "iter_posts(html)" else path))

    rates = {
        mode: rs[0]["messages"] / statistics.median(r["cpu"] for r in rs)
        for mode, rs in runs.items()
    }
    print(f"{args.repeat} runs of each mode; medians (fastest-slowest); speeds from CPU time")
    print(f"{'mode':<17} {'messages':>9} {'CPU seconds':>17} {'msgs/s':>8} {'vs floor':>8} "
          f"{'vs json':>8} {'wall s':>7} {'peak RSS':>10} {'RSS/file':>9}")  # fmt: skip
    peaks: dict[str, float] = {}
    for mode, rs in runs.items():
        cpus = [r["cpu"] for r in rs]
        spread = f"{statistics.median(cpus):.2f} ({min(cpus):.2f}-{max(cpus):.2f})"
        wall = statistics.median(r["seconds"] for r in rs)
        vs_floor = f"{rates[mode] / rates['floor']:.2f}x" if "floor" in rates else "-"
        vs_json = f"{rates[mode] / rates['json.load']:.2f}x" if "json.load" in rates else "-"
        peaks[mode] = peak = max(r["peak_rss"] for r in rs)
        print(f"{mode:<17} {int(rs[0]['messages']):>9,} {spread:>17} {rates[mode]:>8,.0f} "
              f"{vs_floor:>8} {vs_json:>8} {wall:>7.2f} {peak / 2**20:>7.0f} MB "
              f"{peak / size:>8.2f}x")  # fmt: skip
    if "floor" in rates and "iter_posts" in rates:
        ratio = rates["iter_posts"] / rates["floor"]
        fastest = min(r["cpu"] for r in runs["floor"]) / min(r["cpu"] for r in runs["iter_posts"])
        verdict = "met" if ratio >= 0.8 else "NOT met"
        print(f"target iter_posts >= 0.80x floor: {ratio:.2f}x, {verdict} "
              f"(fastest run against fastest run: {fastest:.2f}x)")  # fmt: skip
    if "load" in peaks:
        ratio = peaks["load"] / size
        verdict = "met" if ratio <= 3 else "NOT met"
        print(f"target load peak RSS <= 3.00x the file: {ratio:.2f}x, {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
