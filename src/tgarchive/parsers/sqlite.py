"""Reading tgarchive's own SQLite archives back (format ``sqlite``).

The file is opened read-only; chats and posts come back in export order, equal to the ones
written (the ``data`` columns hold their lossless JSON). Any other SQLite database is refused
with a :class:`tgarchive.TgArchiveError` that says so.

>>> import tgarchive, tempfile, pathlib
>>> archive = tgarchive.load(tgarchive.sample_path())
>>> path = pathlib.Path(tempfile.mkdtemp()) / "archive.sqlite"
>>> tgarchive.dump(archive, path)
>>> again = tgarchive.load(path)
>>> again.format, again.posts == archive.posts
('sqlite', True)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import orjson
import pydantic

from .._source import DirectoryContainer, Source
from ..errors import TgArchiveError
from ..models import Chat, Post
from ..writers.sqlite import FORMAT_VERSION
from . import ParseContext

__all__ = ["SqliteParser", "connect", "local_path"]

MAGIC = b"SQLite format 3\x00"


@contextlib.contextmanager
def local_path(source: Source) -> Iterator[Path]:
    """A file system path holding the source's bytes (SQLite reads files, not streams): the
    file itself when it is one, else a temporary copy removed afterwards."""
    container = source.container
    if isinstance(container, DirectoryContainer) and source.member is not None:
        yield container.path / source.member
        return
    fd, name = tempfile.mkstemp(suffix=".sqlite")
    try:
        with os.fdopen(fd, "wb") as out, source.open() as fh:
            shutil.copyfileobj(fh, out)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def connect(path: Path, display: str) -> sqlite3.Connection:
    """Open a tgarchive SQLite archive read-only, checking that it is one."""
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True)
        meta = dict(db.execute("SELECT key, value FROM meta"))
    except sqlite3.Error as exc:
        with contextlib.suppress(UnboundLocalError):
            db.close()
        raise TgArchiveError(
            f"{display}: an SQLite database, but not a tgarchive archive ({exc})"
        ) from exc
    version = orjson.loads(meta.get("format_version", "null"))
    if not isinstance(version, int):
        db.close()
        raise TgArchiveError(f"{display}: an SQLite database, but not a tgarchive archive")
    if version > FORMAT_VERSION:
        db.close()
        raise TgArchiveError(
            f"{display}: archive format {version} is newer than this tgarchive reads "
            f"({FORMAT_VERSION}); upgrade tgarchive"
        )
    return db


class SqliteParser:
    """Reads the SQLite archives :class:`tgarchive.writers.sqlite.SqliteWriter` writes."""

    name = "sqlite"

    def detect(self, head: bytes, filename: str | None) -> float:
        return 1.0 if head.startswith(MAGIC) else 0.0

    def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
        with local_path(source) as path:
            db = connect(path, source.name)
            try:
                yield from self._read(db, ctx)
            finally:
                db.close()

    def _read(self, db: sqlite3.Connection, ctx: ParseContext) -> Iterator[Chat | Post]:
        meta = {k: orjson.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}
        ctx.account = meta.get("account")
        keys = meta.get("source_keys")
        ctx.source_keys = tuple(keys) if keys is not None else None
        chats = db.execute("SELECT chat_seq, data FROM chats ORDER BY chat_seq").fetchall()
        next_chat = 0
        rows = db.execute("SELECT post_seq, chat_seq, post_id, data FROM posts ORDER BY post_seq")
        for post_seq, chat_seq, post_id, data in rows:
            while (
                next_chat < len(chats) and chat_seq is not None and chats[next_chat][0] <= chat_seq
            ):
                chat = self._chat(chats[next_chat], ctx)
                next_chat += 1
                if chat is not None:
                    yield chat
            try:
                yield Post.model_validate_json(data)
            except pydantic.ValidationError as exc:
                ctx.problem(
                    f"posts row {post_seq} does not hold a valid post ({exc.error_count()} "
                    f"errors, first: {exc.errors()[0]['msg']})",
                    ctx.location(message_id=post_id),
                )
        for row in chats[next_chat:]:
            chat = self._chat(row, ctx)
            if chat is not None:
                yield chat

    @staticmethod
    def _chat(row: tuple[int, str], ctx: ParseContext) -> Chat | None:
        try:
            return Chat.model_validate_json(row[1])
        except pydantic.ValidationError as exc:
            ctx.problem(f"chats row {row[0]} does not hold a valid chat ({exc.errors()[0]['msg']})")
            return None
