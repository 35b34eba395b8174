"""The CSV writer (format ``csv``): one row per post, the flat columns of
:mod:`tgarchive.tables`.

* UTF-8 with a byte-order mark when writing to a path or a binary stream: Excel needs the mark
  to read UTF-8 (without it Korean turns into mojibake), and pandas, polars and the
  ``utf-8-sig`` codec skip it. A text stream gets no mark (its encoding is the caller's).
* RFC 4180 quoting (``"`` doubled, fields with commas, quotes or line breaks quoted) and CRLF
  line ends; line breaks inside a post's text stay inside its quoted field.
* Null is an empty field; times are UTC as ``2023-07-14 00:35:08`` (what Excel and SQLite
  recognise as a date); ``reactions`` is a JSON object and ``domains``/``hashtags`` JSON
  arrays (non-ASCII written as is).

The long tables (reactions, links, entities) are not written: CSV holds one table, and the
``reactions`` and ``domains`` columns carry their gist. Use Parquet or SQLite for those.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson

from ..models import Chat
from ..tables import COLUMNS, column_names, iter_records
from . import WriteData, WriteTarget

__all__ = ["CsvWriter", "format_time"]


def format_time(value: datetime) -> str:
    """A UTC time as CSV and SQLite write it (no zone: it is always UTC)."""
    text = value.isoformat(sep=" ")
    return text[:-6] if text.endswith("+00:00") else text


def _converters() -> list[Any]:
    out: list[Any] = []
    for column in COLUMNS["posts"]:
        if column.kind == "time":
            out.append(format_time)
        elif column.kind in ("map", "list"):
            out.append(lambda v: orjson.dumps(v).decode())
        else:
            out.append(None)
    return out


def csv_rows(data: WriteData, *, lang: bool = True) -> Iterable[list[Any]]:
    """The posts rows as CSV fields (header first)."""
    yield column_names("posts")
    special = [(i, f) for i, f in enumerate(_converters()) if f is not None]
    for record in iter_records(data, lang=lang, long_tables=False):
        if isinstance(record, Chat):
            continue
        row = list(record.post)
        for i, convert in special:
            value = row[i]
            if value is not None:
                row[i] = convert(value)
        yield row


class CsvWriter:
    """Writes the posts table as CSV, streaming (see the module docstring for the dialect).

    ``lang=False`` skips language detection (the ``lang`` column is left empty).
    """

    name = "csv"
    suffixes: tuple[str, ...] = (".csv",)

    def __init__(self, *, lang: bool = True) -> None:
        self.lang = lang

    def write(self, data: WriteData, target: WriteTarget) -> None:
        if isinstance(target, str | os.PathLike):
            with open(target, "w", encoding="utf-8-sig", newline="") as fh:
                csv.writer(fh).writerows(csv_rows(data, lang=self.lang))
        elif isinstance(target, io.TextIOBase) or hasattr(target, "encoding"):
            csv.writer(target).writerows(csv_rows(data, lang=self.lang))  # type: ignore[arg-type]
        else:
            wrapper = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")  # type: ignore[type-var]
            try:
                csv.writer(wrapper).writerows(csv_rows(data, lang=self.lang))
                wrapper.flush()
            finally:
                wrapper.detach()
