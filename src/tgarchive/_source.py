"""Turning what the user passed (path, folder, zip, bytes, file object) into a :class:`Source`.

Parsers never open files themselves: they get a :class:`Source`, which can be opened as many
times as needed and which knows the folder (or zip directory) it sits in, so that a parser can
reach sibling files (``messages2.html``) without ever leaving the export.
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

from .errors import (
    LimitError,
    MultipleExportsError,
    ParseError,
    SourceError,
    SourceLocation,
    UnsafePathError,
)

__all__ = [
    "ZIP_LIMITS",
    "Container",
    "FoundExport",
    "Source",
    "SourceLike",
    "ZipLimits",
    "check_zip",
    "check_zip_member",
    "find_exports",
    "open_source",
    "resolve_inside",
    "single_export",
]

SourceLike = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO | IO[bytes]
"""What :func:`tgarchive.load` accepts: a path (file, export folder or ``.zip``), the raw
bytes of an export file, or a binary file object."""

HEAD_SIZE = 8192
"""How many bytes format detection looks at."""

#: Files that start an export, in the order they are preferred inside a folder or zip.
PREFERRED_ENTRY_NAMES = ("result.json", "messages.html", "messages1.html", "index.html")

_SPOOL_LIMIT = 32 * 1024 * 1024


def _check_relative(relative: str) -> str:
    """Normalise an export-relative path, refusing anything that could leave the export."""
    if not relative or "\x00" in relative:
        raise UnsafePathError(f"not a usable relative path: {relative!r}")
    posix = relative.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        raise UnsafePathError(f"absolute path in export: {relative!r}")
    parts = PurePosixPath(posix).parts
    if any(part == ".." for part in parts):
        raise UnsafePathError(f"path leaves the export folder: {relative!r}")
    return posixpath.normpath(posix)


class Container:
    """A folder-like place holding an export's files: a directory or a directory in a zip."""

    name: str

    def list(self) -> list[str]:
        """Names (relative, ``/``-separated) of the files directly in this container."""
        raise NotImplementedError

    def open(self, relative: str) -> BinaryIO:
        """Open a file of the container for binary reading, refusing unsafe paths."""
        raise NotImplementedError

    def exists(self, relative: str) -> bool:
        raise NotImplementedError

    def display(self, relative: str) -> str:
        return f"{self.name}/{relative}"


class DirectoryContainer(Container):
    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self.name = str(path)

    def list(self) -> list[str]:
        return sorted(p.name for p in self.path.iterdir() if p.is_file())

    def _path(self, relative: str) -> Path:
        rel = _check_relative(relative)
        target = (self.path / rel).resolve()
        if target != self.path and self.path not in target.parents:
            raise UnsafePathError(f"path leaves the export folder: {relative!r}")
        return target

    def open(self, relative: str) -> BinaryIO:
        return self._path(relative).open("rb")

    def exists(self, relative: str) -> bool:
        try:
            return self._path(relative).is_file()
        except UnsafePathError:
            return False


class ZipContainer(Container):
    def __init__(self, path: Path, zf: zipfile.ZipFile, prefix: str) -> None:
        self.path = path
        self.zf = zf
        self.prefix = prefix  # "" or "ChatExport_2026-11-29/"
        self.name = f"{path}!{prefix.rstrip('/')}" if prefix else f"{path}!"

    def list(self) -> list[str]:
        out = []
        for info in self.zf.infolist():
            name = info.filename
            if info.is_dir() or not name.startswith(self.prefix):
                continue
            rest = name[len(self.prefix) :]
            if "/" not in rest:
                out.append(rest)
        return sorted(out)

    def open(self, relative: str) -> BinaryIO:
        member = self.prefix + _check_relative(relative)
        info = self.zf.NameToInfo.get(member)
        if info is None:
            raise FileNotFoundError(f"{self.display(relative)}: no such member")
        display = self.display(relative)
        check_zip_member(info, display)
        try:
            stream = self.zf.open(info)
        except (*_ZIP_ERRORS, OSError) as exc:
            raise ParseError(
                f"unreadable zip member ({exc})", SourceLocation(file=display)
            ) from exc
        return _ZipMember(stream, display)  # type: ignore[return-value]  # a binary stream

    def exists(self, relative: str) -> bool:
        try:
            member = self.prefix + _check_relative(relative)
        except UnsafePathError:
            return False
        return member in self.zf.NameToInfo

    def display(self, relative: str) -> str:
        return f"{self.path}!{self.prefix}{relative}"


@dataclass
class Source:
    """One input file, re-openable, with the container it lives in (if any).

    ``name`` is what errors show; ``filename`` is the base name used for sniffing; ``root``
    is the string form of the export's root that :meth:`tgarchive.Archive.resolve` uses.
    """

    name: str
    filename: str | None
    opener: Callable[[], BinaryIO]
    container: Container | None = None
    member: str | None = None
    root: str | None = None
    closers: list[Callable[[], object]] = field(default_factory=list)
    picked: bool = False
    """True when the file was chosen inside a folder or zip the user passed (so a parser of a
    multi-file format reads the whole set, not just this file)."""

    def close(self) -> None:
        """Release what opening the source took (an open zip, a spooled stream copy)."""
        while self.closers:
            self.closers.pop()()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> BinaryIO:
        """A fresh binary stream positioned at the start of the file."""
        return self.opener()

    def head(self, size: int = HEAD_SIZE) -> bytes:
        """The first ``size`` bytes, for format detection."""
        with self.open() as fh:
            return fh.read(size)


def _open_zip(path: Path) -> zipfile.ZipFile:
    check_zip(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, *_ZIP_ERRORS) as exc:
        raise SourceError(f"{path}: not a readable zip file ({exc})") from exc
    try:
        check_zip(path, zf)
    except LimitError:
        zf.close()
        raise
    try:
        for info in zf.infolist():
            # We never extract, but refuse archives whose members would escape if someone did.
            _check_relative(info.filename)
    except UnsafePathError:
        zf.close()
        raise
    return zf


def _zip_member_source(path: Path, zf: zipfile.ZipFile, member: str, picked: bool) -> Source:
    prefix = member.rsplit("/", 1)[0] + "/" if "/" in member else ""
    container = ZipContainer(path, zf, prefix)
    base = posixpath.basename(member)
    return Source(
        name=container.display(base),
        filename=base,
        opener=lambda: container.open(base),
        container=container,
        member=base,
        root=f"{path}!{prefix}",
        picked=picked,
    )


@dataclass(frozen=True)
class FoundExport:
    """An export found in what the user passed: ``name`` is what messages show (and what
    :func:`tgarchive.load` accepts to read just this one); :meth:`open` makes its source."""

    name: str
    opener: Callable[[], Source]

    def open(self) -> Source:
        return self.opener()


def _zip_exports(path: Path, pick: Callable[[Source], bool]) -> list[FoundExport]:
    """Every export in the zip: a directory whose own files include one that ``pick``
    accepts, and that is not inside another such directory."""
    zf = _open_zip(path)
    try:
        by_dir: dict[str, list[str]] = {}
        for info in zf.infolist():
            if not info.is_dir():
                prefix, _, base = info.filename.rpartition("/")
                by_dir.setdefault(prefix + "/" if prefix else "", []).append(base)
        found: list[tuple[str, str]] = []
        for prefix in sorted(by_dir, key=lambda d: (d.count("/"), d)):
            if any(prefix.startswith(done) for done, _ in found):
                continue  # inside an export already found (its chats/, photos/...)
            for base in sorted(by_dir[prefix], key=lambda n: (_entry_rank(n), n)):
                if pick(_zip_member_source(path, zf, prefix + base, picked=True)):
                    found.append((prefix, base))
                    break
    finally:
        zf.close()
    return [
        FoundExport(f"{path}!{prefix}{base}", functools.partial(_zip_entry, path, prefix + base))
        for prefix, base in found
    ]


def _zip_entry(path: Path, member: str, picked: bool = True) -> Source:
    zf = _open_zip(path)
    if member not in zf.NameToInfo:
        zf.close()
        raise FileNotFoundError(f"{path}!{member}: no such member")
    src = _zip_member_source(path, zf, member, picked)
    src.closers.append(zf.close)
    return src


def _entry_rank(name: str) -> int:
    try:
        return PREFERRED_ENTRY_NAMES.index(name)
    except ValueError:
        return len(PREFERRED_ENTRY_NAMES)


_MAX_FOLDER_DEPTH = 3
"""How deep below the folder the user passed exports are looked for
(``Downloads/Telegram Desktop/ChatExport_A/result.json`` is two levels down)."""


def _folder_exports(
    folder: Path, pick: Callable[[Source], bool], depth: int = 0
) -> list[FoundExport]:
    """Every export in ``folder``: itself when one of its files is an export, else the exports
    found in its subfolders (up to :data:`_MAX_FOLDER_DEPTH` levels down)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise SourceError(f"{folder}: cannot list this folder ({exc})") from exc
    files = sorted((p for p in entries if p.is_file()), key=lambda p: (_entry_rank(p.name), p.name))
    for candidate in files:
        src = _file_source(candidate)
        src.picked = True
        if pick(src):
            return [FoundExport(str(candidate), functools.partial(_picked_file_source, candidate))]
    if depth >= _MAX_FOLDER_DEPTH:
        return []
    found: list[FoundExport] = []
    for sub in entries:
        if sub.is_dir():
            found.extend(_folder_exports(sub, pick, depth + 1))
    return found


def _picked_file_source(path: Path) -> Source:
    src = _file_source(path)
    src.picked = True
    return src


_PATH_MAX = 4096
_NAME_MAX = 255


def _refuse_content(text: str) -> None:
    """Raise :class:`SourceError` when a ``str`` passed as a path is evidently export content."""
    stripped = text.lstrip()
    too_long = len(text) > _PATH_MAX or any(
        len(part) > _NAME_MAX for part in text.replace("\\", "/").split("/")
    )
    content = "\n" in text or too_long
    if not content and stripped[:1] in ("{", "[", "<"):
        content = not os.path.exists(text)
    if content:
        start = stripped[:40].replace("\n", " ")
        raise SourceError(
            f"got a str that holds export content ({start!r}...), not a path: pass the content "
            "as bytes (text.encode()) or pass the path of the file"
        )


def find_exports(source: SourceLike, pick: Callable[[Source], bool]) -> list[FoundExport]:
    """The exports in what the user passed: one for a file, bytes or a stream; for a folder or
    a zip, every export in it (``pick`` says whether a file starts an export: it sniffs the
    head). Raises :class:`SourceError` when there is none."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return [
            FoundExport(
                "<bytes>",
                lambda: Source(name="<bytes>", filename=None, opener=lambda: io.BytesIO(data)),
            )
        ]
    if isinstance(source, str | os.PathLike):
        text = os.fspath(source)
        if isinstance(source, str):
            _refuse_content(text)
        if "\x00" in text:
            raise SourceError(f"{text!r} cannot be used as a path (it holds a NUL character)")
        path = Path(text).expanduser()
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except (OSError, ValueError) as exc:
            raise SourceError(f"{text!r} cannot be used as a path ({exc})") from exc
        if is_dir:
            found = _folder_exports(path, pick)
            if not found:
                raise SourceError(f"{path}: no file in this folder looks like a Telegram export")
            return found
        if not exists:
            member = _zip_member_path(text)
            if member is not None:
                zpath, entry = member
                return [FoundExport(text, functools.partial(_zip_entry, zpath, entry, False))]
            raise FileNotFoundError(f"{path}: no such file or folder")
        if zipfile.is_zipfile(path):
            found = _zip_exports(path, pick)
            if not found:
                raise SourceError(
                    f"{path}: the zip holds no file that looks like a Telegram export"
                )
            return found
        return [FoundExport(str(path), functools.partial(_file_source, path))]
    if hasattr(source, "read"):
        stream = source
        return [
            FoundExport(str(getattr(stream, "name", "<stream>")), lambda: _stream_source(stream))
        ]
    raise TypeError(
        f"cannot load a {type(source).__name__}: pass a path, bytes or a binary file object"
    )


def _zip_member_path(text: str) -> tuple[Path, str] | None:
    """``archive.zip!Folder/result.json`` (as errors name a file inside a zip) split in two,
    when the zip exists."""
    if "!" not in text:
        return None
    zpath, _, member = text.partition("!")
    path = Path(zpath).expanduser()
    if not member or not path.is_file() or not zipfile.is_zipfile(path):
        return None
    return path, _check_relative(member)


def open_source(source: SourceLike, pick: Callable[[Source], bool]) -> Source:
    """Make a :class:`Source` of what the user passed: a path (file, folder, ``.zip``, or
    ``archive.zip!member``), bytes, or a binary file object.

    ``pick`` says whether a candidate file is an export file (it sniffs the head); it chooses
    among the files of a folder or a zip, preferring ``result.json`` over ``messages.html``.
    A folder or zip holding several exports raises :class:`MultipleExportsError`.
    """
    return single_export(find_exports(source, pick), source).open()


def single_export(found: list[FoundExport], source: SourceLike) -> FoundExport:
    """The one export of ``found``; :class:`MultipleExportsError` naming them when several."""
    if len(found) > 1:
        shown = ", ".join(f.name for f in found[:10]) + (", ..." if len(found) > 10 else "")
        raise MultipleExportsError(
            f"{_describe(source)} holds {len(found)} Telegram exports ({shown}); pass one of "
            "them, or read them all with tgarchive.load_all()",
            [f.name for f in found],
        )
    return found[0]


def _describe(source: SourceLike) -> str:
    return os.fspath(source) if isinstance(source, str | os.PathLike) else "the input"


def _file_source(path: Path) -> Source:
    container = DirectoryContainer(path.parent)
    return Source(
        name=str(path),
        filename=path.name,
        opener=lambda: path.open("rb"),
        container=container,
        member=path.name,
        root=str(container.path),
    )


def _stream_source(fh: Any) -> Source:
    name = getattr(fh, "name", None)
    label = str(name) if isinstance(name, str) else "<stream>"
    filename = os.path.basename(label) if isinstance(name, str) else None
    try:
        start = fh.tell()
        fh.seek(start)
        seekable = True
    except (OSError, AttributeError, io.UnsupportedOperation):
        seekable = False
    if seekable:

        def reopen() -> BinaryIO:
            return _View(fh, start)  # type: ignore[return-value]  # a binary stream

        return Source(name=label, filename=filename, opener=reopen)
    # Closed by Source.close(), after parsing: a with-block cannot span the parse.
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_LIMIT)  # noqa: SIM115
    while chunk := fh.read(1 << 20):
        if isinstance(chunk, str):
            raise TypeError("the file object is open in text mode; open it with 'rb'")
        spool.write(chunk)

    def reopen_spool() -> BinaryIO:
        return _View(spool, 0)  # type: ignore[return-value]  # a binary stream

    return Source(name=label, filename=filename, opener=reopen_spool, closers=[spool.close])


class _View(io.RawIOBase):
    """A stream over a caller's seekable file object from ``start`` on, with a position of
    its own (so that several can be open at once, as :meth:`Source.open` promises), which
    does not close the file object."""

    def __init__(self, fh: Any, start: int) -> None:
        self._fh = fh
        self._start = start
        self._pos = start

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos - self._start

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            self._pos = self._start + offset
        elif whence == io.SEEK_CUR:
            self._pos += offset
        else:
            raise io.UnsupportedOperation("seek from the end is not supported")
        return self.tell()

    def read(self, size: int = -1) -> bytes:
        self._fh.seek(self._pos)
        data: bytes = self._fh.read(size)
        if isinstance(data, str):
            raise TypeError("the file object is open in text mode; open it with 'rb'")
        self._pos += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def resolve_inside(root: str, relative: str) -> Path | zipfile.Path:
    """The file ``relative`` names inside the export rooted at ``root``; never outside it."""
    rel = _check_relative(relative)
    if "!" in root and root.split("!", 1)[0].lower().endswith(".zip"):
        zpath, prefix = root.split("!", 1)
        return zipfile.Path(zpath, at=prefix + rel)
    base = Path(root).resolve()
    target = (base / rel).resolve()
    if target != base and base not in target.parents:
        raise UnsafePathError(f"path leaves the export folder: {relative!r}")
    return target


# -- Zip safety limits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    """What a zip must stay within to be read; :data:`ZIP_LIMITS` holds the defaults.

    Members are never extracted: parsers stream the few members they read (``result.json``,
    ``messages*.html``), so the size and ratio limits apply to those, checked from the
    central directory before a byte is inflated (a member never yields more than its declared
    size: ``zipfile`` stops there and checks the CRC). Zips inside the zip are never opened.
    """

    max_member_size: int = 8 * 1024**3
    """Largest uncompressed size of a member that is read (8 GiB)."""
    max_ratio: int = 250
    """Largest uncompressed/compressed ratio of a member that is read. Real exports compress
    6-20x (JSON and HTML); deflate bombs reach 1032x."""
    ratio_floor: int = 1024**2
    """Members smaller than this (1 MiB uncompressed) may have any ratio."""
    max_members: int = 1_000_000
    """Most members a zip may list, checked from its end record before the central directory
    is read (a full export with media has one member a file)."""
    max_depth: int = 64
    """Most folders deep a member's path may be."""


ZIP_LIMITS = ZipLimits()
"""The limits every zip is held to."""

_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError,
               RuntimeError, ValueError, zlib.error)  # fmt: skip
"""What zipfile raises on a corrupt, encrypted or unsupported member."""

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"


def _declared_members(path: Path) -> int | None:
    """The member count a zip's end-of-central-directory record declares (ZIP64 too), read
    from the file's last 64 KiB, or ``None`` when the record cannot be found."""
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        tail_start = max(0, size - (65535 + 22 + 20))
        fh.seek(tail_start)
        tail = fh.read()
        at = tail.rfind(_EOCD)
        if at < 0 or at + 22 > len(tail):
            return None
        (count,) = struct.unpack_from("<H", tail, at + 10)
        locator = at - 20
        if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == _EOCD64_LOCATOR:
            (offset,) = struct.unpack_from("<Q", tail, locator + 8)
            if offset + 56 <= size:
                fh.seek(offset)
                record = fh.read(56)
                if record[:4] == _EOCD64:
                    (count,) = struct.unpack_from("<Q", record, 32)
        return int(count)


def check_zip(
    path: Path, zf: zipfile.ZipFile | None = None, limits: ZipLimits = ZIP_LIMITS
) -> None:
    """Refuse a zip with too many members or too deep a path (:class:`LimitError`).

    Without ``zf`` only the member count its end record declares is checked, before
    ``zipfile`` reads (and holds) the whole central directory; with ``zf``, the real listing.
    """
    if zf is None:
        declared = _declared_members(path)
        if declared is not None and declared > limits.max_members:
            raise LimitError("zip member count", declared, limits.max_members, str(path))
        return
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise LimitError("zip member count", len(infos), limits.max_members, str(path))
    for info in infos:
        depth = info.filename.count("/") + info.filename.count("\\")
        if depth > limits.max_depth:
            raise LimitError(
                "zip member path depth", depth, limits.max_depth, f"{path}!{info.filename[:200]}"
            )


def check_zip_member(info: zipfile.ZipInfo, display: str, limits: ZipLimits = ZIP_LIMITS) -> None:
    """Refuse to read a member whose declared size or compression ratio is over the limits."""
    if info.file_size > limits.max_member_size:
        raise LimitError("zip member size", info.file_size, limits.max_member_size, display)
    if info.file_size >= limits.ratio_floor:
        ratio = info.file_size // max(info.compress_size, 1)
        if ratio > limits.max_ratio:
            raise LimitError("zip member ratio", ratio, limits.max_ratio, display)


class _ZipMember(io.RawIOBase):
    """A zip member stream whose corruption (a bad CRC, broken deflate data, a member
    shorter than it claims) is a :class:`ParseError` naming the member, not a zipfile error."""

    def __init__(self, stream: IO[bytes], display: str) -> None:
        self._stream = stream
        self._display = display

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except (*_ZIP_ERRORS, OSError) as exc:
            raise ParseError(
                f"corrupt zip member ({exc})", SourceLocation(file=self._display)
            ) from exc

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()
