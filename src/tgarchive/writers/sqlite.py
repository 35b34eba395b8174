"""The SQLite writer (format ``sqlite``; standard library ``sqlite3``).

One database file holds the whole archive, losslessly, and the tables of
:mod:`tgarchive.tables` ready for SQL::

    meta       key → value: format_version, source_format, account and source_keys (JSON)
    chats      chat_seq (primary key, export order), chat_id, name, type, left, data
    posts      post_seq (primary key, export order), chat_seq → chats, the flat post columns,
               data (the post's lossless JSON, as the jsonl format writes it)
    reactions  post_seq → posts, chat_id, post_id, kind, reaction, count
    links      post_seq → posts, chat_id, post_id, kind, url, text, domain
    entities   post_seq → posts, chat_id, post_id, kind, offset, length, text, href
    posts_fts  FTS5 index of posts.text with the trigram tokenizer (external content,
               ``detail=none``: it finds the posts holding every trigram of a query, which
               :func:`tgarchive.search` then checks exactly; a third of the size and the time
               of a full-detail index)

Indexes: ``posts(chat_id, post_id)``, ``posts(date)``, ``posts(chat_seq)``, and
``(chat_id, post_id)`` on each long table (plus ``links(domain)`` and
``reactions(reaction)``). Times are UTC text (``2023-07-14 00:35:08``), which SQLite's date
functions read; ``reactions``, ``domains`` and ``hashtags`` are JSON text (use ``json_each``).

>>> import sqlite3, tempfile, pathlib, tgarchive
>>> path = pathlib.Path(tempfile.mkdtemp()) / "archive.sqlite"
>>> tgarchive.dump(tgarchive.load(tgarchive.sample_path()), path)
>>> db = sqlite3.connect(path)
>>> db.execute("SELECT domain, count(*) FROM links GROUP BY domain ORDER BY 2 DESC, 1 LIMIT 1").fetchone()
('huyenchip.com', 2)
>>> db.close()

The file is built under a temporary name next to the target and renamed when complete, so a
failed conversion leaves no partial database and an existing file is replaced whole.
"""

from __future__ import annotations

import io
import os
import queue
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from ..errors import TgArchiveError
from ..models import Archive, Chat
from ..tables import COLUMNS, TableName, iter_records
from . import ItemStream, WriteData, WriteTarget
from .csv import format_time
from .jsonl import chat_json

__all__ = ["FORMAT_VERSION", "SCHEMA", "SqliteWriter"]

FORMAT_VERSION = 1
"""``meta.format_version`` of the files this writer makes; readers refuse newer ones."""

_SQL_TYPES = {"int": "INTEGER", "name": "TEXT", "text": "TEXT", "time": "TEXT",
              "map": "TEXT", "list": "TEXT"}  # fmt: skip


def _column_defs(table: TableName) -> str:
    return ", ".join(
        f'"{c.name}" {_SQL_TYPES[c.kind]}{"" if c.nullable else " NOT NULL"}'
        for c in COLUMNS[table]
    )


SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE chats (
    chat_seq INTEGER PRIMARY KEY, chat_id INTEGER, name TEXT, type TEXT,
    "left" INTEGER NOT NULL, data TEXT NOT NULL
);
CREATE TABLE posts (
    post_seq INTEGER PRIMARY KEY, chat_seq INTEGER REFERENCES chats (chat_seq),
    {_column_defs("posts")}, data TEXT NOT NULL
);
CREATE TABLE reactions (
    post_seq INTEGER NOT NULL REFERENCES posts (post_seq), {_column_defs("reactions")}
);
CREATE TABLE links (
    post_seq INTEGER NOT NULL REFERENCES posts (post_seq), {_column_defs("links")}
);
CREATE TABLE entities (
    post_seq INTEGER NOT NULL REFERENCES posts (post_seq), {_column_defs("entities")}
);
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    text, content = 'posts', content_rowid = 'post_seq', tokenize = 'trigram', detail = none
);
"""
"""The tables. :data:`INDEXES` and the trigram index are made once every row is in (one
sorted build each, several times faster than keeping them up to date row by row)."""

INDEXES = """
CREATE INDEX posts_by_id ON posts (chat_id, post_id);
CREATE INDEX posts_by_date ON posts (date);
CREATE INDEX posts_by_chat ON posts (chat_seq, post_seq);
CREATE INDEX reactions_by_post ON reactions (chat_id, post_id);
CREATE INDEX reactions_by_reaction ON reactions (reaction);
CREATE INDEX links_by_post ON links (chat_id, post_id);
CREATE INDEX links_by_domain ON links (domain);
CREATE INDEX entities_by_post ON entities (chat_id, post_id);
"""


def _placeholders(n: int) -> str:
    return ", ".join("?" * n)


def _post_converters() -> list[tuple[int, Any]]:
    out: list[tuple[int, Any]] = []
    for i, column in enumerate(COLUMNS["posts"]):
        if column.kind == "time":
            out.append((i, format_time))
        elif column.kind in ("map", "list"):
            out.append((i, lambda v: orjson.dumps(v).decode()))
    return out


class SqliteWriter:
    """Writes an SQLite database (see the module docstring), streaming in batches.

    ``lang=False`` skips language detection (the ``lang`` column is left null).
    """

    name = "sqlite"
    suffixes: tuple[str, ...] = (".sqlite", ".sqlite3", ".db")

    def __init__(self, *, batch_size: int = 2000, lang: bool = True) -> None:
        self.batch_size = batch_size
        self.lang = lang

    def write(self, data: WriteData, target: WriteTarget) -> None:
        if isinstance(target, str | os.PathLike):
            final = Path(target)
            fd, temp = tempfile.mkstemp(prefix=f".{final.name}.", dir=final.parent)
            os.close(fd)
            try:
                self._build(data, temp)
                os.replace(temp, final)
            finally:
                Path(temp).unlink(missing_ok=True)
        elif isinstance(target, io.TextIOBase) or hasattr(target, "encoding"):
            raise TgArchiveError("an SQLite database is binary: give a path or a binary stream")
        else:
            fd, temp = tempfile.mkstemp(suffix=".sqlite")
            os.close(fd)
            try:
                self._build(data, temp)
                with open(temp, "rb") as fh:
                    shutil.copyfileobj(fh, target)  # type: ignore[misc]  # a binary stream
            finally:
                Path(temp).unlink(missing_ok=True)

    def _build(self, data: WriteData, path: str) -> None:
        # SQLite does its work (B-trees, the trigram index) without holding the GIL, so a
        # thread of its own runs it while this one reads the source and makes the rows.
        worker = _Worker(path)
        worker.start()
        try:
            self._fill(worker, data)
        except BaseException:
            worker.stop(commit=False)
            raise
        worker.stop(commit=True)

    def _fill(self, db: _Worker, data: WriteData) -> None:
        n_posts = len(COLUMNS["posts"])
        insert_post = f"INSERT INTO posts VALUES ({_placeholders(n_posts + 3)})"
        inserts = {
            t: f"INSERT INTO {t} VALUES ({_placeholders(len(COLUMNS[t]) + 1)})"
            for t in ("reactions", "links", "entities")
        }
        convert = _post_converters()
        posts: list[tuple[Any, ...]] = []
        long_rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in inserts}

        def flush() -> None:
            # The worker keeps the lists it is given: start new ones.
            batch = posts[:]
            posts.clear()
            db.executemany(insert_post, batch)
            for table, rows in long_rows.items():
                db.executemany(inserts[table], rows)
                long_rows[table] = []

        chat: Chat | None = None
        chat_seq: int | None = None
        written = b""
        post_seq = 0
        for record in iter_records(data, lang=self.lang):
            if isinstance(record, Chat):
                self._close_chat(db, chat, chat_seq, written)
                chat = record
                chat_seq = 0 if chat_seq is None else chat_seq + 1
                written = chat_json(record)
                db.execute(
                    "INSERT INTO chats VALUES (?, ?, ?, ?, ?, ?)",
                    (chat_seq, record.id, record.name, record.type, record.left, written.decode()),
                )
                continue
            post_seq += 1
            row = list(record.post)
            for i, fn in convert:
                value = row[i]
                if value is not None:
                    row[i] = fn(value)
            post = record.source
            posts.append(
                (post_seq, chat_seq, *row, post.__pydantic_serializer__.to_json(post).decode())
            )
            for table, rows in (
                ("reactions", record.reactions),
                ("links", record.links),
                ("entities", record.entities),
            ):
                if rows:
                    long_rows[table].extend([(post_seq, *r) for r in rows])
            if len(posts) >= self.batch_size:
                flush()
        flush()
        self._close_chat(db, chat, chat_seq, written)
        self._meta(db, data)

    @staticmethod
    def _close_chat(db: _Worker, chat: Chat | None, seq: int | None, written: bytes) -> None:
        # A parser may fill in a chat's fields after its posts: store what it ended with.
        if chat is not None:
            now = chat_json(chat)
            if now != written:
                db.execute(
                    'UPDATE chats SET chat_id = ?, name = ?, type = ?, "left" = ?, data = ? '
                    "WHERE chat_seq = ?",
                    (chat.id, chat.name, chat.type, chat.left, now.decode(), seq),
                )

    @staticmethod
    def _meta(db: _Worker, data: WriteData) -> None:
        meta: dict[str, Any] = {"format_version": FORMAT_VERSION}
        if isinstance(data, Archive | ItemStream):
            meta["source_format"] = data.format
            if data.account is not None:
                meta["account"] = data.account
            if data.source_keys is not None:
                meta["source_keys"] = list(data.source_keys)
        rows = [(key, orjson.dumps(value).decode()) for key, value in meta.items()]
        db.executemany("INSERT INTO meta VALUES (?, ?)", rows)


_STOP = object()


class _Worker(threading.Thread):
    """Owns the connection; runs the statements it is handed, in order, on its own thread.
    An error stops the work; it is raised in the writing thread at its next call."""

    def __init__(self, path: str) -> None:
        super().__init__(name="tgarchive-sqlite", daemon=True)
        self.path = path
        self.jobs: queue.Queue[Any] = queue.Queue(maxsize=16)
        self.error: BaseException | None = None
        self.commit = False

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._put((False, sql, params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._put((True, sql, rows))

    def _put(self, job: Any) -> None:
        self._raise()
        self.jobs.put(job)

    def _raise(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            if isinstance(error, sqlite3.Error):
                raise TgArchiveError(
                    f"{self.path}: could not write the SQLite archive ({error})"
                ) from error
            raise error

    def stop(self, *, commit: bool) -> None:
        self.commit = commit
        self.jobs.put(_STOP)
        self.join()
        if commit:
            self._raise()

    def run(self) -> None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except BaseException as exc:  # reported to the writing thread
            self.error = exc
            self._drain()
            return
        try:
            db.executescript(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;"
            )
            db.executescript(SCHEMA)
            db.execute("BEGIN")
            while (job := self.jobs.get()) is not _STOP:
                many, sql, params = job
                if many:
                    db.executemany(sql, params)
                else:
                    db.execute(sql, params)
            if self.commit:
                db.execute("INSERT INTO posts_fts (posts_fts) VALUES ('rebuild')")
                for statement in INDEXES.strip().split(";\n"):
                    db.execute(statement)
                db.execute("COMMIT")
        except BaseException as exc:  # reported to the writing thread
            self.error = exc
            self._drain()
        finally:
            db.close()

    def _drain(self) -> None:
        while self.jobs.get() is not _STOP:
            pass
