"""Helpers for the scale tests: small generated corpora, and the rows a plain loop gives."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tgarchive
from tgarchive import tables

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402  # benchmarks/generate.py: the synthetic export writer


def write_corpus(folder: Path, exports: int, messages: int) -> list[Path]:
    """``exports`` generated channel exports (distinct ids, names, months) under ``folder``."""
    return [Path(p) for p in generate.write_corpus(str(folder), exports, messages)]


def rewrite_channel(export: Path, index: int, messages: int) -> None:
    """Write channel ``index`` of :func:`write_corpus` again into ``export``, with ``messages``."""
    name, chat_id, start = generate.corpus_channel(index)
    with (export / "result.json").open("w", encoding="utf-8", newline="\n") as fh:
        generate.write_export(
            fh, messages, 7 + index, channel=name, channel_id=chat_id, start=start
        )


def stream(sources: Iterable[str | Path]) -> Iterator[tgarchive.Chat | tgarchive.Post]:
    """The chats and posts of each export in turn, read by a plain loop (no dataset, no dask)."""
    for source in sources:
        for chat in tgarchive.load(source).chats:
            yield chat
            yield from chat.posts


def canonical(rows: Iterable[dict[str, Any]]) -> list[str]:
    """Rows as sorted JSON texts, so that two tables compare whatever their row order."""
    return sorted(json.dumps(r, default=str, sort_keys=True, ensure_ascii=False) for r in rows)


def expected(sources: Iterable[str | Path], table: tables.TableName = "posts") -> list[str]:
    """The canonical rows of ``table`` over ``sources``, from :func:`tables.iter_rows`."""
    return canonical(tables.iter_rows(stream(sources), table))
