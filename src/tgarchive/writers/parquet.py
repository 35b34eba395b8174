"""The Parquet writer (format ``parquet``, extra ``[parquet]``): the flat post table and the
long tables, with the Arrow schemas of :func:`tgarchive.tables.arrow_schema`.

Writing ``out.parquet`` makes four files side by side::

    out.parquet              posts (one row per post)
    out.reactions.parquet    reactions  } join posts on (chat_id, post_id)
    out.links.parquet        links      }
    out.entities.parquet     entities   }

Rows are written in row groups of ``batch_size`` rows while the input streams, so memory
stays flat however large the export is. The files are written under temporary names and
renamed when complete, so a failed conversion leaves no partial output. Compression is
zstd; every file carries the schema version in its metadata (``tgarchive.schema_version``).
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path
from typing import Any

from ..errors import TgArchiveError
from ..tables import TABLES, TableName, arrow_schema, iter_batches, require
from . import WriteData, WriteTarget

__all__ = ["ParquetWriter", "table_paths"]


def table_paths(target: str | os.PathLike[str]) -> dict[TableName, Path]:
    """Where each table of a Parquet output named ``target`` goes.

    >>> from tgarchive.writers.parquet import table_paths
    >>> {table: path.name for table, path in table_paths("out/posts.parquet").items()}
    {'posts': 'posts.parquet', 'reactions': 'posts.reactions.parquet', 'links': 'posts.links.parquet', 'entities': 'posts.entities.parquet'}
    """
    path = Path(target)
    stem = path.name[: -len(".parquet")] if path.name.lower().endswith(".parquet") else path.name
    return {
        table: path if table == "posts" else path.with_name(f"{stem}.{table}.parquet")
        for table in TABLES
    }


class ParquetWriter:
    """Writes the posts table and the long tables as Parquet files, streaming.

    ``batch_size`` is the number of rows per row group; ``lang=False`` skips language
    detection (the ``lang`` column is left null).
    """

    name = "parquet"
    suffixes: tuple[str, ...] = (".parquet",)

    def __init__(self, *, batch_size: int = 4096, lang: bool = True) -> None:
        self.batch_size = batch_size
        self.lang = lang

    def write(self, data: WriteData, target: WriteTarget) -> None:
        if not isinstance(target, str | os.PathLike):
            raise TgArchiveError(
                "the parquet writer writes one file per table; give it a path, not a file object"
            )
        require("pyarrow")
        import pyarrow.parquet as pq

        paths = table_paths(target)
        temps = {t: p.with_name(f".{p.name}.tmp{os.getpid()}") for t, p in paths.items()}
        writers: dict[TableName, Any] = {}
        # Encoding and compressing a row group runs in C without the GIL: a thread writes the
        # batches while this one reads the source and makes the next ones.
        jobs: queue.Queue[Any] = queue.Queue(maxsize=2)
        errors: list[BaseException] = []

        def work() -> None:
            while (job := jobs.get()) is not None:
                if not errors:
                    try:
                        writers[job[0]].write_batch(job[1])
                    except BaseException as exc:  # raised in the writing thread
                        errors.append(exc)

        thread = threading.Thread(target=work, name="tgarchive-parquet", daemon=True)
        try:
            for table in TABLES:
                writers[table] = pq.ParquetWriter(
                    temps[table], arrow_schema(table), compression="zstd"
                )
            thread.start()
            try:
                for job in iter_batches(data, batch_size=self.batch_size, lang=self.lang):
                    if errors:
                        break
                    jobs.put(job)
            finally:
                jobs.put(None)
                thread.join()
            if errors:
                raise errors[0]
            for table in TABLES:
                writers.pop(table).close()
            for table in TABLES:
                os.replace(temps[table], paths[table])
        finally:
            for writer in writers.values():
                writer.close()
            for temp in temps.values():
                temp.unlink(missing_ok=True)
