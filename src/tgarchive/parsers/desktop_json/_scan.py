"""Streaming the structure of a Telegram Desktop ``result.json``, one message at a time.

Two scanners produce the same event stream:

* :func:`scan_indented`, the fast path. Telegram Desktop writes its JSON by hand with one space
  of indentation per level, every container opening at the end of a line and closing on a line
  of its own at its opening's indentation, and no raw newline inside strings. So the end of a
  message is the next line that starts with the message's indentation followed by ``}``: one
  ``bytes.find`` instead of a tokenizer. Each message's bytes are then parsed by orjson.
  The file is read in 256 KiB chunks (small enough to stay in the CPU cache); memory stays
  flat whatever the export's size.
* :func:`scan_any`, the fallback for any other layout (minified, re-indented files), on ijson's
  event stream. Slower, still streaming.

Telegram's writer also emits ``\\xHH`` escapes for control bytes, which no JSON parser accepts;
both scanners rewrite them to ``\\u00HH``. Duplicate keys (``send_webview_data`` service
messages write ``"text"`` twice, see :data:`DUPLICATE_KEY_ACTIONS`) are kept: the message's dict
then carries ``dups``, the earlier values in order. Batches are parsed without looking for them
(orjson keeps the last value); the consumer asks :meth:`Locator.exact` for such a message.

Events are tuples whose first item is one of the constants below. Their last item, and a
:class:`JsonScanError`'s ``offset``, is a byte offset into the file: lines are counted only when
a problem needs one (:meth:`Locator.line_at`), which spares counting the newlines of every
message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

import orjson

__all__ = [
    "CHAT_BEGIN",
    "CHAT_END",
    "DUPLICATE_KEY_ACTIONS",
    "MEMBER",
    "MESSAGE",
    "MESSAGES_BEGIN",
    "MESSAGES_END",
    "MESSAGE_BATCH",
    "SECTION_BEGIN",
    "SECTION_END",
    "JsonScanError",
    "fix_escapes",
    "is_indented_layout",
    "scan_any",
    "scan_indented",
]

MEMBER = 0  # (MEMBER, scope, key, value, offset)      scope: "root" | "section" | "chat"
MESSAGES_BEGIN = 1  # (MESSAGES_BEGIN, scope, None, None, offset)
MESSAGE = 2  # (MESSAGE, scope, index, raw, offset)
MESSAGES_END = 3
SECTION_BEGIN = 4  # (SECTION_BEGIN, "root", key, None, offset)   chats / left_chats
SECTION_END = 5
CHAT_BEGIN = 6  # (CHAT_BEGIN, "section", index, None, offset)
CHAT_END = 7
MESSAGE_BATCH = 8  # (MESSAGE_BATCH, "", first index, [raw, ...], None): places via Locator;
# duplicate keys are not seen in a batch: ask Locator.exact for a message that may have them

Event = tuple[int, str, Any, Any, int | None]

DUPLICATE_KEY_ACTIONS = frozenset({"send_webview_data"})
"""Service actions whose messages Telegram Desktop writes with a key twice."""
_DUPLICATE_KEY_MARKERS = tuple(b'"%s"' % action.encode() for action in DUPLICATE_KEY_ACTIONS)


def _may_repeat_keys(data: bytes) -> bool:
    """Whether a message's bytes may hold a duplicated key (then parsed keeping both)."""
    return any(marker in data for marker in _DUPLICATE_KEY_MARKERS)


_CHUNK = 256 * 1024
_BATCH_BYTES = 32 * 1024  # messages parsed per orjson call (measured best: 16-48 KiB)
_SECTIONS = ("chats", "left_chats")
_X_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\x([0-9A-Fa-f]{2})")


class JsonScanError(ValueError):
    """The JSON could not be read; ``offset`` (bytes from the file's start, of the line where
    the trouble starts) and ``index`` (of the message) say where, when known."""

    def __init__(self, reason: str, offset: int | None = None, index: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset
        self.index = index


class DupDict(dict[str, Any]):
    """A JSON object that had duplicate keys; ``dups`` holds the earlier ``(key, value)``s."""

    dups: list[tuple[str, Any]]


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    dups: list[tuple[str, Any]] = []
    for key, value in pairs:
        if key in result:
            dups.append((key, result[key]))
        result[key] = value
    if not dups:
        return result
    dd = DupDict(result)
    dd.dups = dups
    return dd


def fix_escapes(data: bytes) -> bytes:
    r"""Rewrite Telegram's invalid ``\xHH`` string escapes as ``\u00HH`` (escaped ``\\x`` kept)."""
    return _X_ESCAPE.sub(rb"\1\\u00\2", data)


def loads(data: bytes, *, pairs: bool = False) -> Any:
    """Parse one JSON value with orjson, repairing ``\\xHH`` escapes and duplicate keys."""
    if not pairs:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    fixed = fix_escapes(data) if b"\\x" in data else data
    if not pairs:
        try:
            return orjson.loads(fixed)
        except orjson.JSONDecodeError:
            pass
    # The standard library accepts what orjson refuses on purpose (lone surrogates, NaN) and
    # lets us see duplicate keys.
    try:
        return json.loads(fixed.decode("utf-8"), object_pairs_hook=_pairs_hook)
    except UnicodeDecodeError as exc:
        raise JsonScanError(f"invalid UTF-8 at byte {exc.start} of this value") from exc
    except json.JSONDecodeError as exc:
        raise JsonScanError(
            f"invalid JSON: {exc.msg} (line {exc.lineno} col {exc.colno} of this value)"
        ) from exc


def is_indented_layout(head: bytes) -> bool:
    """Whether ``head`` starts the way Telegram Desktop (and ``json.dump(indent=1)``) writes."""
    head = head.lstrip(b"\xef\xbb\xbf")
    return head.startswith((b'{\n "', b'{\r\n "'))


class _Reader:
    """A chunked byte buffer with line-oriented helpers; ``offset`` is ``pos`` in the file."""

    __slots__ = ("base", "buf", "eof", "pos", "stream")

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.buf = b""
        self.pos = 0
        self.base = 0  # the file offset of buf[0]
        self.eof = False

    @property
    def offset(self) -> int:
        return self.base + self.pos

    def fill(self) -> int:
        """Read more; returns how far existing offsets moved left (-1 at end of input)."""
        if self.eof:
            return -1
        chunk = self.stream.read(_CHUNK)
        if not chunk:
            self.eof = True
            return -1
        shift = self.pos
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        self.base += shift
        return shift

    def readline(self) -> bytes | None:
        while True:
            i = self.buf.find(b"\n", self.pos)
            if i >= 0:
                line = self.buf[self.pos : i]
                self.pos = i + 1
                return line.rstrip(b"\r")
            if self.fill() < 0:
                if self.pos < len(self.buf):
                    line = self.buf[self.pos :]
                    self.pos = len(self.buf)
                    return line.rstrip(b"\r")
                return None

    def peek_startswith(self, prefix: bytes) -> bool:
        while len(self.buf) - self.pos < len(prefix) and self.fill() >= 0:
            pass
        return self.buf.startswith(prefix, self.pos)

    def block(self, close: bytes, start: int) -> bytes:
        """Bytes from ``pos`` through the next line starting with ``close`` (``close`` begins
        with a newline); ``pos`` moves past that line."""
        search = self.pos
        while True:
            i = self.buf.find(close, search)
            if i >= 0:
                end = i + len(close)
                # The closing line may only go on with "," and the line break.
                while end + 2 > len(self.buf) and not self.eof:
                    shift = self.fill()
                    if shift < 0:
                        break
                    i -= shift
                    end -= shift
                tail = self.buf[end : end + 2]
                if tail[:1] in (b"", b"\n", b"\r") or tail in (b",\n", b",\r") or tail == b",":
                    return self.take(end)
                search = i + 1
                continue
            keep = max(self.pos, len(self.buf) - len(close))
            shift = self.fill()
            if shift < 0:
                raise JsonScanError("the file ends inside an object or array", start)
            search = keep - shift

    def take(self, end: int) -> bytes:
        """Consume ``buf[pos:end]`` and the rest of its last line; return the former."""
        data = self.buf[self.pos : end]
        nl = self.buf.find(b"\n", end)
        self.pos = len(self.buf) if nl < 0 else nl + 1
        return data


def _batch_end(r: _Reader, close: bytes, size: int) -> int:
    """Where, in ``r.buf``, the last whole message ending within about ``size`` bytes of
    ``pos`` ends (messages end at a ``close`` line followed by ``,`` or a line break); -1 when
    none does (a huge message: the caller reads it alone). Nothing is consumed. The window may
    run past the message array's end (an account export's next chat follows at the same
    indentation): parsing such a window fails, and the caller cuts it then, so that the
    common case pays for no search."""
    while len(r.buf) - r.pos < size + len(close) + 2 and r.fill() >= 0:
        pass
    limit = min(len(r.buf), r.pos + size)
    i = r.buf.rfind(close, r.pos, limit)
    while i >= 0:
        end = i + len(close)
        if r.buf[end : end + 1] in (b",", b"\n", b"\r"):
            return end
        i = r.buf.rfind(close, r.pos, i)
    return -1


def _parse_batch(window: bytes) -> list[Any] | None:
    """The messages of a window as one JSON array; ``None`` if that is not valid JSON."""
    try:
        items: list[Any] = orjson.loads(b"[" + window + b"]")
    except orjson.JSONDecodeError:
        return None
    return items


def _split(batch: bytes, close: bytes, start: int) -> Iterator[tuple[bytes, int]]:
    """The messages of a batch (starting at file offset ``start``), each with its offset;
    messages end at ``close`` followed by ``,``, the next opens on the following line."""
    pos = 0
    separator = close + b","
    while True:
        i = batch.find(separator, pos)
        end = len(batch) if i < 0 else i + len(close)
        yield batch[pos:end], start + pos
        if i < 0:
            return
        nl = batch.find(b"\n", end)
        pos = nl + 1


def _member(line: bytes, indent: int, at: int) -> tuple[str, bytes]:
    """Split ``<indent>"key": rest`` into the key and the (comma-stripped) rest."""
    if not line.startswith(b'"', indent):
        raise JsonScanError(f"expected a quoted key at indentation {indent}", at)
    sep = line.find(b'": ', indent + 1)
    if sep < 0:
        raise JsonScanError("expected '\"key\": value'", at)
    key = loads(line[indent : sep + 1])
    rest = line[sep + 3 :]
    if rest.endswith(b","):
        rest = rest[:-1]
    return key, rest


class Locator:
    """Finds places again, when asked (only for problems, and for the rare message with
    duplicate keys): the line of a file offset, and a message read in a batch, its line and its
    own bytes parsed exactly.

    Lines are counted on a second stream of the file (``reopen`` gives one from its start),
    read forward from the last place counted: a run without problems counts none, and one
    with many reads the file once more at most. Close it (or use it in a ``with`` block) to
    release that stream.
    """

    def __init__(self, reopen: Callable[[], BinaryIO] | None = None) -> None:
        self.reopen = reopen
        # first offset, first index, the bytes, and the "\n<indent>}" that ends a message
        self.batch: tuple[int, int, bytes, bytes] | None = None
        self._stream: BinaryIO | None = None
        self._counted = (0, 1)  # (offset, line at that offset) on that stream

    def __enter__(self) -> Locator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def line_at(self, offset: int | None) -> int | None:
        """The 1-based line of the byte at ``offset``; ``None`` without a way to reopen."""
        if offset is None or self.reopen is None:
            return None
        at, line = self._counted
        if self._stream is None or offset < at:  # the first question, or one further back
            self.close()
            self._stream = self.reopen()
            at, line = 0, 1
        while at < offset:
            chunk = self._stream.read(min(_CHUNK, offset - at))
            if not chunk:
                break
            line += chunk.count(b"\n")
            at += len(chunk)
        self._counted = (at, line)
        return line

    def _message(self, index: int) -> tuple[bytes, int] | None:
        """The bytes and file offset of message ``index`` in the current batch."""
        if self.batch is None:
            return None
        offset, first, data, close = self.batch
        for i, found in enumerate(_split(data, close, offset), first):
            if i == index:
                return found
        return None

    def line_of(self, index: int) -> int | None:
        """The first line of message ``index`` of the current batch."""
        found = self._message(index)
        return None if found is None else self.line_at(found[1])

    def exact(self, index: int) -> Any:
        """Message ``index`` parsed again with its duplicate keys kept (see :class:`DupDict`);
        the batch parse keeps only the last value of a duplicated key."""
        found = self._message(index)
        if found is None:
            raise JsonScanError(f"message #{index} is not in the current batch", None, index)
        data, offset = found
        return _loads_at(data, offset, index, pairs=True)


def scan_indented(stream: BinaryIO, located: Locator | None = None) -> Iterator[Event]:
    """Events of a file in Telegram Desktop's indented layout (see the module docstring).

    Messages read in a batch come with no offset; ``located.line_of(index)`` finds their
    line while the event is being handled.
    """
    r = _Reader(stream)
    first = r.readline()
    if first is None or first.lstrip(b"\xef\xbb\xbf").strip() != b"{":
        raise JsonScanError("expected '{' on the first line", 0)
    yield from _object_members(r, 1, "root", located or Locator())


def _object_members(r: _Reader, indent: int, scope: str, located: Locator) -> Iterator[Event]:
    pad = b" " * indent
    closing = b" " * (indent - 1) + b"}"
    while True:
        at = r.offset
        line = r.readline()
        if line is None:
            raise JsonScanError("the file ends inside an object", at)
        if line == closing or line == closing + b",":
            return
        if not line.startswith(pad) or line.startswith(b" ", indent):
            raise JsonScanError(f"unexpected indentation (expected {indent} spaces)", at)
        key, rest = _member(line, indent, at)
        if rest == b"[]" and key == "messages" and scope in ("root", "chat"):
            yield (MESSAGES_BEGIN, scope, None, None, at)
            yield (MESSAGES_END, scope, None, None, at)
        elif rest == b"[" and key == "messages" and scope in ("root", "chat"):
            yield (MESSAGES_BEGIN, scope, None, None, at)
            yield from _messages(r, indent + 1, located)
            yield (MESSAGES_END, scope, None, None, r.offset)
        elif rest == b"{" and key in _SECTIONS and scope == "root":
            yield (SECTION_BEGIN, scope, key, None, at)
            yield from _object_members(r, indent + 1, "section", located)
            yield (SECTION_END, scope, key, None, r.offset)
        elif rest == b"[" and key == "list" and scope == "section":
            yield (MEMBER, scope, key, None, at)
            yield from _chat_list(r, indent + 1, located)
        elif rest in (b"{", b"["):
            close = b"\n" + pad + (b"}" if rest == b"{" else b"]")
            body = r.block(close, at)
            yield (MEMBER, scope, key, _loads_at(rest + b"\n" + body, at), at)
        else:
            yield (MEMBER, scope, key, _loads_at(rest, at), at)


def _loads_at(data: bytes, at: int, index: int | None = None, *, pairs: bool = False) -> Any:
    """:func:`loads`, with errors placed at file offset ``at`` (and message ``index``)."""
    try:
        return loads(data, pairs=pairs)
    except JsonScanError as exc:
        raise JsonScanError(exc.reason, at, index) from exc


def _chat_list(r: _Reader, indent: int, located: Locator) -> Iterator[Event]:
    opening = b" " * indent + b"{"
    closing = b" " * (indent - 1) + b"]"
    index = 0
    while True:
        at = r.offset
        line = r.readline()
        if line is None:
            raise JsonScanError("the file ends inside the chat list", at)
        if line in (closing, closing + b","):
            return
        if line != opening:
            raise JsonScanError("expected a chat object", at)
        yield (CHAT_BEGIN, "section", index, None, at)
        yield from _object_members(r, indent + 1, "chat", located)
        yield (CHAT_END, "section", index, None, r.offset)
        index += 1


def _messages(r: _Reader, indent: int, located: Locator) -> Iterator[Event]:
    opening = b" " * indent + b"{"
    end = b" " * (indent - 1) + b"]"
    close = b"\n" + b" " * indent + b"}"
    array_end = b"\n" + end
    index = 0
    while True:
        at = r.offset
        if r.peek_startswith(end):
            r.readline()
            return
        if not r.peek_startswith(opening + b"\n") and not r.peek_startswith(opening + b"\r"):
            # Not an object: a scalar or an array where a message should be. Hand it on, so
            # that the message reader reports it like any other malformed message.
            line = r.readline()
            if line is None:
                raise JsonScanError("the file ends inside the message list", at, index)
            item = line.strip()
            if item.endswith(b","):
                item = item[:-1]
            if item in (b"[", b"{"):
                closer = b"\n" + b" " * indent + (b"]" if item == b"[" else b"}")
                item = item + b"\n" + r.block(closer, at)
            elif not line.startswith(b" " * indent) or line.startswith(b" ", indent):
                raise JsonScanError("expected a message object", at, index)
            yield (MESSAGE, "", index, _loads_at(item.rstrip(b","), at, index), at)
            index += 1
            continue
        # Many messages in one orjson call, parsed as one JSON array. Only when that fails is
        # the window searched: cut at the array's end (an account export's next chat follows
        # at the same indentation), Telegram's \\xHH escapes repaired, parsed again; then,
        # message by message, each error placed exactly. The reader never rewinds. Duplicate
        # keys (which orjson drops silently) are the consumer's to ask for: Locator.exact.
        stop = _batch_end(r, close, _BATCH_BYTES)
        if stop >= 0:
            window = r.buf[r.pos : stop]
            items = _parse_batch(window)
            if items is None:
                cut = window.find(array_end)
                if cut >= 0:
                    stop = r.pos + cut
                    window = window[:cut]
                fixed = fix_escapes(window) if b"\\x" in window else window
                if cut >= 0 or fixed is not window:
                    items = _parse_batch(fixed)
            batch = r.take(stop)
            if items is not None:
                located.batch = (at, index, batch, close)
                yield (MESSAGE_BATCH, "", index, items, None)
                index += len(items)
                located.batch = None
                continue
            for data, data_at in _split(batch, close, at):
                raw = _loads_at(data, data_at, index, pairs=_may_repeat_keys(data))
                yield (MESSAGE, "", index, raw, data_at)
                index += 1
            continue
        data = r.block(close, at)
        yield (MESSAGE, "", index, _loads_at(data, at, index, pairs=_may_repeat_keys(data)), at)
        index += 1


# -- the fallback: any JSON layout, through ijson ------------------------------------------


class _FixingStream:
    r"""A binary stream that rewrites ``\xHH`` escapes on the fly for ijson."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.carry = b""

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes with read(0) to tell bytes from str
            return b""
        chunk = self.carry + self.stream.read(size if size > 0 else _CHUNK)
        self.carry = b""
        if not chunk:
            return b""
        # Hold back a trailing run of backslashes (and what may follow) for the next read,
        # so that an escape split across reads is seen whole.
        tail = chunk.rfind(b"\\", max(0, len(chunk) - 4))
        if tail >= 0:
            start = tail
            while start > 0 and chunk[start - 1 : start] == b"\\":
                start -= 1
            more = self.stream.read(8)
            if more:
                self.carry = chunk[start:] + more
                chunk = chunk[:start]
                if not chunk:
                    return self.read(size)
        return fix_escapes(chunk) if b"\\x" in chunk else chunk


def _build(ev: str, val: Any, it: Iterator[tuple[str, Any]]) -> Any:
    if ev == "start_map":
        result: dict[str, Any] = {}
        dups: list[tuple[str, Any]] | None = None
        for ev2, key in it:
            if ev2 == "end_map":
                break
            ev3, val3 = next(it)
            value = _build(ev3, val3, it)
            if key in result:
                dups = dups or []
                dups.append((key, result[key]))
            result[key] = value
        if dups:
            dd = DupDict(result)
            dd.dups = dups
            return dd
        return result
    if ev == "start_array":
        items = []
        for ev2, val2 in it:
            if ev2 == "end_array":
                break
            items.append(_build(ev2, val2, it))
        return items
    return val


def scan_any(open_stream: Callable[[], BinaryIO]) -> Iterator[Event]:
    """The same events as :func:`scan_indented`, for JSON in any layout (no line numbers).

    ijson's C backend is used; numbers it cannot hold (beyond 64 bits) make it resume with the
    pure-Python backend, skipping the events already produced.
    """
    import ijson

    emitted = 0
    try:
        with open_stream() as stream:
            for event in _scan_backend(stream, ijson):
                emitted += 1
                yield event
        return
    except JsonScanError as exc:
        if "overflow" not in exc.reason:
            raise
    python_backend = ijson.get_backend("python")
    with open_stream() as stream:
        for index, event in enumerate(_scan_backend(stream, python_backend)):
            if index >= emitted:
                yield event


def _scan_backend(stream: BinaryIO, backend: Any) -> Iterator[Event]:
    from ijson import JSONError

    try:
        it = iter(backend.basic_parse(_FixingStream(stream), use_float=True))
        ev, _ = next(it)
        if ev != "start_map":
            raise JsonScanError("the export must be a JSON object")
        yield from _any_members(it, "root")
    except JSONError as exc:
        raise JsonScanError(f"invalid JSON: {exc}") from exc
    except StopIteration:
        raise JsonScanError("the file ends before the export does") from None


def _any_members(it: Iterator[tuple[str, Any]], scope: str) -> Iterator[Event]:
    for ev, key in it:
        if ev == "end_map":
            return
        ev2, val2 = next(it)
        if ev2 == "start_array" and key == "messages" and scope in ("root", "chat"):
            yield (MESSAGES_BEGIN, scope, None, None, None)
            for index, (ev3, val3) in enumerate(it):
                if ev3 == "end_array":
                    break
                yield (MESSAGE, "", index, _build(ev3, val3, it), None)
            yield (MESSAGES_END, scope, None, None, None)
        elif ev2 == "start_map" and key in _SECTIONS and scope == "root":
            yield (SECTION_BEGIN, scope, key, None, None)
            yield from _any_members(it, "section")
            yield (SECTION_END, scope, key, None, None)
        elif ev2 == "start_array" and key == "list" and scope == "section":
            yield (MEMBER, scope, key, None, None)
            for index, (ev3, _val3) in enumerate(it):
                if ev3 == "end_array":
                    break
                if ev3 != "start_map":
                    raise JsonScanError("expected a chat object in the chat list")
                yield (CHAT_BEGIN, "section", index, None, None)
                yield from _any_members(it, "chat")
                yield (CHAT_END, "section", index, None, None)
        else:
            yield (MEMBER, scope, key, _build(ev2, val2, it), None)
