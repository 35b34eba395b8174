"""Scale-out figures, side by side in one run: convert --jobs 1 vs 2, and
read_posts(...).groupby("chat_id").size() on a LocalCluster of 1 vs 2 workers.

    python benchmarks/bench_scale.py --exports 40 --messages 2500
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from generate import write_corpus

from tgarchive.dataset import convert_many


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exports", type=int, default=40)
    parser.add_argument("--messages", type=int, default=2500)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    try:
        sources = write_corpus(str(root / "corpus"), args.exports, args.messages)
        times = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            result = convert_many(sources, root / f"ds{jobs}", jobs=jobs)
            times[jobs] = time.perf_counter() - start
            assert not result.failed
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"convert {args.exports} x {args.messages}: jobs=1 {times[1]:.2f} s, "
              f"jobs=2 {times[2]:.2f} s, speed-up {times[1] / times[2]:.2f}x")  # fmt: skip
        print(f"peak RSS: parent (jobs=1, one export at a time) {_rss_mb():.0f} MB, "
              f"largest worker (jobs=2) {children:.0f} MB")  # fmt: skip

        from distributed import Client, LocalCluster

        import tgarchive.dask as tgdask

        dask_times = {}
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=":0", scheduler_port=0) as cluster, Client(cluster) as client:  # fmt: skip
                client.run(lambda: None)
                start = time.perf_counter()
                counts = tgdask.read_posts(sources).groupby("chat_id").size().compute()
                dask_times[workers] = time.perf_counter() - start
                rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
                assert int(counts.sum()) == args.exports * args.messages
                print(f"dask groupby, {workers} worker(s): {dask_times[workers]:.2f} s; worker "
                      f"peak RSS {max(rss.values()) / 1024:.0f} MB")  # fmt: skip
        print(f"dask speed-up 2 vs 1 workers: {dask_times[1] / dask_times[2]:.2f}x")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
