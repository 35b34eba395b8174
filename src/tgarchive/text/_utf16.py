"""UTF-16 code unit offsets, as Telegram counts them, and code point offsets, as Python does."""

from __future__ import annotations


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (astral characters count twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_utf16_offset(text: str, offset: int) -> int:
    """The UTF-16 offset of code point ``offset`` in ``text``."""
    if not 0 <= offset <= len(text):
        raise IndexError(f"offset {offset} outside a text of {len(text)} code points")
    return utf16_len(text[:offset])


def from_utf16_offset(text: str, offset: int) -> int:
    """The code point offset of UTF-16 offset ``offset`` in ``text``.

    Raises ``ValueError`` for an offset that falls inside a surrogate pair.
    """
    units = 0
    for index, ch in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > offset:
            raise ValueError(f"UTF-16 offset {offset} splits a surrogate pair")
    if units == offset:
        return len(text)
    raise IndexError(f"UTF-16 offset {offset} outside a text of {units} code units")
