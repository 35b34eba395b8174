"""Property tests of the outputs: lossless round trips and never-crash on generated exports."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import tgarchive
from tgarchive import tables

from .strategies import chat_export

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip


def _load(data: bytes) -> tgarchive.Archive:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        return tgarchive.load(data)


@SETTINGS
@given(chat_export())
def test_jsonl_round_trip_is_lossless(export):
    """Any export written as jsonl reads back to equal posts and the same result.json."""
    archive = _load(json.dumps(export, ensure_ascii=False, indent=1).encode())
    text = tgarchive.dumps(archive, format="jsonl")
    again = tgarchive.load(text.encode(), strict=True)
    assert again.posts == archive.posts
    assert json.loads(tgarchive.dumps(again)) == export


@SETTINGS
@given(chat_export())
def test_sqlite_round_trip_is_lossless(export):
    """Any export written as SQLite reads back to equal posts and the same result.json."""
    archive = _load(json.dumps(export, ensure_ascii=False, indent=1).encode())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.sqlite"
        tgarchive.dump(archive, path)
        again = tgarchive.load(path, strict=True)
    assert again.posts == archive.posts
    assert json.loads(tgarchive.dumps(again)) == export


@SETTINGS
@given(chat_export())
def test_csv_has_one_parsable_row_per_post(export):
    """Any export's CSV parses back into exactly one row per post, texts intact."""
    archive = _load(json.dumps(export, ensure_ascii=False, indent=1).encode())
    text = tgarchive.dumps(
        archive,
        format="csv",
    )
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["text"] for r in rows] == [p.text for p in archive.posts]
    assert [int(r["post_id"]) for r in rows] == [p.id for p in archive.posts]
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert header == tables.column_names("posts")


@SETTINGS
@given(chat_export())
def test_parquet_holds_the_rows(export):
    """Any export's Parquet posts file holds its rows."""
    pq = pytest.importorskip("pyarrow.parquet")
    archive = _load(json.dumps(export, ensure_ascii=False, indent=1).encode())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.parquet"
        tgarchive.dump(archive, path)
        got = pq.read_table(path).to_pylist()
    expected = list(tables.iter_rows(archive))
    for row in got:
        if row["reactions"] is not None:
            row["reactions"] = dict(row["reactions"])
    assert got == expected
