"""Speed and memory of the writers and of search, against iter_posts alone, in one run.

Each measurement runs in a fresh child process, which reports its wall time and its own peak
RSS; every mode runs ``--repeat`` times (3 by default), interleaved with the others, and the
table shows the median with the range. Imports happen before the clock starts.

Writers (``convert`` of the synthetic export, streaming, to a temporary folder):

* ``iter_posts``        the baseline: reading every post, keeping none;
* ``rows``              iter_posts plus building the table rows (no language detection);
* ``jsonl`` ``csv`` ``parquet`` ``sqlite``   ``tgarchive.convert`` to that format, with the
  ``lang`` column off (``lang=False``) -- language detection costs more than reading and is
  measured on its own:
* ``rows+lang``          rows with language detection (what the writers do by default);
* ``csv+lang``            the CSV writer with its defaults (not run unless named).

Times are wall-clock seconds and CPU seconds (user + system, all threads) of the child; on a
shared machine the CPU figures are the steadier ones.

Search (on the SQLite archive of the same export, written once before):

* ``scan``      the full scan the index replaces: every post read from the SQLite archive and
  its text tested in Python (``q in text``, ASCII-folded);
* ``sql-scan``  ``instr(lower(text), q)`` over every row, inside SQLite;
* ``search``    ``tgarchive.search`` of a three-character query (through the FTS5 index),
  including building the matching posts.

    python benchmarks/bench_outputs.py                  # 100k messages, all modes
    python benchmarks/bench_outputs.py --messages 20000 --modes iter_posts csv
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_export  # noqa: E402

CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
mode, path, db, query = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
import tgarchive
from tgarchive import tables
from tgarchive.writers.csv import CsvWriter
from tgarchive.writers.jsonl import JsonlWriter
from tgarchive.writers.parquet import ParquetWriter
from tgarchive.writers.sqlite import SqliteWriter
if mode == "parquet":
    import pyarrow.parquet  # noqa: F401  (imported before the clock, like tgarchive)
out = Path(tempfile.mkdtemp())
writers = {"jsonl": JsonlWriter(), "csv": CsvWriter(lang=False), "parquet": ParquetWriter(lang=False),
           "sqlite": SqliteWriter(lang=False), "csv+lang": CsvWriter()}
extra = {}
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
cpu_start = cpu()
start = time.perf_counter()
if mode == "iter_posts":
    count = sum(1 for _ in tgarchive.iter_posts(path))
elif mode in ("rows", "rows+lang"):
    count = sum(1 for r in tables.iter_records(path, lang=mode == "rows+lang")
                if not isinstance(r, tgarchive.Chat))
elif mode in writers:
    name = mode.split("+")[0]
    target = out / ("out." + name)
    tgarchive.convert(path, target, writers=tgarchive.writers.WriterRegistry([writers[mode]]),
                      format=writers[mode].name)
    count = 0
    extra["bytes"] = sum(p.stat().st_size for p in out.iterdir())
elif mode == "scan":
    from tgarchive._search import fold
    q = fold(query)
    count = sum(1 for p in tgarchive.iter_posts(db) if q in fold(p.text))
elif mode == "sql-scan":
    import sqlite3
    con = sqlite3.connect(db)
    count = con.execute("SELECT count(*) FROM posts WHERE instr(lower(text), ?) > 0",
                        (query.lower(),)).fetchone()[0]
elif mode == "search":
    count = len(tgarchive.search(db, query))
else:
    raise SystemExit("unknown mode " + mode)
elapsed = time.perf_counter() - start
extra["cpu"] = cpu() - cpu_start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"mode": mode, "count": count, "seconds": elapsed, "peak_rss": peak, **extra}))
"""

WRITE_MODES = ("iter_posts", "rows", "jsonl", "csv", "parquet", "sqlite", "rows+lang", "csv+lang")
DEFAULT_MODES = tuple(m for m in WRITE_MODES if m != "csv+lang")
SEARCH_MODES = ("scan", "sql-scan", "search")
MODES = WRITE_MODES + SEARCH_MODES


def run(mode: str, path: Path, db: Path, query: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), str(db), query],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--modes", nargs="+", default=[*DEFAULT_MODES, "scan", "sql-scan", "search"],
                        choices=MODES)  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs of each mode (default 3)")
    parser.add_argument("--query", default="729", help="the search query (3 characters)")
    parser.add_argument("--dir", help="keep the generated files here (default: a temp folder)")
    args = parser.parse_args(argv)

    workdir = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="tgbench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    export = workdir / f"export{args.messages}.json"
    if not export.exists():
        with export.open("w", encoding="utf-8") as fh:
            write_export(fh, args.messages)
    db = workdir / f"export{args.messages}.sqlite"
    if any(m in SEARCH_MODES for m in args.modes) and not db.exists():
        import tgarchive
        from tgarchive.writers.sqlite import SqliteWriter

        SqliteWriter(lang=False).write(tgarchive.stream(export), db)
    size = export.stat().st_size
    print(f"{args.messages:,} messages, {size / 1e6:.0f} MB of JSON; query {args.query!r}; "
          f"{args.repeat} runs of each mode, interleaved")  # fmt: skip

    results: dict[str, list[dict[str, float]]] = {m: [] for m in args.modes}
    for _ in range(args.repeat):
        for mode in args.modes:
            results[mode].append(run(mode, export, db, args.query))

    def median(mode: str) -> float:
        return statistics.median(r["seconds"] for r in results[mode])

    base = median("iter_posts") if "iter_posts" in results else None
    scan = median("scan") if "scan" in results else None
    print("| mode | seconds, median (range) | vs iter_posts | CPU s (all threads) "
          "| CPU vs iter_posts | peak RSS | output |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    base_cpu = (statistics.median(r["cpu"] for r in results["iter_posts"])
                if "iter_posts" in results else None)  # fmt: skip
    for mode in args.modes:
        times = [r["seconds"] for r in results[mode]]
        med = statistics.median(times)
        if mode in SEARCH_MODES:
            ratio = f"1/{scan / med:,.0f} of scan" if scan and mode != "scan" else "—"
        else:
            ratio = f"+{(med / base - 1) * 100:.0f} %" if base and mode != "iter_posts" else "—"
        peak = max(r["peak_rss"] for r in results[mode]) / 2**20
        out = results[mode][0].get("bytes")
        extra = f"{out / 1e6:.0f} MB" if out else f"{int(results[mode][0]['count']):,} found" \
            if mode in SEARCH_MODES else ""  # fmt: skip
        cpu = statistics.median(r["cpu"] for r in results[mode])
        if mode in SEARCH_MODES or not base_cpu or mode == "iter_posts":
            cpu_ratio = "—"
        else:
            cpu_ratio = f"+{(cpu / base_cpu - 1) * 100:.0f} %"
        print(f"| `{mode}` | {med:.3f} ({min(times):.3f}–{max(times):.3f}) | {ratio} | "
              f"{cpu:.2f} | {cpu_ratio} | {peak:.0f} MB | {extra} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
