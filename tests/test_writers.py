"""The jsonl, csv, parquet and sqlite writers, and reading jsonl and sqlite back."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import warnings
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import tgarchive
from tgarchive import tables
from tgarchive.parsers import default_registry
from tgarchive.writers import WriterRegistry, default_writers
from tgarchive.writers.csv import CsvWriter
from tgarchive.writers.parquet import ParquetWriter, table_paths
from tgarchive.writers.sqlite import SqliteWriter

from .conftest import FIXTURES, corpus_dir, json_fixtures

ACCOUNT = FIXTURES / "desktop-json" / "account_export.json"


def quiet_load(path: Path) -> tgarchive.Archive:
    """Load a real export whose page chain is incomplete (an issue the parser records)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        return tgarchive.load(path)


CORPUS = [("desktop-json", "salaf", "result.json"), ("desktop-html", "salaf", "messages.html"),
          ("desktop-html", "teleaudio", "messages4.html"),
          ("desktop-html", "cybersec", "messages40.html")]  # fmt: skip


def corpus_exports() -> list[tgarchive.Archive]:
    return [quiet_load(corpus_dir(*parts)) for parts in CORPUS]


def chat_fields(archive: tgarchive.Archive) -> list[dict[str, Any]]:
    return [chat.model_dump(exclude={"posts"}) for chat in archive.chats]


def assert_same_archive(again: tgarchive.Archive, archive: tgarchive.Archive) -> None:
    assert again.posts == archive.posts
    assert chat_fields(again) == chat_fields(archive)
    assert [len(c.posts) for c in again.chats] == [len(c.posts) for c in archive.chats]
    assert again.account == archive.account
    assert again.source_keys == archive.source_keys


# --- lossless formats: jsonl and sqlite ------------------------------------------------------


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
@pytest.mark.parametrize("path", json_fixtures(), ids=lambda p: p.name)
def test_fixtures_round_trip(path, suffix, tmp_path):
    """Every Desktop JSON fixture written as jsonl or sqlite reads back equal, and writes
    the same result.json again."""
    archive = tgarchive.load(path, strict=True)
    out = tmp_path / f"out{suffix}"
    tgarchive.dump(archive, out)
    again = tgarchive.load(out, strict=True)
    assert again.format == suffix[1:]
    assert_same_archive(again, archive)
    assert tgarchive.dumps(again) == tgarchive.dumps(archive)


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_corpus_round_trips(suffix, tmp_path):
    """Real JSON and HTML exports (Arabic, RTL, old and new writers) come back equal."""
    for i, archive in enumerate(corpus_exports()):
        out = tmp_path / f"out{i}{suffix}"
        tgarchive.dump(archive, out)
        assert_same_archive(tgarchive.load(out, strict=True), archive)
    salaf = corpus_dir("desktop-json", "salaf") / "result.json"
    out = tmp_path / f"converted{suffix}"
    tgarchive.convert(salaf, out)
    assert tgarchive.dumps(tgarchive.load(out)).encode() == salaf.read_bytes()


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_account_export_survives_a_streaming_convert(suffix, tmp_path):
    """convert() streams; the account sections that come after the chats still arrive."""
    out = tmp_path / f"account{suffix}"
    tgarchive.convert(ACCOUNT, out)
    archive = tgarchive.load(ACCOUNT)
    assert archive.account
    assert_same_archive(tgarchive.load(out), archive)
    back = tmp_path / "result.json"
    tgarchive.convert(out, back)
    assert json.loads(back.read_text(encoding="utf-8")) == json.loads(
        ACCOUNT.read_text(encoding="utf-8")
    )


def test_jsonl_lines_are_model_dumps():
    """Each post line is post.model_dump_json(); the header comes first, chats before posts."""
    archive = tgarchive.load(tgarchive.sample_path())
    lines = tgarchive.dumps(archive, format="jsonl").splitlines()
    assert json.loads(lines[0]) == {"tgarchive": "jsonl", "version": 1,
                                    "source_format": "desktop-json"}  # fmt: skip
    assert json.loads(lines[1])["chat"]["name"] == archive.chats[0].name
    assert lines[2:-1] == [post.model_dump_json() for post in archive.posts]
    assert json.loads(lines[-1]) == {"archive": {"account": None,
                                                 "source_keys": ["name", "type", "id", "messages"]}}  # fmt: skip


def test_jsonl_to_a_binary_stream_and_back():
    """A binary stream target gets the same bytes, and bytes load back."""
    archive = tgarchive.load(tgarchive.sample_path())
    buffer = io.BytesIO()
    tgarchive.dump(archive, buffer, format="jsonl")
    assert buffer.getvalue().decode() == tgarchive.dumps(archive, format="jsonl")
    assert tgarchive.load(buffer.getvalue()).posts == archive.posts


def test_jsonl_chat_filled_after_its_posts_is_updated():
    """A chat whose fields a parser fills in after its posts is written again, and read so."""
    chat = tgarchive.Chat(id=1, name="채널")
    post = tgarchive.Post(id=1, text="안녕")

    def items() -> Iterator[tgarchive.Chat | tgarchive.Post]:
        yield chat
        yield post
        chat.extra["late_field"] = [1, 2]

    text = tgarchive.dumps(items(), format="jsonl")
    assert '"chat_update"' in text
    again = tgarchive.load(text.encode())
    assert again.chats[0].extra == {"late_field": [1, 2]}
    assert again.posts == [post]


def test_headerless_post_lines_load(tmp_path):
    """Post lines filtered out of a jsonl file (no header, no chat) still load."""
    archive = tgarchive.load(tgarchive.sample_path())
    lines = tgarchive.dumps(archive, format="jsonl").splitlines()
    kept = [line for line in lines if '"reactions":[]' not in line and line.startswith('{"id"')]
    path = tmp_path / "filtered.jsonl"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert tgarchive.detect_format(path) == "jsonl"
    assert [p.id for p in tgarchive.load(path).posts] == [3, 4, 5, 9, 12]


def test_bad_jsonl_lines_are_located(tmp_path):
    """A broken line is an issue naming its line (lenient) or a ParseError there (strict);
    the other posts are kept."""
    archive = tgarchive.load(tgarchive.sample_path())
    lines = tgarchive.dumps(archive, format="jsonl").splitlines()
    lines[4] = lines[4][:40]
    lines[6] = lines[6].replace('"id":5', '"id":"five"')
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.warns(tgarchive.ParseWarning):
        loaded = tgarchive.load(path)
    assert len(loaded.posts) == 10
    assert [(i.location.line, i.reason[:21]) for i in loaded.issues] == [
        (5, "line 5 is not a post:"), (7, "line 7 is not a post:")]  # fmt: skip
    assert loaded.issues[1].location.message_id is None  # the id itself is what is broken
    assert "id: Input should be a valid integer" in loaded.issues[1].reason
    with pytest.raises(tgarchive.ParseError) as info:
        tgarchive.load(path, strict=True)
    assert info.value.location.line == 5


def test_newer_jsonl_version_is_refused():
    """A header from a newer writer is a ParseError in strict mode, saying to upgrade."""
    data = b'{"tgarchive":"jsonl","version":99}\n{"id":1}\n'
    with pytest.raises(tgarchive.ParseError, match="upgrade tgarchive"):
        tgarchive.load(data, strict=True)


def test_sqlite_tables_hold_the_rows(tmp_path):
    """The SQL tables hold the table rows; keys join, the FTS index exists, times are UTC."""
    path = corpus_dir("desktop-json", "salaf") / "result.json"
    archive = tgarchive.load(path)
    out = tmp_path / "a.db"
    tgarchive.dump(archive, out)
    db = sqlite3.connect(out)
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND "
                                      "name NOT LIKE 'posts_fts%' ORDER BY name")]  # fmt: skip
    assert names == ["chats", "entities", "links", "meta", "posts", "reactions"]
    columns = [r[1] for r in db.execute("PRAGMA table_info(posts)")]
    assert columns == ["post_seq", "chat_seq", *tables.column_names("posts"), "data"]
    rows = list(tables.iter_rows(archive))
    got = db.execute("SELECT post_id, date, text, reactions, domains FROM posts ORDER BY post_seq")
    for row, (post_id, date, text, reactions, domains) in zip(rows, got, strict=True):
        assert post_id == row["post_id"] and text == row["text"]
        assert datetime.fromisoformat(date).replace(tzinfo=timezone.utc) == row["date"]
        assert (json.loads(reactions) if reactions else None) == row["reactions"]
        assert (json.loads(domains) if domains else None) == row["domains"]
    for table in ("reactions", "links", "entities"):
        n = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert n == len(list(tables.iter_rows(archive, table)))
        orphans = db.execute(f"SELECT count(*) FROM {table} t LEFT JOIN posts p ON "
                             "p.chat_id = t.chat_id AND p.post_id = t.post_id "
                             "WHERE p.post_seq IS NULL").fetchone()[0]  # fmt: skip
        assert orphans == 0
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"posts_by_id", "posts_by_date", "entities_by_post"} <= indexes
    plan = " ".join(str(r) for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM posts WHERE chat_id = 1 AND post_id = 2"))  # fmt: skip
    assert "posts_by_id" in plan
    db.close()


def test_sqlite_replaces_an_existing_file_and_refuses_foreign_databases(tmp_path):
    """Writing over a file replaces it whole; a database that is not ours is refused."""
    out = tmp_path / "a.sqlite"
    tgarchive.dump(tgarchive.load(ACCOUNT), out)
    tgarchive.dump(tgarchive.load(tgarchive.sample_path()), out)
    assert len(tgarchive.load(out).posts) == 12
    assert [p.name for p in tmp_path.iterdir()] == ["a.sqlite"]
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(tgarchive.TgArchiveError, match="not a tgarchive archive"):
        tgarchive.load(other)


def test_sqlite_from_bytes_and_to_a_binary_stream():
    """An archive can be written to a binary stream and loaded from its bytes."""
    archive = tgarchive.load(tgarchive.sample_path())
    buffer = io.BytesIO()
    tgarchive.dump(archive, buffer, format="sqlite")
    assert tgarchive.load(buffer.getvalue()).posts == archive.posts
    with pytest.raises(tgarchive.TgArchiveError, match="binary"):
        tgarchive.dump(archive, io.StringIO(), format="sqlite")


# --- row-matching formats: csv and parquet ---------------------------------------------------


def parse_csv_field(kind: str, nullable: bool, text: str) -> Any:
    if text == "":
        return None if nullable else ("" if kind in ("text", "name") else text)
    if kind == "int":
        return int(text)
    if kind == "time":
        return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
    if kind in ("map", "list"):
        return json.loads(text)
    return text


def read_csv_rows(path: Path) -> list[dict[str, Any]]:
    columns = {c.name: c for c in tables.COLUMNS["posts"]}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k: parse_csv_field(columns[k].kind, columns[k].nullable, v) for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


def test_csv_row_matches_the_corpus(tmp_path):
    """Each real export's CSV, read back by the documented rules, gives its table rows."""
    for i, archive in enumerate(corpus_exports()):
        out = tmp_path / f"posts{i}.csv"
        tgarchive.dump(archive, out)
        assert out.read_bytes().startswith(b"\xef\xbb\xbfchat_id,chat_name,post_id,")
        assert read_csv_rows(out) == list(tables.iter_rows(archive))


def test_csv_opens_cleanly_in_pandas_and_polars(tmp_path):
    """pandas and polars read the CSV with the right header, Korean and line breaks intact."""
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    archive = tgarchive.load(tgarchive.sample_path())
    out = tmp_path / "posts.csv"
    tgarchive.dump(archive, out)
    texts = [p.text for p in archive.posts]
    frame = pd.read_csv(out, keep_default_na=False)
    assert list(frame.columns) == tables.column_names("posts")
    assert frame["text"].tolist() == texts
    assert "윌버는" in frame["text"][1] and "\n\n" in frame["text"][1]
    assert json.loads(frame["reactions"][2]) == {"👍": 34, "🔥": 12}
    parsed = pd.to_datetime(frame["date"], utc=True)
    assert parsed.tolist() == [r["date"] for r in tables.iter_rows(archive)]
    polars_frame = pl.read_csv(out)
    assert polars_frame.columns == tables.column_names("posts")
    assert [t or "" for t in polars_frame["text"].to_list()] == texts


def test_csv_to_a_text_stream_has_no_byte_order_mark():
    """dumps() gives text: no BOM there, the same rows otherwise."""
    text = tgarchive.dumps(tgarchive.load(tgarchive.sample_path()), format="csv")
    assert text.startswith("chat_id,chat_name,post_id,")
    buffer = io.BytesIO()
    CsvWriter().write(tgarchive.load(tgarchive.sample_path()), buffer)
    assert buffer.getvalue() == b"\xef\xbb\xbf" + text.encode()


def arrow_rows(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    for row in rows:
        for key, value in row.items():
            if isinstance(value, list) and value and isinstance(value[0], tuple):
                row[key] = dict(value)
    return rows


def test_parquet_row_matches_the_corpus(tmp_path):
    """Each real export's Parquet files hold its four tables, with the documented schema."""
    pq = pytest.importorskip("pyarrow.parquet")
    for i, archive in enumerate(corpus_exports()):
        out = tmp_path / f"posts{i}.parquet"
        ParquetWriter(batch_size=64).write(archive, out)
        for table, path in table_paths(out).items():
            assert pq.read_schema(path) == tables.arrow_schema(table)
            assert arrow_rows(path) == list(tables.iter_rows(archive, table)), (i, table)
        if len(archive.posts) > 64:
            assert pq.ParquetFile(out).num_row_groups == -(-len(archive.posts) // 64)


def test_parquet_needs_a_path_and_leaves_nothing_on_failure(tmp_path):
    """A file object is refused; a stream that fails midway leaves no files behind."""
    pytest.importorskip("pyarrow")
    archive = tgarchive.load(tgarchive.sample_path())
    with pytest.raises(tgarchive.TgArchiveError, match="give it a path"):
        tgarchive.dump(archive, io.BytesIO(), format="parquet")

    def failing() -> Iterator[tgarchive.Post]:
        yield from archive.posts[:3]
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        ParquetWriter(batch_size=2).write(failing(), tmp_path / "x.parquet")
    assert list(tmp_path.iterdir()) == []


def test_sqlite_failure_leaves_nothing(tmp_path):
    """A stream that fails midway leaves no database (nor temporary file) behind."""
    archive = tgarchive.load(tgarchive.sample_path())

    def failing() -> Iterator[tgarchive.Post]:
        yield from archive.posts[:3]
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError, match="source broke"):
        SqliteWriter(batch_size=2).write(failing(), tmp_path / "x.sqlite")
    assert list(tmp_path.iterdir()) == []


# --- registry, detection, convert ---------------------------------------------------------------


def test_writers_are_registered_by_suffix():
    """Each suffix the issue names picks its writer."""
    registry = default_writers()
    picked = {s: registry.for_path("out" + s).name for s in
              (".json", ".jsonl", ".csv", ".parquet", ".sqlite", ".db")}  # fmt: skip
    assert picked == {".json": "desktop-json", ".jsonl": "jsonl", ".csv": "csv",
                      ".parquet": "parquet", ".sqlite": "sqlite", ".db": "sqlite"}  # fmt: skip
    assert registry.origin("csv").entry_point == "tgarchive.writers.csv:CsvWriter"


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_own_formats_are_detected_with_certainty(suffix, tmp_path):
    """A written jsonl or sqlite file scores 1.0 for its own parser and below for all others,
    and the other formats' files never score 1.0 for these parsers."""
    out = tmp_path / f"x{suffix}"
    tgarchive.dump(tgarchive.load(ACCOUNT), out)
    head = out.read_bytes()[:8192]
    scores = {p.name: s for s, p in default_registry().scores(head, out.name)}
    assert scores.pop(suffix[1:]) == 1.0
    assert max(scores.values()) < 1.0
    mine = [default_registry().get(n) for n in ("jsonl", "sqlite")]
    others = [*json_fixtures(), corpus_dir("desktop-html", "salaf") / "messages.html"]
    for path in others:
        head = path.read_bytes()[:8192]
        assert all(p.detect(head, path.name) < 1.0 for p in mine), path


def test_convert_equals_dump_of_load(tmp_path):
    """Streaming convert() writes what dump(load()) writes, for every format."""
    source = corpus_dir("desktop-json", "salaf") / "result.json"
    archive = tgarchive.load(source)
    for suffix in (".jsonl", ".csv"):
        a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        tgarchive.convert(source, a)
        tgarchive.dump(archive, b)
        assert a.read_bytes() == b.read_bytes().replace(
            b'"source_format":"desktop-json"', b'"source_format":"desktop-json"'
        )
    tgarchive.convert(source, tmp_path / "c.sqlite")
    assert tgarchive.load(tmp_path / "c.sqlite").posts == archive.posts
    pytest.importorskip("pyarrow")
    tgarchive.convert(source, tmp_path / "c.parquet")
    assert arrow_rows(tmp_path / "c.parquet") == list(tables.iter_rows(archive))


def test_convert_takes_the_output_format_by_name(tmp_path):
    """format= overrides the suffix; an unknown one lists what can be written."""
    out = tmp_path / "posts.txt"
    tgarchive.convert(tgarchive.sample_path(), out, format="jsonl")
    assert tgarchive.detect_format(out) == "jsonl"
    with pytest.raises(tgarchive.UnknownFormatError, match="can write: csv, desktop-json"):
        tgarchive.convert(tgarchive.sample_path(), out, format="xlsx")
    lenient = WriterRegistry([CsvWriter(lang=False)])
    tgarchive.convert(tgarchive.sample_path(), tmp_path / "p.csv", writers=lenient)
    assert all(r["lang"] is None for r in read_csv_rows(tmp_path / "p.csv"))
