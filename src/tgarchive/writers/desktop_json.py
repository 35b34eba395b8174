"""The Desktop JSON writer (format ``desktop-json``): ``result.json`` again, losing nothing."""

from __future__ import annotations

from ..parsers.desktop_json import dump_desktop_json
from . import WriteData, WriteTarget, as_archive, text_target

__all__ = ["DesktopJsonWriter"]


class DesktopJsonWriter:
    """Writes Telegram Desktop's ``result.json``; an archive read from one comes out equal to
    it. A stream is collected first (an account export's sections come after its chats)."""

    name = "desktop-json"
    suffixes: tuple[str, ...] = (".json",)

    def write(self, data: WriteData, target: WriteTarget) -> None:
        archive = as_archive(data, format="desktop-json")
        with text_target(target) as fh:
            dump_desktop_json(archive, fh)
