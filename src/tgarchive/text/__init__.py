"""Helpers for the text of posts, above all bilingual Korean/English text.

Telegram counts entity offsets in UTF-16 code units; Python strings count code points.
:func:`utf16_len`, :func:`to_utf16_offset` and :func:`from_utf16_offset` convert between them.

>>> from tgarchive.text import utf16_len, to_utf16_offset, from_utf16_offset
>>> utf16_len("GPT-4는 🚀")
9
>>> to_utf16_offset("🚀 로켓", 2), from_utf16_offset("🚀 로켓", 3)
(3, 2)
"""

from __future__ import annotations

from ._utf16 import from_utf16_offset, to_utf16_offset, utf16_len

__all__ = ["from_utf16_offset", "to_utf16_offset", "utf16_len"]
