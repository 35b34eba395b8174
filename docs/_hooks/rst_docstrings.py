"""A griffe extension: tgarchive's reST-flavoured docstrings shown as Markdown by mkdocstrings.

The docstrings are written for ``help()`` and doctest: Sphinx roles (``:class:`Post```),
double-backquoted literals, ``Example::`` literal blocks and bare ``>>>`` examples. Rendered
as Markdown unchanged, a ``>>>`` line would become a nested block quote and roles would show
their colons. :func:`to_markdown` rewrites them (roles and literals to code spans, doctests to
``pycon`` code blocks, other literal blocks to ``text`` blocks); the extension applies it to
every docstring griffe loads. Listed in ``mkdocs.yml`` under the handler's ``extensions``.
"""

from __future__ import annotations

import re
from typing import Any

try:
    import griffe
except ImportError:  # only the build needs griffe; to_markdown is tested without it
    griffe = None  # type: ignore[assignment]

_ROLE = re.compile(r":(?:py:)?[a-z]+:`~?([^`<]*?)(?:\s*<([^>`]+)>)?`")
_LITERAL = re.compile(r"``([^`]+)``")


def _inline(line: str) -> str:
    def role(match: re.Match[str]) -> str:
        label, target = match.group(1).strip(), match.group(2)
        text = label or (target or "")
        if not target and match.group(0).startswith((":class:`~", ":func:`~", ":meth:`~")):
            text = text.rsplit(".", 1)[-1]
        return f"`{text}`"

    return _LITERAL.sub(r"`\1`", _ROLE.sub(role, line))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def to_markdown(text: str) -> str:
    """Rewrite one docstring from reST habits to Markdown.

    >>> print(to_markdown("See :class:`Post` and ``x[0]``.\\n\\n>>> 1 + 1\\n2\\n"))
    See `Post` and `x[0]`.
    <BLANKLINE>
    ```pycon
    >>> 1 + 1
    2
    ```
    """
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(">>>"):
            base = _indent(line)
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][base:] if _indent(lines[i]) >= base else lines[i].strip())
                i += 1
            out += ["```pycon", *block, "```"]
            continue
        if stripped.endswith("::") and not stripped.startswith(".."):
            head = stripped[:-2].rstrip()
            out.append(_inline(line[: _indent(line)] + head + (":" if head else "")))
            base = _indent(line)
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            if not block:
                continue
            inner = min(_indent(b) for b in block if b.strip())
            body = [b[inner:] for b in block]
            if body[0].lstrip().startswith(">>>"):
                out += ["", "```pycon", *body, "```", ""]
            else:
                language = "toml" if body[0].startswith("[") else "text"
                out += ["", f"```{language}", *body, "```", ""]
            continue
        out.append(_inline(line))
        i += 1
    return "\n".join(out)


if griffe is not None:

    class RstDocstrings(griffe.Extension):
        """Apply :func:`to_markdown` to every loaded docstring."""

        def on_object(self, *, obj: Any, **kwargs: Any) -> None:  # griffe >= 1.0 hook name
            if obj.docstring is not None:
                obj.docstring.value = to_markdown(obj.docstring.value)
