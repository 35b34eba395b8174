"""What a parser author needs to test a parser; tgarchive's own parser tests use the same.

Three checks, each one function:

- :func:`assert_golden`: parse an input and compare the result with a golden JSON file kept
  beside it; ``pytest --update-goldens`` (or ``TGARCHIVE_UPDATE_GOLDENS=1``) rewrites the
  goldens instead. Either way every parsed post must validate back to itself, so an update run
  still catches a parser that builds invalid models.
- :func:`check_detection`: the parser claims its own samples against every built-in format,
  and claims none of the built-in formats' samples nor unrelated files.
- :func:`assert_never_crashes`: a hypothesis property: on arbitrary bytes and on damaged copies
  of real samples the parser yields chats and posts or reports problems, never anything else.

To get the ``--update-goldens`` option, name this module as a pytest plugin in the
``conftest.py`` at the top of your tests::

    pytest_plugins = ["tgarchive.testing"]

The property check needs hypothesis (``pip install 'tgarchive-kit[testing]'``).

>>> import tgarchive
>>> from tgarchive.testing import builtin_samples, check_detection
>>> from tgarchive.parsers.web_preview import WebPreviewParser
>>> sorted(builtin_samples())
['desktop-html', 'desktop-json', 'web-preview']
>>> check_detection(WebPreviewParser(), [b'<html><meta content="tg://resolve?domain=x"><body class="tgme_webpreview">'])
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import warnings
from collections.abc import Iterable, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from ._source import SourceLike
from .errors import ParseWarning, PluginWarning, TgArchiveError
from .models import Archive, Chat, Post
from .parsers import ParseContext, Parser, Registry, Source

__all__ = [
    "FOREIGN_SAMPLES",
    "UPDATE_ENV",
    "assert_golden",
    "assert_never_crashes",
    "builtin_samples",
    "check_detection",
    "pytest_addoption",
    "pytest_configure",
    "snapshot",
    "update_requested",
]

UPDATE_ENV = "TGARCHIVE_UPDATE_GOLDENS"
"""Set this environment variable to ``1`` to rewrite goldens outside pytest."""

_update_from_pytest: bool | None = None

FOREIGN_SAMPLES: tuple[tuple[str | None, bytes], ...] = (
    (None, b""),
    ("notes.txt", b"Shopping list\nmilk\neggs\n"),
    ("notes.txt", "회의록\n1. 예산\n2. 일정\n👍 좋아요\n".encode()),
    ("data.json", b'{"items": [1, 2, 3], "name": "not an export"}'),
    ("table.csv", b"id,text\n1,hello\n2,world\n"),
    (
        "page.html",
        b"<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hi</p></body></html>",
    ),
    (None, bytes(range(256))),
)
"""Inputs of no tgarchive format (file name, bytes): every parser must score them 0."""


def update_requested() -> bool:
    """Whether goldens are to be rewritten: ``pytest --update-goldens`` (when this module is a
    pytest plugin of the run) or the :data:`UPDATE_ENV` environment variable."""
    if _update_from_pytest:
        return True
    return os.environ.get(UPDATE_ENV, "") not in ("", "0")


def pytest_addoption(parser: Any) -> None:
    """pytest hook: the ``--update-goldens`` option."""
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the golden files of tgarchive.testing.assert_golden instead of comparing",
    )


def pytest_configure(config: Any) -> None:
    """pytest hook: remember whether ``--update-goldens`` was given."""
    global _update_from_pytest
    _update_from_pytest = bool(config.getoption("update_goldens", False))


def _location(issue: Any) -> dict[str, Any]:
    loc = issue.location
    found: dict[str, Any] = {"reason": issue.reason}
    if loc.file is not None:
        # Only the file's own name: goldens must not depend on where the checkout is.
        found["file"] = loc.file.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    for name in ("line", "message_id", "message_index"):
        value = getattr(loc, name)
        if value is not None:
            found[name] = value
    return found


def snapshot(archive: Archive) -> dict[str, Any]:
    """The golden form of an archive: plain JSON values, free of machine-specific paths.

    >>> import tgarchive
    >>> data = snapshot(tgarchive.load(tgarchive.sample_path()))
    >>> data["format"], len(data["chats"][0]["posts"]), data["issues"]
    ('desktop-json', 12, [])
    """
    chats = []
    for chat in archive.chats:
        dumped = chat.model_dump(mode="json", exclude={"posts", "source_keys"})
        dumped["posts"] = [
            post.model_dump(mode="json", exclude={"source_keys"}, exclude_defaults=True)
            for post in chat.posts
        ]
        chats.append(dumped)
    return {
        "format": archive.format,
        "chats": chats,
        "issues": [_location(issue) for issue in archive.issues],
    }


def _check_models(archive: Archive, where: str) -> None:
    from pydantic import ValidationError

    for chat in archive.chats:
        for post in chat.posts:
            try:
                again = Post.model_validate(post.model_dump(warnings=False))
            except ValidationError as exc:
                raise AssertionError(
                    f"{where}: post {post.id} does not validate: the parser built a model "
                    f"pydantic would refuse ({exc.errors()[0]['loc']}: {exc.errors()[0]['msg']})"
                ) from None
            if again != post:
                raise AssertionError(
                    f"{where}: post {post.id} does not validate back to itself: the parser "
                    "built a model pydantic would not build from the same values"
                )
        Chat.model_validate(chat.model_dump(warnings=False))


def assert_golden(
    source: SourceLike,
    golden: str | os.PathLike[str],
    *,
    format: str | None = None,
    registry: Registry | None = None,
    strict: bool = False,
    update: bool | None = None,
) -> Archive:
    """Parse ``source`` (lenient unless ``strict``) and compare its :func:`snapshot` with the
    JSON file ``golden``; returns the archive for further checks.

    With ``update`` (default: :func:`update_requested`) or when the golden does not exist yet,
    the golden is written instead, and the test fails on a missing golden only when updates
    were not asked for, so that a golden is never created by accident in CI.
    """
    import tgarchive

    path = Path(golden)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParseWarning)  # they are in archive.issues
        archive = tgarchive.load(source, format=format, registry=registry, strict=strict)
    _check_models(archive, str(path))
    text = json.dumps(snapshot(archive), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if update if update is not None else update_requested():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return archive
    if not path.exists():
        raise AssertionError(
            f"golden file {path} does not exist: run pytest --update-goldens (or set "
            f"{UPDATE_ENV}=1) to write it, then review and commit it"
        )
    expected = path.read_text(encoding="utf-8")
    if expected != text:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"{path} (golden)",
                    tofile="parsed now",
                    n=2,
                )
            )[:60]
        )
        what = "<bytes>" if isinstance(source, bytes | bytearray | memoryview) else str(source)
        raise AssertionError(
            f"{what} no longer parses as its golden {path} says.\n{diff}\n"
            "If the change is intended, rewrite the golden with pytest --update-goldens "
            "and review the diff before committing it."
        )
    return archive


def builtin_samples() -> dict[str, list[tuple[str, bytes]]]:
    """Small inputs of every built-in format, by format name: ``(file name, bytes)`` pairs,
    bundled with tgarchive so that a plugin can test its detection against them."""
    base = files("tgarchive") / "data"
    found: dict[str, list[tuple[str, bytes]]] = {}
    for fmt, relative in (
        ("desktop-json", "sample/result.json"),
        ("desktop-html", "testing/messages.html"),
        ("web-preview", "testing/preview.html"),
        ("web-preview", "testing/profile.html"),
    ):
        item = base.joinpath(*relative.split("/"))
        found.setdefault(fmt, []).append((relative.rsplit("/", 1)[-1], item.read_bytes()))
    return found


def _builtin_registry() -> Registry:
    from .parsers.desktop_html import DesktopHtmlParser
    from .parsers.desktop_json import DesktopJsonParser
    from .parsers.web_preview import WebPreviewParser

    return Registry([DesktopJsonParser(), DesktopHtmlParser(), WebPreviewParser()])


def _sample(item: SourceLike | tuple[str | None, bytes]) -> tuple[str | None, bytes]:
    if isinstance(item, tuple):
        return item
    if isinstance(item, bytes | bytearray | memoryview):
        return None, bytes(item)
    if isinstance(item, str | os.PathLike):
        path = Path(item)
        with path.open("rb") as fh:
            return path.name, fh.read(8192)
    raise TypeError(f"a sample is a path, bytes or a (file name, bytes) pair, not {item!r}")


def check_detection(
    parser: Parser,
    samples: Iterable[SourceLike | tuple[str | None, bytes]],
    *,
    foreign: Iterable[tuple[str | None, bytes]] = FOREIGN_SAMPLES,
    foreign_max: float = 0.0,
) -> None:
    """Raise :class:`AssertionError` unless ``parser`` detects correctly:

    - each of ``samples`` (paths, bytes, or ``(file name, bytes)``: inputs of the parser's own
      format) gets a score above 0 and wins against every built-in format;
    - no input of another built-in format (:func:`builtin_samples`) is won by ``parser``, and
      ``parser`` never gives one of them 1.0;
    - every ``foreign`` input (unrelated files) scores at most ``foreign_max`` (0: the parser
      never claims them; a parser that tries any file of its suffix, as the Desktop JSON parser
      does with a low score, says how low).

    A built-in parser checked this way is compared with the other built-ins.
    """
    registry = _builtin_registry()
    if parser.name in registry:
        registry.remove(parser.name)
    registry.register(parser)
    own_samples = [_sample(s) for s in samples]
    if not own_samples:
        raise AssertionError("check_detection needs at least one sample of the parser's format")
    failures = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", PluginWarning)
        for filename, data in own_samples:
            head = data[:8192]
            own = parser.detect(head, filename)
            winner = registry.detect(head, filename) if own > 0 else None
            if own <= 0 or winner is not parser:
                failures.append(
                    f"its own sample {filename or '<bytes>'!r} scores {own}"
                    + (f" and goes to {winner.name!r}" if winner is not None else "")
                )
        for fmt, items in builtin_samples().items():
            if fmt == parser.name:
                continue
            for filename, data in items:
                head = data[:8192]
                score = parser.detect(head, filename)
                winner = registry.detect(head, filename)
                if score >= 1.0 or winner is parser:
                    failures.append(
                        f"the {fmt} sample {filename!r} scores {score} (won: {winner.name!r})"
                    )
        for filename, data in foreign:
            score = parser.detect(data[:8192], filename)
            if score > foreign_max:
                failures.append(f"the unrelated input {filename or '<bytes>'!r} scores {score}")
    if failures:
        raise AssertionError(f"parser {parser.name!r} detects wrongly: " + "; ".join(failures))


def _parse_all(parser: Parser, data: bytes, strict: bool) -> list[Chat | Post]:
    source = Source(name="<hypothesis>", filename=None, opener=lambda: io.BytesIO(data))
    ctx = ParseContext(strict=strict, file=source.name)
    items = []
    for item in parser.parse(source, ctx):
        if not isinstance(item, Chat | Post):
            raise AssertionError(f"parse() yielded a {type(item).__name__}, not a Chat or Post")
        items.append(item)
    return items


def assert_never_crashes(
    parser: Parser, seeds: Sequence[bytes], *, max_examples: int = 60, max_size: int = 4096
) -> None:
    """A hypothesis property over ``parser``: for arbitrary bytes and for damaged copies of
    ``seeds`` (bytes cut, dropped, duplicated or replaced), a lenient parse raises nothing and
    yields only chats and posts, and a strict parse raises nothing but
    :class:`tgarchive.TgArchiveError` subclasses (e.g. ``ParseError``).

    Needs hypothesis (``pip install 'tgarchive-kit[testing]'``).
    """
    try:
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "assert_never_crashes needs hypothesis: pip install 'tgarchive-kit[testing]'"
        ) from None
    seeds = [bytes(s) for s in seeds]

    @st.composite
    def damaged(draw: Any) -> bytes:
        data = bytearray(draw(st.sampled_from(seeds))) if seeds else bytearray()
        for _ in range(draw(st.integers(0, 6))):
            if not data:
                break
            at = draw(st.integers(0, len(data) - 1))
            span = draw(st.integers(1, 64))
            action = draw(st.sampled_from(["cut", "drop", "dup", "swap"]))
            if action == "cut":
                del data[at:]
            elif action == "drop":
                del data[at : at + span]
            elif action == "dup":
                data[at:at] = data[at : at + span]
            else:
                data[at : at + span] = draw(st.binary(min_size=1, max_size=span))
        return bytes(data)

    inputs = (
        st.one_of(st.binary(max_size=max_size), damaged())
        if seeds
        else st.binary(max_size=max_size)
    )

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(inputs)
    def never_crashes(data: bytes) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ParseWarning)
            _parse_all(parser, data, strict=False)
        with contextlib.suppress(TgArchiveError):  # strict mode may raise, but only these
            _parse_all(parser, data, strict=True)

    never_crashes()
