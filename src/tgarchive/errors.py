"""Exceptions and warnings raised by tgarchive.

Everything tgarchive raises on purpose derives from :class:`TgArchiveError`, so one
``except tgarchive.TgArchiveError`` catches every problem with the input::

    TgArchiveError(Exception)
    ├── UnknownFormatError          no parser claimed the input (or the format name is unknown)
    ├── ParseError(ValueError)      the input breaks its format; ``.location`` says where
    ├── UnsafePathError(ValueError) a path in the export points outside the export
    ├── LimitError                  the input exceeds a safety limit (zip member size, ratio...)
    ├── PluginError                 a parser plugin broke the parser contract
    └── SourceError                 what was passed is not one readable export
        └── MultipleExportsError    the folder or zip holds several; ``.exports`` lists them

    TgArchiveWarning(UserWarning)
    ├── ParseWarning                lenient mode: a problem was recorded and parsing went on
    └── PluginWarning               a registered parser plugin could not be loaded

In lenient mode (``strict=False``, the default of :func:`tgarchive.load`) a problem does not
raise: it becomes a :class:`ParseIssue` on ``archive.issues``, every other post is kept, and
one :class:`ParseWarning` per call (of :func:`tgarchive.load`, :func:`tgarchive.iter_posts`)
gives the count and the first problem. With ``strict=True`` the first problem raises
:class:`ParseError`.

Example::

    >>> import tgarchive
    >>> try:
    ...     tgarchive.load(b'{"name": "x", "type": "public_channel", "id": 1, "messages": [{"id": "a"}]}',
    ...                    strict=True)
    ... except tgarchive.ParseError as exc:
    ...     print(exc.location.message_index, exc.reason)
    0 message 'id' must be an integer, got 'a'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "LimitError",
    "MultipleExportsError",
    "ParseError",
    "ParseIssue",
    "ParseWarning",
    "PluginError",
    "PluginWarning",
    "SourceError",
    "SourceLocation",
    "TgArchiveError",
    "TgArchiveWarning",
    "UnknownFormatError",
    "UnsafePathError",
]


@dataclass(frozen=True)
class SourceLocation:
    """Where in the input a problem was found. Every part is optional.

    ``file`` is the file name (inside a zip: ``archive.zip!result.json``), ``line`` is 1-based,
    ``message_id`` the id of the message being read, ``message_index`` its 0-based position
    in its chat (useful when the id itself is what is broken).
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    message_id: int | None = None
    message_index: int | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        text = ":".join(parts)
        if self.message_id is not None:
            text += f" [message {self.message_id}]"
        elif self.message_index is not None:
            text += f" [message #{self.message_index}]"
        return text


class TgArchiveError(Exception):
    """Base class of every error tgarchive raises on purpose."""


class UnknownFormatError(TgArchiveError):
    """No registered parser recognised the input, or ``format=`` names no parser."""


class ParseError(TgArchiveError, ValueError):
    """The input does not follow its format.

    ``location`` (a :class:`SourceLocation`) and ``reason`` are data, so callers can report
    them however they like; ``str(exc)`` renders ``file:line [message id] reason``.
    """

    def __init__(self, reason: str, location: SourceLocation | None = None) -> None:
        self.reason = reason
        self.location = location or SourceLocation()
        super().__init__(f"{self.location}: {reason}")

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, SourceLocation]]:
        return (type(self), (self.reason, self.location))


class UnsafePathError(TgArchiveError, ValueError):
    """A file reference in the export would leave the export's folder (``../``, absolute)."""


class LimitError(TgArchiveError):
    """The input exceeds one of tgarchive's safety limits, so it is refused before it can
    exhaust memory or time: a zip member too large or too compressed (a zip bomb), a zip with
    too many members or too deep a path. ``limit`` names the limit, ``value`` is what the
    input has and ``maximum`` what is allowed; docs/reliability.md lists the limits.

    >>> str(LimitError("zip member ratio", 1032, 250, "bomb.zip!result.json"))
    'bomb.zip!result.json: zip member ratio is 1032, over the limit of 250'
    """

    def __init__(self, limit: str, value: int, maximum: int, file: str | None = None) -> None:
        self.limit = limit
        self.value = value
        self.maximum = maximum
        self.file = file
        where = f"{file}: " if file else ""
        super().__init__(f"{where}{limit} is {value}, over the limit of {maximum}")

    def __reduce__(self) -> tuple[type[LimitError], tuple[str, int, int, str | None]]:
        return (type(self), (self.limit, self.value, self.maximum, self.file))


class PluginError(TgArchiveError):
    """A parser plugin does not follow the :class:`tgarchive.parsers.Parser` contract."""


class SourceError(TgArchiveError):
    """What was passed to :func:`tgarchive.load` is not one readable export: a ``str`` holding
    export content instead of a path, a folder or zip with no export in it (or only exports in
    another format than ``format=``), an unusable path."""


class MultipleExportsError(SourceError):
    """A folder or zip holds several exports; ``exports`` lists them (each one can be passed
    to :func:`tgarchive.load`), and :func:`tgarchive.load_all` reads them all."""

    def __init__(self, message: str, exports: list[str]) -> None:
        super().__init__(message)
        self.exports = exports

    def __reduce__(self) -> tuple[type[MultipleExportsError], tuple[str, list[str]]]:
        return (type(self), (str(self), self.exports))


class TgArchiveWarning(UserWarning):
    """Base class of tgarchive's warnings."""


class ParseWarning(TgArchiveWarning):
    """Lenient mode recorded problems (see ``archive.issues``) and went on: one warning per
    call, with the count and the first problem, pointing at the caller's line."""


class PluginWarning(TgArchiveWarning):
    """A parser registered under the ``tgarchive.parsers`` entry point failed to load."""


@dataclass(frozen=True)
class ParseIssue:
    """A problem recorded in lenient mode: where, what, and what was done about it."""

    location: SourceLocation
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"
