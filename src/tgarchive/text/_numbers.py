"""Counts as people write them: "2.4K", "1.2만", "12만 3천", "11 286 994"."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_FULLWIDTH_DIGITS = {o: o - 0xFEE0 for o in range(0xFF10, 0xFF1A)} | {0xFF0C: 0x2C, 0xFF0E: 0x2E}
_SI = {"k": Decimal(10**3), "m": Decimal(10**6), "b": Decimal(10**9)}
_BIG = {"만": Decimal(10**4), "억": Decimal(10**8), "조": Decimal(10**12), "경": Decimal(10**16)}
_SMALL = {"천": Decimal(1000), "백": Decimal(100), "십": Decimal(10)}
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_PLAIN = re.compile(rf"{_NUMBER}|\d{{1,3}}(?: \d{{3}})+")
_SI_COUNT = re.compile(rf"({_NUMBER})\s?([KkMmBb])")
_KO_GROUP = re.compile(rf"({_NUMBER})?([천백십])?([만억조경])?")
_KO_UNIT = r"(?:[천백십]?[만억조경]|[천백십])"
_FIND = re.compile(
    rf"(?<![\w.,\-])(?:"
    rf"{_NUMBER}\s?[KkMmBb](?![A-Za-z\-])"
    rf"|{_NUMBER}{_KO_UNIT}(?:\s?{_NUMBER}?{_KO_UNIT})*"
    rf"|\d{{1,3}}(?: \d{{3}})+(?!\d)"
    rf"|{_NUMBER}(?![\w\-]))"
)


def _to_int(value: Decimal) -> int | None:
    if value != value.to_integral_value():
        return None
    return int(value)


def _korean(text: str) -> Decimal | None:
    total = Decimal(0)
    parts = text.split()
    if not parts:
        return None
    for pos, part in enumerate(parts):
        m = _KO_GROUP.fullmatch(part)
        if not m or not part:
            return None
        number, small, big = m.groups()
        if number is None and small is None:
            return None  # a bare 만/억 is a word, not a count
        try:
            value = Decimal(number.replace(",", "")) if number else Decimal(1)
        except InvalidOperation:
            return None
        if small:
            value *= _SMALL[small]
        if big:
            value *= _BIG[big]
        elif not small and len(parts) > 1 and pos < len(parts) - 1:
            return None  # a plain number in the middle of Korean groups
        total += value
    return total


def parse_count(text: str) -> int | None:
    """The exact number in a count string, or ``None`` when it is not one.

    Accepts thousands separators (``,`` or single spaces: "11 286 994"), SI suffixes K/M/B in
    either case, Korean units 십/백/천 and 만/억/조/경 and their combinations, full-width digits.
    Arithmetic is exact (``Decimal``); a value that is not a whole number gives ``None``, and
    so does anything that is not a count ("K-pop").

    >>> [parse_count(s) for s in ("2.4K", "2.72K", "1.2만", "3천", "12만 3천", "1억 2천만", "K-pop")]
    [2400, 2720, 12000, 3000, 123000, 120000000, None]
    """
    if not isinstance(text, str):
        return None
    s = text.translate(_FULLWIDTH_DIGITS).strip()
    if not s:
        return None
    if _PLAIN.fullmatch(s):
        return _to_int(Decimal(s.replace(",", "").replace(" ", "")))
    m = _SI_COUNT.fullmatch(s)
    if m:
        return _to_int(Decimal(m.group(1).replace(",", "")) * _SI[m.group(2).lower()])
    if any(unit in s for unit in "만억조경천백십"):
        value = _korean(s)
        return None if value is None else _to_int(value)
    return None


def find_counts(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, value)`` of every count in ``text`` ("조회수 1.2만회", "2.4K subscribers").

    >>> find_counts("2.4K subscribers, 조회수 1.2만회")
    [(0, 4, 2400), (22, 26, 12000)]
    """
    s = text.translate(_FULLWIDTH_DIGITS)
    found = []
    for m in _FIND.finditer(s):
        raw = m.group(0).rstrip()
        value = parse_count(raw)
        if value is not None:
            found.append((m.start(), m.start() + len(raw), value))
    return found
