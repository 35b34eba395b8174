"""The ``tgarchive`` command line.

    tgarchive info PATH                  what an export holds, chat by chat, with totals
    tgarchive stats PATH [--json]        posts per month, sources, domains, reactions, languages
    tgarchive convert SRC... -o OUT      write exports out in another format (--to, or OUT's suffix)
    tgarchive search SRC QUERY           posts whose text contains QUERY, newest first
    tgarchive merge A B ... -o OUT       several exports of one channel as one
    tgarchive report SRC -o report.html  a self-contained HTML page of charts
    tgarchive formats                    every installed parser and writer, with its origin

Every command that reads an export takes ``--format`` (skip detection) and ``--strict`` (stop at
the first problem in the input). Exit status: 0 success (problems found in lenient mode are
listed, not fatal); 1 ``--strict`` met a problem (or issues were found, see ``merge``); 2 a
usage error or an input that cannot be read at all; 3 an internal error (a bug: ``--debug``
shows the traceback); 130 interrupted. A closed output pipe (``... | head``) ends the command
quietly with status 0.

The progress bar (on standard error, only when it is a terminal; ``--quiet`` turns it off)
needs the ``[cli]`` extra (rich); without it the commands work the same, without a bar.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import re
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

from . import __version__
from ._merge import merge
from ._plugins import PluginOrigin
from ._search import search
from ._stats import ArchiveStats, ChatStats, stats
from .api import ExportStream, detect_format, dump, sample_path, stream
from .errors import (
    MultipleExportsError,
    ParseError,
    ParseIssue,
    ParseWarning,
    TgArchiveError,
    UnknownFormatError,
)
from .models import Archive, Chat, Post
from .parsers import default_registry
from .writers import Writer, default_writers

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "build_parser",
    "main",
    "subcommands",
]

EXIT_OK = 0
"""Success (problems met in lenient mode are listed, not fatal)."""
EXIT_PROBLEMS = 1
"""``--strict`` met a problem in the input (or a command found issues under ``--strict``)."""
EXIT_USAGE = 2
"""A usage error, an input that cannot be read at all, or an output format whose optional
dependency is not installed (the message says what to install)."""
EXIT_INTERNAL = 3
"""A bug in tgarchive or a plugin (``--debug`` shows the traceback)."""

PROGRESS_DELAY = 0.5
"""Seconds a command runs before its progress bar appears (quick commands never show one)."""


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit status 2)."""


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    """``1 reply``, ``2 replies``, with thousands separators."""
    word = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {word}"


def _cli_text(message: str) -> str:
    """A library message as the command line says it: ``format=`` is ``--format`` here."""
    return re.sub(
        r"\bformat=(?:(['\"])([^'\"]+)\1)?",
        lambda m: f"--format {m.group(2)}" if m.group(2) else "--format",
        message,
    )


# -- progress -----------------------------------------------------------------------------


class _Progress:
    """A progress bar on standard error for the exports a command reads: posts and bytes.

    Silent when disabled, when standard error is not a terminal, or when rich is missing; it
    appears only once the command has run for :data:`PROGRESS_DELAY` seconds. A thread reads
    the export's counters four times a second, so the reading loop itself does no extra work.
    """

    def __init__(self, enabled: bool) -> None:
        self._progress: Any = None
        self._started = False
        self._lock = threading.Lock()
        self._t0 = time.monotonic()
        if not enabled or not sys.stderr.isatty():
            return
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )
        except ImportError:
            return
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[posts]:>10,} posts"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
            refresh_per_second=4,  # enough for a person; fewer wake-ups competing with the reading
        )

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            if self._started:
                self._progress.stop()
                self._started = False

    @contextlib.contextmanager
    def watch(self, export: ExportStream) -> Iterator[ExportStream]:
        """Show ``export``'s progress while the block reads it."""
        if self._progress is None:
            yield export
            return
        task = self._progress.add_task(Path(export.name).name, total=export.size, posts=0)
        stop = threading.Event()

        def poll() -> None:
            while not stop.wait(0.25):
                self._update(task, export)

        thread = threading.Thread(target=poll, name="tgarchive-progress", daemon=True)
        thread.start()
        try:
            yield export
        finally:
            stop.set()
            thread.join()
            self._update(task, export)

    def _update(self, task: Any, export: ExportStream) -> None:
        with self._lock:
            if not self._started:
                if time.monotonic() - self._t0 < PROGRESS_DELAY:
                    return
                self._progress.start()
                self._started = True
            self._progress.update(
                task, completed=export.bytes_read, total=export.size, posts=export.posts_read
            )


# -- reading ------------------------------------------------------------------------------


def _open(path: str, args: argparse.Namespace) -> ExportStream:
    return stream(path, format=args.format, strict=args.strict)


def _source_path(args: argparse.Namespace) -> str:
    """The one export a command reads: PATH, or the bundled sample with --sample."""
    if args.sample and args.path:
        raise UsageError(f"give an export PATH or --sample, not both (got {args.path!r})")
    if args.sample:
        return str(sample_path())
    if not args.path:
        raise UsageError(
            "give an export PATH (a folder, result.json, messages.html or .zip), or --sample"
        )
    return str(args.path)


def _issues_summary(issues: Sequence[ParseIssue], out: TextIO, limit: int = 20) -> None:
    if not issues:
        return
    out.write(f"\n{_plural(len(issues), 'problem')} in the input:\n")
    for issue in issues[:limit]:
        out.write(f"  {issue}\n")
    if len(issues) > limit:
        out.write(f"  ... and {len(issues) - limit:,} more\n")


# -- info ---------------------------------------------------------------------------------


def _top(counter: Counter[str], n: int = 5) -> str:
    return ", ".join(f"{key} ({count:,})" for key, count in counter.most_common(n)) or "-"


def _dates(stats: ChatStats) -> str:
    if stats.first is None or stats.last is None:
        return "-"
    when = f"{stats.first:%Y-%m-%d %H:%M} → {stats.last:%Y-%m-%d %H:%M}"
    return when + (" UTC" if stats.first.tzinfo is not None else "")


def _block(stats: ChatStats, heading: str) -> str:
    lines = [
        heading,
        f"Posts:      {stats.posts:,} ({stats.service:,} service, {stats.edited:,} edited, "
        f"{_plural(stats.replies, 'reply', 'replies')})",
        f"Dates:      {_dates(stats)}",
        f"Forwards:   {sum(stats.forwards.values()):,} — top sources: {_top(stats.forwards)}",
        f"Reactions:  {sum(stats.reactions.values()):,} — {_top(stats.reactions, 8)}",
        f"Links:      {stats.links:,} — top domains: {_top(stats.domains)}",
        f"Hashtags:   {_top(stats.hashtags)}",
        f"Media:      {_top(stats.media, 8)}",
    ]
    return "\n".join(lines) + "\n"


def _gather(path: str, args: argparse.Namespace, languages: bool) -> ArchiveStats:
    with _Progress(not args.quiet) as bar, _open(path, args) as export, bar.watch(export):
        return stats(export, languages=languages)


def _info(args: argparse.Namespace, out: TextIO) -> int:
    result = _gather(_source_path(args), args, languages=False)
    out.write(f"Source:     {result.source} ({result.format})\n")
    shown = [chat for chat in result.chats if chat.posts]
    empty = len(result.chats) - len(shown)
    for chat in shown:
        name = chat.name or "(no name)"
        out.write("\n" + _block(chat, f"Chat:       {name} [{chat.type or 'unknown type'}]"))
    if len(result.chats) > 1:
        heading = f"Total:      {_plural(len(result.chats), 'chat')}"
        if empty:
            heading += f" ({empty:,} without posts, not listed above)"
        out.write("\n" + _block(result.total, heading))
    elif empty:
        out.write("\nThe export holds no posts.\n")
    _issues_summary(result.issues, out)
    return EXIT_OK


# -- stats --------------------------------------------------------------------------------


def _table(
    title: str, rows: Iterable[tuple[str, int]], out: TextIO, total: int | None = None
) -> None:
    pairs = list(rows)
    out.write(f"\n{title}\n")
    if not pairs:
        out.write("  -\n")
        return
    width = max(len(f"{count:,}") for _key, count in pairs)
    biggest = max(count for _key, count in pairs) or 1
    for key, count in pairs:
        bar = "█" * max(1 if count else 0, round(24 * count / biggest))
        share = f" {100 * count / total:5.1f} %" if total else ""
        out.write(f"  {count:>{width},}{share}  {bar:<24}  {key}\n")


def _stats(args: argparse.Namespace, out: TextIO) -> int:
    result = _gather(_source_path(args), args, languages=True)
    if args.json:
        json.dump(result.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    total = result.total
    out.write(f"Source:     {result.source} ({result.format})\n")
    out.write(
        f"Posts:      {total.posts:,} in {_plural(len(result.chats), 'chat')}, {_dates(total)}\n"
    )
    _table("Posts per month", total.per_month(), out)
    _table("Top forward sources", total.forwards.most_common(args.top), out)
    _table("Top linked domains", total.domains.most_common(args.top), out)
    _table("Reactions per emoji", total.reactions.most_common(args.top), out)
    langs = total.languages
    _table("Language mix", langs.most_common(), out, total=sum(langs.values()))
    _issues_summary(result.issues, out)
    return EXIT_OK


# -- writing ------------------------------------------------------------------------------


def _writer_for(output: str, to: str | None) -> Writer:
    """The writer ``--to`` names, else the one ``output``'s suffix calls for."""
    writers = default_writers()
    if to is not None:
        try:
            return writers.get(to)
        except UnknownFormatError:
            raise UsageError(
                f"cannot write format {to!r} (--to takes one of: {', '.join(writers.names())})"
            ) from None
    if output == "-":
        return writers.get("desktop-json")
    try:
        return writers.for_path(output)
    except UnknownFormatError:
        raise UsageError(
            f"cannot tell the output format from {output!r}; name it with --to "
            f"(one of: {', '.join(writers.names())})"
        ) from None


@contextlib.contextmanager
def _target(output: str) -> Iterator[str | IO[bytes] | IO[str]]:
    if output == "-":
        sys.stdout.flush()
        yield getattr(sys.stdout, "buffer", sys.stdout)
        with contextlib.suppress(AttributeError):
            sys.stdout.buffer.flush()
    else:
        yield output


def _notice(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        sys.stderr.write(text + "\n")


def _convert_dataset(args: argparse.Namespace) -> int:
    """``--jobs N``: many exports into one hive-partitioned Parquet dataset folder."""
    from .dataset import convert_many

    if (args.to or "parquet") != "parquet":
        raise UsageError("--jobs writes a Parquet dataset folder: use it with --to parquet")
    result = convert_many(args.sources, args.output, jobs=args.jobs, format=args.format,
                          strict=args.strict)  # fmt: skip
    _notice(
        args,
        f"wrote {_plural(result.posts, 'post')} from {len(result.converted)} export(s) to "
        f"{args.output} ({len(result.skipped)} unchanged, {len(result.failed)} failed)",
    )
    for entry in result.failed:
        sys.stderr.write(f"tgarchive: {entry.source}: {entry.error}\n")
    return EXIT_PROBLEMS if result.failed else EXIT_OK


def _convert(args: argparse.Namespace, out: TextIO) -> int:
    if getattr(args, "jobs", None) is not None:
        return _convert_dataset(args)
    writer = _writer_for(args.output, args.to)
    with _Progress(not args.quiet) as bar, contextlib.ExitStack() as stack:
        # Every source is opened (and detected) before anything is written.
        exports = [stack.enter_context(_open(path, args)) for path in args.sources]

        def chained() -> Iterator[Chat | Post]:
            for export in exports:
                with bar.watch(export):
                    yield from export

        # One source goes to the writer as it is: its account sections come with it.
        data = chained() if len(exports) > 1 else exports[0]
        with _target(args.output) as target, contextlib.ExitStack() as watching:
            if len(exports) == 1:
                watching.enter_context(bar.watch(exports[0]))
            dump(data, target, format=writer.name)
    posts = sum(export.posts_read for export in exports)
    chats = sum(export.chats_read for export in exports)
    where = "standard output" if args.output == "-" else args.output
    _notice(
        args,
        f"wrote {_plural(posts, 'post')} from {_plural(chats, 'chat')} to {where} ({writer.name})",
    )
    _issues_summary([issue for export in exports for issue in export.issues], sys.stderr)
    return EXIT_OK


# -- search -----------------------------------------------------------------------------


def _snippet(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _search(args: argparse.Namespace, out: TextIO) -> int:
    if args.limit is not None and args.limit < 0:
        raise UsageError(f"--limit takes a number >= 0 (got {args.limit})")
    fmt = args.format or detect_format(args.source)
    if fmt == "sqlite":
        # An archive written by tgarchive: searched through its index, not read through.
        found = search(args.source, args.query, limit=args.limit, format="sqlite")
        issues: list[ParseIssue] = []
    else:
        with _Progress(not args.quiet) as bar, _open(args.source, args) as export:
            with bar.watch(export):
                found = search(export, args.query, limit=args.limit)
            issues = export.issues
    for post in found:
        if args.json:
            out.write(post.model_dump_json() + "\n")
            continue
        when = f"{post.date:%Y-%m-%d %H:%M}" if post.date is not None else "(no date)".ljust(16)
        where = f"{post.chat_id}/{post.id}" if post.chat_id is not None else f"#{post.id}"
        out.write(f"{when}  {where}  {_snippet(post.text)}\n")
    _notice(args, f"{_plural(len(found), 'post')} found" if found else "no post found")
    _issues_summary(issues, sys.stderr)
    return EXIT_OK


# -- merge ------------------------------------------------------------------------------


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    if len(args.sources) < 2:
        raise UsageError("give two exports or more to merge (to copy one, use convert)")
    writer = _writer_for(args.output, args.to)
    archives: list[Archive] = []
    with _Progress(not args.quiet) as bar:
        for path in args.sources:
            with _open(path, args) as export, bar.watch(export):
                archives.append(export.archive())
    merged = merge(*archives)
    with _target(args.output) as target:
        dump(merged, target, format=writer.name)
    conflicts = len(merged.issues) - sum(len(archive.issues) for archive in archives)
    where = "standard output" if args.output == "-" else args.output
    _notice(
        args,
        f"merged {_plural(len(archives), 'export')} into {_plural(len(merged.posts), 'post')} "
        f"in {_plural(len(merged.chats), 'chat')} ({_plural(conflicts, 'conflict')}), "
        f"written to {where} ({writer.name})",
    )
    if merged.issues:
        sys.stderr.write(f"\n{_plural(len(merged.issues), 'issue')}:\n")
        for issue in merged.issues[:20]:
            sys.stderr.write(f"  {issue}\n")
        if len(merged.issues) > 20:
            sys.stderr.write(f"  ... and {len(merged.issues) - 20:,} more\n")
    return EXIT_PROBLEMS if args.strict and conflicts else EXIT_OK


# -- report -----------------------------------------------------------------------------


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from .report import write_report

    result = _gather(_source_path(args), args, languages=True)
    write_report(result, args.output, title=args.title)
    _notice(args, f"wrote the report of {_plural(result.total.posts, 'post')} to {args.output}")
    _issues_summary(result.issues, sys.stderr)
    return EXIT_OK


# -- formats ------------------------------------------------------------------------------


def _origin_text(origin: PluginOrigin) -> str:
    if origin.distribution is None:
        return "(registered at run time)"
    return f"{origin.distribution} {origin.version or ''}".rstrip()


def _formats(args: argparse.Namespace, out: TextIO) -> int:
    parsers = default_registry()
    writers = default_writers()
    rows: list[tuple[str, str, str, str]] = []
    for parser in parsers:
        origin = _origin_text(parsers.origin(parser.name))
        rows.append(("read", parser.name, origin, _class_name(parser)))
    for writer in writers:
        origin = _origin_text(writers.origin(writer.name))
        rows.append(("write", writer.name, origin, _class_name(writer)))
    if args.json:
        keys = ("direction", "name", "origin", "class")
        json.dump([dict(zip(keys, row, strict=True)) for row in rows], out, indent=2)
        out.write("\n")
        return EXIT_OK
    name_width = max(len(row[1]) for row in rows)
    origin_width = max(len(row[2]) for row in rows)
    for direction, name, origin, cls in rows:
        out.write(f"{direction:<6} {name:<{name_width}}  {origin:<{origin_width}}  {cls}\n")
    return EXIT_OK


def _class_name(obj: object) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


# -- the parser ---------------------------------------------------------------------------


def _common(reading: bool) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    if reading:
        common.add_argument(
            "--format",
            metavar="NAME",
            help="read with this format, skipping detection (see `tgarchive formats`)",
        )
        common.add_argument(
            "--strict",
            action="store_true",
            help="stop at the first problem in the input (exit status 1)",
        )
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no notices")
    common.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return common


def build_parser(width: int | None = None) -> argparse.ArgumentParser:
    """The argument parser (public so that docs and tests can read its help); ``width`` fixes
    the help's line width (default: the terminal's)."""
    formatter: Any = (
        argparse.HelpFormatter
        if width is None
        else functools.partial(argparse.HelpFormatter, width=width, max_help_position=32)
    )
    parser = argparse.ArgumentParser(
        prog="tgarchive",
        formatter_class=formatter,
        description="Read Telegram exports: summaries, statistics, conversions, search, reports.",
        epilog="Exit status: 0 ok, 1 problems met under --strict, 2 usage error or unreadable "
        "input, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"tgarchive {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = functools.partial(sub.add_parser, formatter_class=formatter)
    reading = [_common(reading=True)]
    path_help = "export folder, result.json, messages.html or .zip"

    info = add(
        "info", parents=reading, help="what an export holds: chats, counts, dates, forwards, reactions",
        description="Summarise an export chat by chat (chats without posts are counted, not "
        "listed), with totals for a whole-account export.",
    )  # fmt: skip
    info.add_argument("path", nargs="?", metavar="PATH", help=path_help)
    info.add_argument("--sample", action="store_true", help="read the bundled sample channel")
    info.set_defaults(run=_info)

    stats_ = add(
        "stats", parents=reading, help="posts per month, top sources and domains, reactions, languages",
        description="Statistics over the whole export: posts per month, top forward sources, top "
        "linked domains, reactions per emoji and the language mix.",
    )  # fmt: skip
    stats_.add_argument("path", nargs="?", metavar="PATH", help=path_help)
    stats_.add_argument("--sample", action="store_true", help="read the bundled sample channel")
    stats_.add_argument(
        "--json", action="store_true", help="print every figure as JSON, per chat and in total"
    )
    stats_.add_argument("--top", type=int, default=10, metavar="N", help="rows per top list (10)")
    stats_.set_defaults(run=_stats)

    convert = add(
        "convert", parents=reading, help="write exports out in another format",
        description="Stream one or more exports into one output file. Several sources are written "
        "one after the other (use `tgarchive merge` to deduplicate exports of one channel).",
    )  # fmt: skip
    convert.add_argument("sources", nargs="+", metavar="SRC", help=path_help)
    convert.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="output file, or - for standard output"
    )
    convert.add_argument(
        "--to",
        metavar="FORMAT",
        help="output format (default: from OUT's suffix; desktop-json for -)",
    )
    convert.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="convert the exports on N processes into one Parquet dataset folder -o DIR "
        "(hive-partitioned by chat_id and month, with manifest.jsonl; reruns skip unchanged)",
    )
    convert.set_defaults(run=_convert)

    search_ = add(
        "search", parents=reading, help="posts whose text contains QUERY, newest first",
        description="Print the posts whose text contains QUERY (ASCII letters without regard "
        "to case, everything else exactly: Korean words of one or two syllables too), newest "
        "first. SRC is an SQLite archive written by `tgarchive convert` (searched through its "
        "index) or any export (read through).",
    )  # fmt: skip
    search_.add_argument("source", metavar="SRC", help=path_help + ", or a tgarchive .sqlite")
    search_.add_argument("query", metavar="QUERY", help="the text to find")
    search_.add_argument("--limit", type=int, metavar="N", help="print at most N posts")
    search_.add_argument("--json", action="store_true", help="print each post as one line of JSON")
    search_.set_defaults(run=_search)

    merge_ = add(
        "merge", parents=reading, help="several exports of one channel as one",
        description="Read several exports of the same chats (taken at different times, or a JSON "
        "and an HTML export) and write one: posts deduplicated by (chat, post id), the most "
        "recently edited version winning, every conflict listed. With --strict, conflicts make "
        "the exit status 1 (the output is still written).",
    )  # fmt: skip
    merge_.add_argument(
        "sources", nargs="+", metavar="SRC", help=path_help + " (two or more, oldest first)"
    )
    merge_.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="output file, or - for standard output"
    )
    merge_.add_argument(
        "--to",
        metavar="FORMAT",
        help="output format (default: from OUT's suffix; desktop-json for -)",
    )
    merge_.set_defaults(run=_merge)

    report = add(
        "report", parents=reading, help="a self-contained HTML page of charts",
        description="Write one HTML page (no network, no external assets) with charts of posts "
        "per month, reactions per emoji, the language mix, and the top forward sources and "
        "linked domains.",
    )  # fmt: skip
    report.add_argument("path", nargs="?", metavar="SRC", help=path_help)
    report.add_argument(
        "--sample", action="store_true", help="report on the bundled sample channel"
    )
    report.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="the HTML file to write"
    )
    report.add_argument("--title", help="the page's title (default: the chat's name)")
    report.set_defaults(run=_report)

    formats = add(
        "formats", parents=[_common(reading=False)], help="every installed parser and writer, with its origin",
        description="List the formats tgarchive can read and write, built-in and plugins, with "
        "the distribution and version that provide each.",
    )  # fmt: skip
    formats.add_argument("--json", action="store_true", help="print the list as JSON")
    formats.set_defaults(run=_formats)
    return parser


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser of each command of ``parser`` (from :func:`build_parser`), by name."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _restore_broken_stdout() -> None:
    # Python flushes stdout at exit; onto a closed pipe that would print an error.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``); returns the exit status.

    >>> from tgarchive.cli import main
    >>> main(["formats", "--json"]) == 0  # doctest: +ELLIPSIS
    [...]
    True
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    debug = bool(getattr(args, "debug", False))
    try:
        with warnings.catch_warnings():
            # Problems are summarised at the end of each command instead of one warning each.
            warnings.simplefilter("ignore", ParseWarning)
            status = int(args.run(args, sys.stdout))
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _restore_broken_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("tgarchive: interrupted\n")
        return 130
    except UsageError as exc:
        sys.stderr.write(f"tgarchive {args.command}: {exc}\n")
        return EXIT_USAGE
    except MultipleExportsError as exc:
        if debug:
            raise
        shown = ", ".join(exc.exports[:10]) + (", ..." if len(exc.exports) > 10 else "")
        sys.stderr.write(
            f"tgarchive: {len(exc.exports)} Telegram exports are there ({shown}); pass one of "
            "them (convert and merge take several)\n"
        )
        return EXIT_USAGE
    except ParseError as exc:
        if debug:
            raise
        sys.stderr.write(f"tgarchive: {_cli_text(str(exc))}\n")
        return EXIT_PROBLEMS if args.strict else EXIT_USAGE
    except (TgArchiveError, OSError, ImportError) as exc:  # ImportError: an extra is missing
        if debug:
            raise
        sys.stderr.write(f"tgarchive: {_cli_text(str(exc))}\n")
        return EXIT_USAGE
    except Exception as exc:
        if debug:
            raise
        sys.stderr.write(
            f"tgarchive: internal error: {type(exc).__name__}: {exc} "
            "(run again with --debug for the traceback, and please report it)\n"
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
