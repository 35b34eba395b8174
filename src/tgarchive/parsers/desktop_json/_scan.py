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
    "PROBLEM",
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
PROBLEM = 9  # (PROBLEM, scope, message index or None, (reason, message id or None), offset):
# something was stepped over or repaired (a message that is not JSON, invalid UTF-8, a value
# nested too deep); reading goes on after it

MAX_DEPTH = 1000
"""How deeply arrays and objects may nest inside an export (Telegram's own files nest fewer
than ten levels; orjson refuses more than 1024). Deeper values are reported, never recursed."""

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


class InvalidUtf8Error(JsonScanError):
    """A value holds bytes that are not UTF-8; ``start`` is where, in the value."""

    def __init__(self, reason: str, start: int) -> None:
        super().__init__(reason)
        self.start = start


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
        raise InvalidUtf8Error(
            f"invalid UTF-8 at byte {exc.start} of this value", exc.start
        ) from exc
    except RecursionError:
        raise JsonScanError(f"a value is nested deeper than {MAX_DEPTH} levels") from None
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
        # A value larger than a chunk (one 64 MB text) is read in growing reads, so that
        # gathering it costs time linear in its size, not quadratic.
        chunk = self.stream.read(max(_CHUNK, len(self.buf) - self.pos))
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
        if nl < 0:  # the batch ends with this message (cut at the array's end)
            return
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
        else:
            if rest in (b"{", b"["):
                close = b"\n" + pad + (b"}" if rest == b"{" else b"]")
                rest = rest + b"\n" + r.block(close, at)
            try:
                value = _loads_at(rest, at)
            except JsonScanError as exc:
                # The member's extent is known: report it, step over it, read on.
                yield (PROBLEM, scope, None, (f"{key!r}: {exc.reason}; left out", None), at)
                continue
            yield (MEMBER, scope, key, value, at)


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
            yield from _message(item.rstrip(b","), at, index)
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
                yield from _message(data, data_at, index)
                index += 1
            continue
        yield from _message(r.block(close, at), at, index)
        index += 1


def _message(data: bytes, at: int, index: int) -> Iterator[Event]:
    """The event of one message whose extent is known: a message that cannot be read costs
    only itself. Invalid UTF-8 is replaced by U+FFFD (and reported); a message that is not
    JSON at all is reported and stepped over."""
    pairs = _may_repeat_keys(data)
    try:
        yield (MESSAGE, "", index, loads(data, pairs=pairs), at)
        return
    except InvalidUtf8Error as exc:
        problem = f"invalid UTF-8 at byte {exc.start} of this message, replaced by U+FFFD"
        data = data.decode("utf-8", "replace").encode("utf-8")
    except JsonScanError as exc:
        yield (PROBLEM, "", index, (f"{exc.reason}; the message is left out", None), at)
        return
    try:
        raw = loads(data, pairs=pairs)
    except JsonScanError as exc:
        yield (PROBLEM, "", index, (f"{exc.reason}; the message is left out", None), at)
        return
    mid = raw.get("id") if isinstance(raw, dict) else None
    yield (PROBLEM, "", index, (problem, mid if type(mid) is int else None), at)
    yield (MESSAGE, "", index, raw, at)


# -- the fallback: any JSON layout, through ijson ------------------------------------------


class _FixingStream:
    r"""A binary stream for ijson that rewrites ``\xHH`` escapes on the fly, replaces invalid
    UTF-8 by U+FFFD (recording where, in ``bad``), and reads in growing sizes while one value
    spans reads (ijson's C backend re-examines a value's bytes at every read: fixed-size reads
    would make one huge text cost quadratic time). ``events`` is counted by the scanner."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.carry = b""
        self.offset = 0  # file offset of the next byte read from ``stream``
        self.bad: list[int] = []  # file offsets of invalid UTF-8, not yet reported
        self.events = 0
        self._seen = -1
        self._size = _CHUNK

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes with read(0) to tell bytes from str
            return b""
        if self.events == self._seen:
            self._size *= 2  # no event since the last read: one value spans them
        else:
            self._size = _CHUNK
        self._seen = self.events
        start = self.offset - len(self.carry)
        raw = self.stream.read(self._size)
        self.offset += len(raw)
        chunk = self.carry + raw
        self.carry = b""
        if not chunk:
            return b""
        if raw:
            # Hold back what may be the start of an escape or of a UTF-8 sequence split
            # across reads, so that each is seen whole.
            keep = _incomplete_tail(chunk)
            if keep:
                self.carry = chunk[-keep:]
                chunk = chunk[:-keep]
                if not chunk:
                    return self.read(size)
        chunk = self._valid_utf8(chunk, start)
        return fix_escapes(chunk) if b"\\x" in chunk else chunk

    def _valid_utf8(self, chunk: bytes, start: int) -> bytes:
        try:
            chunk.decode("utf-8")
            return chunk
        except UnicodeDecodeError:
            pass
        out: list[bytes] = []
        pos = 0
        while True:
            try:
                chunk[pos:].decode("utf-8")
                out.append(chunk[pos:])
                return b"".join(out)
            except UnicodeDecodeError as exc:
                self.bad.append(start + pos + exc.start)
                out.append(chunk[pos : pos + exc.start])
                out.append("\ufffd".encode())
                pos += exc.end


def _incomplete_tail(chunk: bytes) -> int:
    """How many bytes at the end of ``chunk`` may begin an escape or a UTF-8 sequence that
    the next read completes."""
    keep = 0
    tail = chunk.rfind(b"\\", max(0, len(chunk) - 6))
    if tail >= 0:
        begin = tail
        while begin > 0 and chunk[begin - 1 : begin] == b"\\":
            begin -= 1
        keep = len(chunk) - begin
    for back in range(1, min(4, len(chunk)) + 1):
        byte = chunk[-back]
        if byte < 0x80:
            break
        if byte >= 0xC0:  # a lead byte: is its sequence complete?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            if need > back:
                keep = max(keep, back)
            break
    return keep


class _TooDeepError(Exception):
    """A value nested deeper than :data:`MAX_DEPTH`; its events have been consumed."""


def _build(ev: str, val: Any, it: Iterator[tuple[str, Any]]) -> Any:
    """The value whose first event is ``(ev, val)``, built without recursion; a value nested
    deeper than :data:`MAX_DEPTH` is consumed and refused with :class:`_TooDeepError`."""
    if ev != "start_map" and ev != "start_array":
        return val
    # A stack of open containers: (container, pending key, duplicates of a map).
    stack: list[tuple[Any, list[Any], list[tuple[str, Any]] | None]] = []
    container: Any = {} if ev == "start_map" else []
    key: list[Any] = [None]
    dups: list[tuple[str, Any]] | None = None
    for ev2, val2 in it:
        if ev2 == "map_key":
            key[0] = val2
            continue
        if ev2 == "start_map" or ev2 == "start_array":
            if len(stack) >= MAX_DEPTH:
                _skip(it, len(stack) + 2)  # the new container, the open one, the stack's
                raise _TooDeepError
            stack.append((container, key, dups))
            container, key, dups = ({} if ev2 == "start_map" else []), [None], None
            continue
        if ev2 == "end_map" or ev2 == "end_array":
            value = container
            if dups:
                value = DupDict(container)
                value.dups = dups
            if not stack:
                return value
            container, key, dups = stack.pop()
        else:
            value = val2
        if type(container) is list:
            container.append(value)
        else:
            name = key[0]
            if name in container:
                dups = dups or []
                dups.append((name, container[name]))
            container[name] = value
    raise JsonScanError("the file ends inside a value")


def _skip(it: Iterator[tuple[str, Any]], depth: int) -> None:
    for ev, _ in it:
        if ev == "start_map" or ev == "start_array":
            depth += 1
        elif ev == "end_map" or ev == "end_array":
            depth -= 1
            if depth == 0:
                return


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

    fixing = _FixingStream(stream)
    try:
        it = _counted(iter(backend.basic_parse(fixing, use_float=True)), fixing)
        ev, _ = next(it)
        if ev != "start_map":
            raise JsonScanError("the export must be a JSON object")
        yield from _any_members(it, "root", fixing)
        yield from _repairs(fixing)
    except JsonScanError:
        raise
    except (JSONError, ValueError) as exc:  # the pure-Python backend raises json's errors
        raise JsonScanError(f"invalid JSON: {exc}") from exc
    except StopIteration:
        raise JsonScanError("the file ends before the export does") from None


def _counted(it: Iterator[tuple[str, Any]], fixing: _FixingStream) -> Iterator[tuple[str, Any]]:
    for item in it:
        fixing.events += 1
        yield item


def _repairs(fixing: _FixingStream, index: int | None = None, raw: Any = None) -> Iterator[Event]:
    """Report the invalid UTF-8 replaced so far, placed by file offset (and at message
    ``index`` when given)."""
    mid = raw.get("id") if type(raw) is dict else None
    while fixing.bad:
        at = fixing.bad.pop(0)
        reason = f"invalid UTF-8 at byte {at} of the file, replaced by U+FFFD"
        yield (PROBLEM, "", index, (reason, mid if type(mid) is int else None), at)


def _shows_replacement(value: Any) -> bool:
    try:
        return b"\xef\xbf\xbd" in orjson.dumps(value)
    except TypeError:  # integers beyond 64 bits
        return "\ufffd" in json.dumps(value, ensure_ascii=False)


def _any_value(
    ev: str, val: Any, it: Iterator[tuple[str, Any]], what: str, index: int | None
) -> tuple[bool, Any | Event]:
    """``(True, value)``, or ``(False, a PROBLEM event)`` for a value nested too deep."""
    try:
        return True, _build(ev, val, it)
    except _TooDeepError:
        reason = f"{what} is nested deeper than {MAX_DEPTH} levels; left out"
        return False, (PROBLEM, "", index, (reason, None), None)


def _any_members(
    it: Iterator[tuple[str, Any]], scope: str, fixing: _FixingStream
) -> Iterator[Event]:
    for ev, key in it:
        if ev == "end_map":
            return
        ev2, val2 = next(it)
        if ev2 == "start_array" and key == "messages" and scope in ("root", "chat"):
            yield (MESSAGES_BEGIN, scope, None, None, None)
            for index, (ev3, val3) in enumerate(it):
                if ev3 == "end_array":
                    break
                ok, value = _any_value(ev3, val3, it, "the message", index)
                if fixing.bad and ok and _shows_replacement(value):
                    # The stream reads ahead: the repair belongs to the message showing it.
                    yield from _repairs(fixing, index, value)
                yield (MESSAGE, "", index, value, None) if ok else value
            yield (MESSAGES_END, scope, None, None, None)
        elif ev2 == "start_map" and key in _SECTIONS and scope == "root":
            yield (SECTION_BEGIN, scope, key, None, None)
            yield from _any_members(it, "section", fixing)
            yield (SECTION_END, scope, key, None, None)
        elif ev2 == "start_array" and key == "list" and scope == "section":
            yield (MEMBER, scope, key, None, None)
            for index, (ev3, _val3) in enumerate(it):
                if ev3 == "end_array":
                    break
                if ev3 != "start_map":
                    raise JsonScanError("expected a chat object in the chat list")
                yield (CHAT_BEGIN, "section", index, None, None)
                yield from _any_members(it, "chat", fixing)
                yield (CHAT_END, "section", index, None, None)
        else:
            ok, value = _any_value(ev2, val2, it, repr(key), None)
            if fixing.bad and ok and _shows_replacement(value):
                yield from _repairs(fixing)
            yield (MEMBER, scope, key, value, None) if ok else value
