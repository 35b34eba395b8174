"""What the command line's streaming costs over plain ``iter_posts``, in one run.

Each mode runs in a fresh child process, ``--repeat`` times (3 by default), interleaved; the
table shows the median wall time, its ratio to ``iter_posts`` (the baseline) and the child's
peak RSS.

* ``iter_posts``  the baseline: tgarchive streaming typed posts, nothing kept;
* ``stream`` the same through :func:`tgarchive.stream`, whose streams count bytes
  read (what the progress bar shows);
* ``info``        ``tgarchive info`` on the file (statistics without languages, no bar);
* ``info+bar``    the same with the progress bar drawn (standard error on a pseudo-terminal).

    python benchmarks/bench_cli.py                   # 100k messages
    python benchmarks/bench_cli.py --messages 20000 --repeat 5
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_export  # noqa: E402

CHILD = r"""
import resource, sys, time, warnings
import tgarchive, tgarchive.cli
mode, path = sys.argv[1], sys.argv[2]
warnings.simplefilter("ignore")
start = time.perf_counter()
if mode == "iter_posts":
    n = sum(1 for _ in tgarchive.iter_posts(path))
elif mode == "stream":
    with tgarchive.stream(path) as export:
        n = sum(1 for _ in export)
    assert export.bytes_read == export.size
else:
    import io, contextlib
    with contextlib.redirect_stdout(io.StringIO()):
        assert tgarchive.cli.main(["info", path]) == 0
    n = 0
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{elapsed:.4f} {rss:.1f} {n}")
"""

MODES = ("iter_posts", "stream", "info", "info+bar")


def run(mode: str, path: Path) -> tuple[float, float]:
    """One child's wall time and peak RSS (MB)."""
    child = "info" if mode == "info+bar" else mode
    drain = None
    if mode == "info+bar":
        leader, follower = pty.openpty()
        stderr: int = follower

        def read_all() -> None:  # a terminal is read; an unread one would block the child
            with contextlib.suppress(OSError):
                while os.read(leader, 65536):
                    pass

        drain = threading.Thread(target=read_all, daemon=True)
        drain.start()
    else:
        stderr = subprocess.DEVNULL
    proc = subprocess.run([sys.executable, "-c", CHILD, child, str(path)], stdout=subprocess.PIPE,
                          stderr=stderr, text=True, check=True, env={**os.environ, "TERM": "xterm"})  # fmt: skip
    if drain is not None:
        os.close(follower)
        drain.join(timeout=5)
        os.close(leader)
    seconds, rss, _n = proc.stdout.split()
    return float(seconds), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "result.json"
        with path.open("w", encoding="utf-8") as fh:
            write_export(fh, args.messages, seed=1)
        size = path.stat().st_size / 1e6
        print(f"{args.messages:,} messages, {size:.0f} MB, {args.repeat} runs per mode")
        times: dict[str, list[float]] = {mode: [] for mode in MODES}
        rss: dict[str, list[float]] = {mode: [] for mode in MODES}
        for _ in range(args.repeat):
            for mode in MODES:
                seconds, peak = run(mode, path)
                times[mode].append(seconds)
                rss[mode].append(peak)
        base = statistics.median(times["iter_posts"])
        print(
            f"{'mode':<12} {'median s':>9} {'range s':>13} {'x iter_posts':>13} {'peak RSS MB':>12}"
        )
        for mode in MODES:
            median = statistics.median(times[mode])
            spread = f"{min(times[mode]):.2f}-{max(times[mode]):.2f}"
            print(f"{mode:<12} {median:>9.2f} {spread:>13} {median / base:>13.2f} "
                  f"{max(rss[mode]):>12.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
