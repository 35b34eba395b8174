"""A self-contained HTML report of an export: :func:`render_report` and :func:`write_report`.

The page holds everything it shows: the styles, the figures (as JSON in a
``<script type="application/json" id="tgarchive-data">`` element) and a small script that draws
the charts as inline SVG (posts per month, reactions per emoji, the language mix, the top
forward sources and linked domains). It loads nothing from the network, so it can be mailed or
opened offline. ``tgarchive report SRC -o report.html`` writes one.

>>> import tgarchive
>>> from tgarchive.report import render_report
>>> page = render_report(tgarchive.stats(tgarchive.sample_path()))
>>> page.startswith("<!DOCTYPE html>"), "Continuous Learning_Startup" in page
(True, True)
"""

from __future__ import annotations

import json
import os
from html import escape
from importlib.resources import files
from string import Template
from typing import Any

from .._source import SourceLike
from .._stats import ArchiveStats, ChatStats
from ..models import Archive

__all__ = ["CHARTS", "chart_data", "render_report", "write_report"]

CHARTS = ("months", "reactions", "languages", "forwards", "domains")
"""The charts of the page, by the name their data has in the embedded JSON."""

TOP = 10
"""How many rows the top lists (reactions, sources, domains) show."""


def _resource(name: str) -> str:
    return (files(__package__) / name).read_text(encoding="utf-8")


def chart_data(stats: ArchiveStats, top: int = TOP) -> dict[str, list[tuple[str, int]]]:
    """The rows each chart draws, as ``[label, count]`` pairs in drawing order.

    >>> import tgarchive
    >>> from tgarchive.report import chart_data
    >>> rows = chart_data(tgarchive.stats(tgarchive.sample_path()))
    >>> rows["months"], rows["reactions"][0], rows["languages"][0]
    ([('2023-07', 10)], ('🔥', 69), ('ko', 5))
    """
    total = stats.total
    return {
        "months": total.per_month(),
        "reactions": total.reactions.most_common(top),
        "languages": total.languages.most_common(),
        "forwards": total.forwards.most_common(top),
        "domains": total.domains.most_common(top),
    }


def _json_for_script(data: Any) -> str:
    # Inside <script>, "</script>" or "<!--" in a post's text must not end the element.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _card(value: str, label: str) -> str:
    return f'<div class="card"><b>{escape(value)}</b><span>{escape(label)}</span></div>'


def _when(chat: ChatStats) -> str:
    if chat.first is None or chat.last is None:
        return "no dates"
    return f"{chat.first:%Y-%m-%d} → {chat.last:%Y-%m-%d}"


def _chats_table(stats: ArchiveStats) -> str:
    if len(stats.chats) < 2:
        return ""
    rows = "\n".join(
        f"<tr><td>{escape(chat.name or '(no name)')}</td><td>{escape(chat.type or '')}</td>"
        f'<td class="n">{chat.posts:,}</td><td>{escape(_when(chat))}</td></tr>'
        for chat in stats.chats
        if chat.posts
    )
    empty = sum(1 for chat in stats.chats if not chat.posts)
    note = f"<p>{empty:,} more without posts.</p>" if empty else ""
    return (
        '<section><h2>Chats</h2><table><thead><tr><th>Chat</th><th>Type</th><th class="n">Posts'
        f"</th><th>Dates</th></tr></thead><tbody>\n{rows}\n</tbody></table>{note}</section>"
    )


def _issues(stats: ArchiveStats, limit: int = 20) -> str:
    if not stats.issues:
        return ""
    items = "\n".join(f"<li>{escape(str(issue))}</li>" for issue in stats.issues[:limit])
    more = len(stats.issues) - limit
    tail = f"<li>... and {more:,} more</li>" if more > 0 else ""
    count = len(stats.issues)
    what = "problem" if count == 1 else "problems"
    return (
        f'<section class="issues"><h2>{count:,} {what} in the input</h2>'
        f"<ul>{items}{tail}</ul></section>"
    )


def render_report(stats: ArchiveStats, *, title: str | None = None) -> str:
    """The report page of ``stats`` (from :func:`tgarchive.stats`) as HTML text."""
    from .. import __version__

    total = stats.total
    named = [chat.name for chat in stats.chats if chat.name]
    if title is None:
        title = named[0] if len(stats.chats) == 1 and named else "Telegram export"
    chats = f"{len(stats.chats):,} chat" + ("" if len(stats.chats) == 1 else "s")
    subtitle = f"{chats} · {_when(total)}" + (f" · {stats.format}" if stats.format else "")
    reactions = sum(total.reactions.values())
    cards = [
        _card(f"{total.posts:,}", "posts"),
        _card(f"{total.service:,}", "service messages"),
        _card(f"{sum(total.forwards.values()):,}", "forwards"),
        _card(f"{total.links:,}", "links"),
        _card(f"{reactions:,}", "reactions"),
    ]
    if total.views:  # Desktop exports of channels give no view counts; t.me pages do
        cards.append(_card(f"{total.views:,}", "views"))
    data = {"title": title, "charts": chart_data(stats)}
    page = Template(_resource("template.html"))
    return page.substitute(
        version=escape(__version__),
        title=escape(title),
        subtitle=escape(subtitle),
        cards="\n".join(cards),
        top=TOP,
        chats=_chats_table(stats),
        issues=_issues(stats),
        source=escape(os.path.basename(stats.source) if stats.source else "an archive"),
        css=_resource("report.css"),
        js=_resource("report.js"),
        data=_json_for_script(data),
    )


def write_report(
    source: SourceLike | Archive | ArchiveStats,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    format: str | None = None,
    strict: bool = False,
) -> ArchiveStats:
    """Write the report of ``source`` (an export, an archive, or statistics already
    gathered) to ``path``; returns the statistics it shows."""
    from .._stats import stats as gather

    result = source if isinstance(source, ArchiveStats) else None
    if result is None:
        result = gather(source, format=format, strict=strict)  # type: ignore[arg-type]
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(render_report(result, title=title))
    return result
