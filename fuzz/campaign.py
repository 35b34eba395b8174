"""The fuzzing campaign: every parser :func:`tgarchive.load` can reach, lenient and strict.

    nice -n 10 python fuzz/campaign.py --inputs 1000000             # every registered parser
    python fuzz/campaign.py --parsers desktop-html --inputs 20000   # one parser, a short run
    python fuzz/campaign.py --report                                # figures of the last run

With atheris installed (``pip install atheris``) each parser gets a coverage-guided fuzzer
(``fuzz/run.py``), seeded from tests/fixtures and the shared corpus (whole files and
one-message documents cut from them), with a 2 s limit an input (a slower one is a finding;
libFuzzer kills a hang after ``--timeout`` s), an address-space cap (RLIMIT_AS) and libFuzzer's
RSS limit. Without atheris the same oracle runs on :func:`fuzz.harness.mutate`'s inputs.
Findings land in ``<out>/<parser>/findings`` (oracle findings) and ``<out>/<parser>/artifacts``
(hangs and memory blow-ups caught by libFuzzer); a killed fuzzer is restarted until the
parser has had its inputs. The figures printed at the end are what docs/reliability.md quotes.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz import harness

HERE = Path(__file__).resolve().parent


def _write_seeds(parser: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for data in harness.seeds(parser):
        for strict in (False, True):
            raw = harness.encode_input(data, strict=strict)
            (folder / hashlib.sha1(raw).hexdigest()).write_bytes(raw)
            count += 1
    return count


def _totals(folder: Path) -> dict[str, Any]:
    total: dict[str, Any] = {"inputs": 0, "strict": 0, "findings": 0, "elapsed": 0.0,
                             "slowest": 0.0, "signatures": {}}  # fmt: skip
    for path in sorted(folder.glob("stats-*.json")):
        stats = json.loads(path.read_text())
        for key in ("inputs", "strict", "findings", "elapsed"):
            total[key] += stats.get(key, 0)
        total["slowest"] = max(total["slowest"], stats.get("slowest", 0.0))
        for sig, n in stats.get("signatures", {}).items():
            total["signatures"][sig] = total["signatures"].get(sig, 0) + n
    artifacts = folder / "artifacts"
    total["artifacts"] = sorted(p.name for p in artifacts.iterdir()) if artifacts.exists() else []
    return total


def _run_atheris(parser: str, inputs: int, out: Path, args: argparse.Namespace) -> None:
    folder = out / parser
    seeds_dir, corpus_dir, artifacts = folder / "seeds", folder / "corpus", folder / "artifacts"
    n = _write_seeds(parser, seeds_dir)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    print(f"{parser}: {n} seed inputs", flush=True)
    restarts = 0
    while (done := _totals(folder)["inputs"]) < inputs:
        cmd = [sys.executable, str(HERE / "run.py"), "--parser", parser,
               "--runs", str(inputs - done), "--out", str(out), "--memory-mb", str(args.memory_mb),
               str(corpus_dir), str(seeds_dir), f"-max_len={args.max_len}",
               f"-timeout={args.timeout}", f"-rss_limit_mb={args.memory_mb}",
               f"-artifact_prefix={artifacts}/", "-print_final_stats=1",
               f"-seed={args.seed + restarts}"]  # fmt: skip
        with open(folder / "libfuzzer.log", "ab") as log:
            code = subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT)
        if code != 0:
            restarts += 1
            print(f"{parser}: fuzzer exited with {code} (see artifacts); restart {restarts}")
            if restarts > args.max_restarts:
                break


def _run_mutator(parser: str, inputs: int, out: Path, args: argparse.Namespace) -> None:
    folder = out / parser
    findings_dir = folder / "findings"
    findings_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    pool = harness.seeds(parser)
    stats: dict[str, Any] = {"inputs": 0, "strict": 0, "findings": 0, "slowest": 0.0,
                             "signatures": {}}  # fmt: skip
    started = time.time()
    for i in range(inputs):
        data, strict = harness.mutate(rng, rng.choice(pool), pool), bool(i & 1)
        t = time.perf_counter()
        finding = harness.check(parser, data, strict=strict)
        stats["slowest"] = max(stats["slowest"], time.perf_counter() - t)
        stats["inputs"] += 1
        stats["strict"] += strict
        if finding is not None:
            stats["findings"] += 1
            seen = stats["signatures"].get(finding.signature, 0)
            stats["signatures"][finding.signature] = seen + 1
            if not seen:
                raw = harness.encode_input(data, strict=strict)
                (findings_dir / f"{finding.signature}.bin").write_bytes(raw)
                (findings_dir / f"{finding.signature}.txt").write_text(finding.detail)
    stats["elapsed"] = time.time() - started
    (folder / f"stats-{os.getpid()}.json").write_text(json.dumps(stats, indent=1))


def report(out: Path, parsers: list[str]) -> None:
    """Print the figures of the campaign stored under ``out``."""
    print(f"{'parser':<14} {'inputs':>10} {'strict':>7} {'execs/s':>8} {'findings':>9} "
          f"{'unique':>7} {'slowest':>8} {'hangs/ooms':>10}")  # fmt: skip
    for parser in parsers:
        t = _totals(out / parser)
        rate = t["inputs"] / t["elapsed"] if t["elapsed"] else 0.0
        share = t["strict"] / t["inputs"] if t["inputs"] else 0.0
        print(f"{parser:<14} {t['inputs']:>10,} {share:>7.0%} {rate:>8,.0f} {t['findings']:>9,} "
              f"{len(t['signatures']):>7} {t['slowest']:>7.2f}s {len(t['artifacts']):>10}")  # fmt: skip
        for sig, n in sorted(t["signatures"].items()):
            print(f"    {sig}: {n} inputs")
        for name in t["artifacts"]:
            print(f"    artifact {name}")


def main(argv: list[str] | None = None) -> int:
    from tgarchive.parsers import available_formats

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--parsers", nargs="*", help="format names (default: every registered one)")
    ap.add_argument("--inputs", type=int, default=1_000_000, help="inputs per parser")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--engine", choices=["auto", "atheris", "mutate"], default="auto")
    ap.add_argument("--max-len", type=int, default=8192, help="longest input libFuzzer makes")
    ap.add_argument("--timeout", type=int, default=10, help="libFuzzer's kill-a-hang seconds")
    ap.add_argument("--memory-mb", type=int, default=3072)
    ap.add_argument("--max-restarts", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--report", action="store_true", help="only print the last run's figures")
    ap.add_argument("--resume", action="store_true", help="count the inputs already run")
    args = ap.parse_args(argv)
    parsers = args.parsers or list(available_formats())
    if args.report:
        report(args.out, parsers)
        return 0
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if importlib.util.find_spec("atheris") else "mutate"
    for parser in parsers:
        folder = args.out / parser
        if not args.resume and folder.exists():
            for old in folder.glob("stats-*.json"):
                old.unlink()
        folder.mkdir(parents=True, exist_ok=True)
        run = _run_atheris if engine == "atheris" else _run_mutator
        run(parser, args.inputs, args.out, args)
    print(f"engine: {engine}; {args.inputs:,} inputs a parser requested")
    report(args.out, parsers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
