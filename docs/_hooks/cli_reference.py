"""The CLI reference page, generated from ``tgarchive.cli.build_parser()`` at every build.

Registered in ``mkdocs.yml`` under ``hooks:``. :func:`on_files` adds ``reference/cli.md`` to the
site as a generated file, so the reference can never drift from the parser: every command,
argument, choice and default shown is read from the ``argparse`` objects themselves.
:func:`render` is plain Python and is tested on its own (``tests/test_docs.py``).
"""

from __future__ import annotations

import argparse
from typing import Any

PAGE = "reference/cli.md"

INTRO = """\
# CLI reference

Generated from `tgarchive.cli.build_parser()` when the site is built: every command and option
the installed `tgarchive` accepts, with its help text. For a guided tour with sample output see
[Command line](../cli.md).
"""


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse._SubParsersAction[Any]]:
    return [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]


def _invocation(action: argparse.Action) -> str:
    if not action.option_strings:  # a positional: argparse shows its dest as is
        return action.metavar if isinstance(action.metavar, str) else action.dest
    parts = []
    for option in action.option_strings:
        if action.nargs == 0:
            parts.append(option)
        else:
            metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
            parts.append(f"{option} {metavar}")
    return ", ".join(parts)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", r"\|")


def _describe(action: argparse.Action, prog: str) -> str:
    help_text = action.help if action.help and action.help != argparse.SUPPRESS else ""
    if "%(" in help_text:
        params = dict(vars(action), prog=prog)
        params = {k: getattr(v, "__name__", v) for k, v in params.items()}
        help_text = help_text % params
    notes = []
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        notes.append("one of " + ", ".join(f"`{c}`" for c in action.choices))
    if action.required and action.option_strings:
        notes.append("required")
    default = action.default
    if (
        action.option_strings
        and action.nargs != 0
        and default not in (None, argparse.SUPPRESS)
        and not isinstance(default, bool)
        and "default" not in help_text.lower()
        and f"({default})" not in help_text
    ):  # a default the help text does not already state
        notes.append(f"default `{default}`")
    if action.nargs in ("*", "+"):
        notes.append("repeatable" if action.nargs == "*" else "one or more")
    elif action.nargs == "?" and not action.option_strings:
        notes.append("optional")
    text = _cell(help_text)
    if notes:
        text = f"{text} ({'; '.join(notes)})" if text else "; ".join(notes)
    return text


def _section(
    parser: argparse.ArgumentParser, level: int, title: str, summary: str | None = None
) -> list[str]:
    lines = [f"{'#' * level} `{title}`", ""]
    description = parser.description or summary
    if description:
        lines += [_cell(description), ""]
    lines += ["```text", parser.format_usage().strip(), "```", ""]
    rows = [
        (f"`{_invocation(a)}`", _describe(a, parser.prog))
        for a in parser._actions
        if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))
        and a.help != argparse.SUPPRESS
    ]
    if rows:
        lines += ["| argument | meaning |", "|---|---|"]
        lines += [f"| {name} | {text} |" for name, text in rows]
        lines.append("")
    if parser.epilog:
        lines += [_cell(parser.epilog), ""]
    for sub in _subparsers(parser):
        helps = {choice.dest: choice.help for choice in sub._choices_actions}
        for name, child in sub.choices.items():
            summary = helps.get(name)
            lines += _section(child, level + 1, f"{title} {name}", summary)
    return lines


def render(parser: argparse.ArgumentParser | None = None) -> str:
    """The Markdown of the reference page for ``parser`` (default: tgarchive's own)."""
    if parser is None:
        from tgarchive.cli import build_parser

        parser = build_parser()
    commands = []
    for sub in _subparsers(parser):
        commands += [f"[`{name}`](#{parser.prog}-{name})" for name in sub.choices]
    lines = [INTRO]
    if commands:
        lines += ["Commands: " + ", ".join(commands) + ".", ""]
    lines += _section(parser, 2, parser.prog)
    return "\n".join(lines).rstrip() + "\n"


def on_files(files: Any, config: Any) -> Any:
    """mkdocs hook: add the generated reference page to the site's files."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, PAGE, content=render()))
    return files
