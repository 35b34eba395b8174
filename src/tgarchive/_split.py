"""Reading one large ``result.json`` as several independent pieces (for parallel readers).

Telegram Desktop writes a single-chat export with one space of indentation per level, each
message opening on a line ``  {`` of its own (two spaces: the ``messages`` array's items), and
no raw newline inside a string (see :mod:`tgarchive.parsers.desktop_json._scan`). So the byte offset of
every message start can be found without parsing: ``\\n  {\\n``. Piece ``i`` of ``n`` holds the
messages that *start* in the ``i``-th ``n``-th of the file; it is read as a small export of its
own: the file's header (name, type, id, up to ``"messages": [``), its messages, and a closing
``]}``, streamed from the file without copying it. Read one after the other, the pieces give
exactly the posts of the whole file, in order.

Files in any other layout, and whole-account exports, are not split: piece 0 reads the whole
file and the other pieces are empty.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .parsers.desktop_json._scan import is_indented_layout

__all__ = ["Piece", "piece_stream", "plan_pieces", "split_entry"]

_HEADER_LIMIT = 1 << 16
_MESSAGES = b'\n "messages": [\n'
_START = b"\n  {\n"
_TAIL = b"\n ]\n}"
_SCAN = 1 << 16


@dataclass(frozen=True)
class Piece:
    """Piece ``index`` of ``count`` of the export at ``source`` (``count == 1``: all of it)."""

    source: str
    index: int = 0
    count: int = 1


def split_entry(source: Path) -> Path | None:
    """The ``result.json`` a source would be split on (a JSON file, or an export folder's
    ``result.json``); ``None`` for zips, HTML and anything else."""
    if source.is_dir():
        entry = source / "result.json"
        return entry if entry.is_file() else None
    if source.suffix.lower() == ".json" and source.is_file():
        return source
    return None


def plan_pieces(source: Path, blocksize: int | None) -> list[Piece]:
    """The pieces of ``source``, about ``blocksize`` bytes each, from its size alone."""
    name = str(source)
    entry = split_entry(source) if blocksize else None
    if entry is None or blocksize is None:
        return [Piece(name)]
    count = max(1, -(-os.path.getsize(entry) // blocksize))
    return [Piece(name, i, count) for i in range(count)]


def _header(fh: BinaryIO) -> bytes | None:
    """The bytes before the first message of a splittable export, or ``None``."""
    head = fh.read(_HEADER_LIMIT)
    if not is_indented_layout(head):
        return None
    at = head.find(_MESSAGES)
    if at < 0 or b'\n "chats": {' in head[:at]:
        return None
    end = at + len(_MESSAGES)
    if not head.startswith(b"  {\n", end):
        return None  # no messages at all: nothing to split
    return head[:end]


def _next_start(fh: BinaryIO, offset: int, limit: int) -> int | None:
    """The offset of the first message line ``  {`` at or after ``offset`` (before ``limit``)."""
    pos = max(offset - 1, 0)  # the newline before the line may sit just before offset
    while pos < limit:
        fh.seek(pos)
        chunk = fh.read(_SCAN + len(_START) - 1)  # overlapping reads: no match is cut in two
        found = chunk.find(_START)
        if found >= 0:
            start = pos + found + 1
            return start if start < limit else None
        if len(chunk) < _SCAN:
            return None
        pos += _SCAN
    return None


def _ranges(path: Path, piece: Piece) -> tuple[bytes, int, int, bytes] | None:
    """(header, start, end, tail) of ``piece`` in ``path``, or ``None`` if not splittable."""
    size = os.path.getsize(path)
    with path.open("rb") as fh:
        header = _header(fh)
        if header is None:
            return None
        first = len(header)
        span = size - first
        lo = first + span * piece.index // piece.count
        hi = first + span * (piece.index + 1) // piece.count
        start = first if piece.index == 0 else _next_start(fh, lo, hi)
        if start is None or start >= hi:
            return (header, first, first, _TAIL)  # no message starts here: an empty piece
        if piece.index == piece.count - 1:
            return (header, start, size, b"")
        following = _next_start(fh, hi, size)
        if following is None:
            return (header, start, size, b"")
        fh.seek(following - 2)
        if fh.read(2) != b",\n":
            raise ValueError(f"{path}: unexpected bytes before offset {following}")
        return (header, start, following - 2, _TAIL)


class _Splice(io.RawIOBase):
    """A read-only, seekable stream over ``header + file[start:end] + tail``."""

    def __init__(self, path: Path, header: bytes, start: int, end: int, tail: bytes) -> None:
        self._fh = path.open("rb")
        self._header = header
        self._start = start
        self._end = end
        self._tail = tail
        self._size = len(header) + (end - start) + len(tail)
        self._pos = 0
        self.name = str(path)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._size - self._pos
        out = bytearray()
        while size > 0 and self._pos < self._size:
            pos = self._pos
            body = self._end - self._start
            if pos < len(self._header):
                data = self._header[pos : pos + size]
            elif pos < len(self._header) + body:
                at = pos - len(self._header)
                self._fh.seek(self._start + at)
                data = self._fh.read(min(size, body - at))
                if not data:
                    break
            else:
                at = pos - len(self._header) - body
                data = self._tail[at : at + size]
            out += data
            self._pos += len(data)
            size -= len(data)
        return bytes(out)

    def close(self) -> None:
        self._fh.close()
        super().close()


def piece_stream(piece: Piece) -> tuple[str | BinaryIO, bool]:
    """What to hand :func:`tgarchive.iter_posts` for ``piece``: the source path itself (a
    whole export), or a stream over the piece's messages; the flag is ``False`` for a piece
    that holds nothing (a later piece of a file that is not split)."""
    if piece.count == 1:
        return piece.source, True
    entry = split_entry(Path(piece.source))
    ranges = _ranges(entry, piece) if entry is not None else None
    if ranges is None:
        return piece.source, piece.index == 0
    header, start, end, tail = ranges
    if start == end:
        return piece.source, False
    stream = _Splice(entry, header, start, end, tail)  # type: ignore[arg-type]
    return stream, True  # type: ignore[return-value]


def iter_piece_ranges(path: Path, count: int) -> Iterator[tuple[int, int]]:
    """(start, end) message byte ranges of each piece (for tests and benchmarks)."""
    for index in range(count):
        r = _ranges(path, Piece(str(path), index, count))
        if r is not None:
            yield r[1], r[2]
