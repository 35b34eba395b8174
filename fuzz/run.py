"""One coverage-guided atheris fuzzer for one parser (started by ``fuzz/campaign.py``).

    python fuzz/run.py --parser desktop-html --runs 100000 --out fuzz/out [libFuzzer flags]

tgarchive is instrumented (lxml, pydantic and orjson are C or are not the code under test), the
process's address space is capped (``--memory-mb``, RLIMIT_AS) and every input goes through
:func:`fuzz.harness.check`. A finding does not stop the run: its input is saved as
``<out>/<parser>/findings/<signature>.bin`` (the campaign input form: a mode byte, then the
file) beside a ``.txt`` with the traceback, and fuzzing goes on. Figures are written to
``<out>/<parser>/stats-<pid>.json`` every few thousand inputs and at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import atheris  # optional: pip install atheris


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parser", required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--memory-mb", type=int, default=4096)
    args, libfuzzer = ap.parse_known_args()

    # A plugin's own package is instrumented too (its entry point names it).
    plugins = {ep.value.split(".")[0].split(":")[0]
               for ep in entry_points(group="tgarchive.parsers") if ep.name == args.parser}  # fmt: skip
    with atheris.instrument_imports(include=sorted({"tgarchive", "fuzz", *plugins})):
        # Imported here to be instrumented (the registry would import them later, plainly).
        import tgarchive.parsers.desktop_html
        import tgarchive.parsers.desktop_json
        import tgarchive.writers.desktop_json  # noqa: F401
        from fuzz import harness
        from tgarchive.parsers import get_parser

        get_parser(args.parser)  # imports a plugin's module inside the instrumented block

    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    folder = args.out / args.parser
    findings_dir = folder / "findings"
    findings_dir.mkdir(parents=True, exist_ok=True)
    stats_path = folder / f"stats-{os.getpid()}.json"
    stats: dict[str, Any] = {"parser": args.parser, "inputs": 0, "strict": 0, "findings": 0,
                             "signatures": {}, "slowest": 0.0, "started": time.time()}  # fmt: skip

    def save_stats() -> None:
        stats["elapsed"] = time.time() - stats["started"]
        stats_path.write_text(json.dumps(stats, indent=1))

    def one_input(raw: bytes) -> None:
        data, strict = harness.decode_input(raw)
        started = time.perf_counter()
        finding = harness.check(args.parser, data, strict=strict)
        took = time.perf_counter() - started
        stats["inputs"] += 1
        stats["strict"] += strict
        stats["slowest"] = max(stats["slowest"], took)
        if finding is not None:
            stats["findings"] += 1
            sig = finding.signature
            seen = stats["signatures"].setdefault(sig, 0)
            stats["signatures"][sig] = seen + 1
            if not seen:
                (findings_dir / f"{sig}.bin").write_bytes(raw)
                (findings_dir / f"{sig}.txt").write_text(
                    f"{finding.kind} at {finding.where} (strict={strict}, "
                    f"{finding.seconds:.3f} s)\n\n{finding.detail}"
                )
        if stats["inputs"] % 5000 == 0 or stats["inputs"] >= args.runs:
            save_stats()
            if stats["inputs"] >= args.runs:
                os._exit(0)

    atheris.Setup([sys.argv[0], *libfuzzer], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
