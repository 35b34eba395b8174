"""The ``tgarchive`` command line.

    tgarchive info PATH           what an export holds: chats, counts, dates, forwards, reactions, links
    tgarchive info --sample       the same for the bundled sample channel
    tgarchive convert PATH --to desktop-json -o result.json
    tgarchive formats             the installed formats (built-in and plugins)

Problems in the input are reported, not raised (lenient mode); ``--strict`` stops at the first
one and exits with status 1. Exit status 2 means the input could not be read at all.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from . import __version__
from .api import _items, dump, load, sample_path
from .errors import ParseWarning, TgArchiveError
from .models import Chat, Post
from .parsers import default_registry

__all__ = ["main"]


@dataclass
class ChatStats:
    """Counts gathered over one chat while streaming its posts."""

    name: str | None
    type: str | None
    posts: int = 0
    service: int = 0
    first: datetime | None = None
    last: datetime | None = None
    edited: int = 0
    replies: int = 0
    forwards: Counter[str] = field(default_factory=Counter)
    reactions: Counter[str] = field(default_factory=Counter)
    domains: Counter[str] = field(default_factory=Counter)
    hashtags: Counter[str] = field(default_factory=Counter)
    media: Counter[str] = field(default_factory=Counter)
    links: int = 0

    def add(self, post: Post) -> None:
        self.posts += 1
        if post.is_service:
            self.service += 1
        if post.date is not None:
            # Aware and naive dates never mix within one export.
            if self.first is None or post.date < self.first:
                self.first = post.date
            if self.last is None or post.date > self.last:
                self.last = post.date
        self.edited += post.edited is not None
        self.replies += post.reply_to_id is not None
        if post.forward is not None:
            self.forwards[post.forward.from_name or post.forward.saved_from or "(hidden)"] += 1
        for reaction in post.reactions:
            self.reactions[reaction.label] += reaction.count
        for link in post.links:
            self.links += 1
            self.domains[link.domain or "(none)"] += 1
        for tag in post.hashtags:
            self.hashtags[tag] += 1
        if post.media is not None:
            self.media[post.media.kind] += 1


def _top(counter: Counter[str], n: int = 5) -> str:
    return ", ".join(f"{key} ({count:,})" for key, count in counter.most_common(n)) or "-"


def _report(stats: ChatStats, out: TextIO) -> None:
    when = "-"
    if stats.first is not None and stats.last is not None:
        when = f"{stats.first:%Y-%m-%d %H:%M} → {stats.last:%Y-%m-%d %H:%M}"
        if stats.first.tzinfo is not None:
            when += " UTC"
    lines = [
        f"Chat:       {stats.name or '(no name)'} [{stats.type or 'unknown type'}]",
        f"Posts:      {stats.posts:,} ({stats.service:,} service, {stats.edited:,} edited, "
        f"{stats.replies:,} replies)",
        f"Dates:      {when}",
        f"Forwards:   {sum(stats.forwards.values()):,} — top sources: {_top(stats.forwards)}",
        f"Reactions:  {sum(stats.reactions.values()):,} — {_top(stats.reactions, 8)}",
        f"Links:      {stats.links:,} — top domains: {_top(stats.domains)}",
        f"Hashtags:   {_top(stats.hashtags)}",
        f"Media:      {_top(stats.media, 8)}",
    ]
    out.write("\n".join(lines) + "\n")


def _info(args: argparse.Namespace, out: TextIO) -> int:
    if args.sample:
        path = str(sample_path())
    elif args.path:
        path = args.path
    else:
        raise SystemExit("tgarchive info: give an export PATH, or --sample")
    items, ctx, src, parser = _items(path, args.format, args.strict, None)
    out.write(f"Source:     {src.name} ({parser.name})\n")
    all_stats: list[ChatStats] = []
    with src:
        _gather(items, all_stats)
    for stats in all_stats:
        out.write("\n")
        _report(stats, out)
    return _issues_summary(ctx.issues, out)


def _gather(items: Iterator[Chat | Post], all_stats: list[ChatStats]) -> None:
    current: ChatStats | None = None
    for item in items:
        if isinstance(item, Chat):
            current = ChatStats(item.name, item.type)
            all_stats.append(current)
        else:
            if current is None:
                current = ChatStats(None, None)
                all_stats.append(current)
            current.add(item)


def _issues_summary(issues: Sequence[object], out: TextIO) -> int:
    if issues:
        out.write(f"\n{len(issues)} problem(s) in the input:\n")
        for issue in issues[:20]:
            out.write(f"  {issue}\n")
        if len(issues) > 20:
            out.write(f"  ... and {len(issues) - 20} more\n")
    return 0


def _convert(args: argparse.Namespace, out: TextIO) -> int:
    archive = load(args.path, format=args.format, strict=args.strict)
    if args.output == "-":
        dump(archive, sys.stdout, format=args.to)
    else:
        dump(archive, args.output, format=args.to)
        posts = sum(len(c.posts) for c in archive.chats)
        out.write(f"wrote {posts:,} posts from {len(archive.chats)} chat(s) to {args.output}\n")
    return _issues_summary(archive.issues, out)


def _formats(args: argparse.Namespace, out: TextIO) -> int:
    for parser in default_registry():
        module = type(parser).__module__
        out.write(f"{parser.name:<16} {module}.{type(parser).__name__}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (public so that docs and tests can read its help)."""
    parser = argparse.ArgumentParser(
        prog="tgarchive", description="Read Telegram exports: summaries and conversions."
    )
    parser.add_argument("--version", action="version", version=f"tgarchive {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    info = sub.add_parser("info", help="summarise an export: chats, counts, forwards, reactions")
    info.add_argument("path", nargs="?", help="export folder, result.json, messages.html or .zip")
    info.add_argument("--sample", action="store_true", help="use the bundled sample channel")
    info.add_argument("--format", help="skip detection and read with this format")
    info.add_argument("--strict", action="store_true", help="stop at the first problem")
    info.set_defaults(run=_info)

    convert = sub.add_parser("convert", help="write an export out in another format")
    convert.add_argument("path", help="export folder, result.json, messages.html or .zip")
    convert.add_argument("--to", default="desktop-json", help="output format (desktop-json)")
    convert.add_argument("-o", "--output", required=True, help="output file, or - for stdout")
    convert.add_argument("--format", help="skip detection and read with this format")
    convert.add_argument("--strict", action="store_true", help="stop at the first problem")
    convert.set_defaults(run=_convert)

    formats = sub.add_parser("formats", help="list the installed formats")
    formats.set_defaults(run=_formats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    out = sys.stderr if getattr(args, "output", None) == "-" else sys.stdout
    with warnings.catch_warnings():
        # Problems are summarised at the end instead of one warning each.
        warnings.simplefilter("ignore", ParseWarning)
        try:
            return int(args.run(args, out))
        except TgArchiveError as exc:
            sys.stderr.write(f"tgarchive: {exc}\n")
            return 1 if args.strict else 2
        except (OSError, ValueError) as exc:
            sys.stderr.write(f"tgarchive: {exc}\n")
            return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
