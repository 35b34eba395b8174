"""Absolute Korean dates and times: "2023년 7월 12일 오후 3시", "7월 12일", "2023.07.12"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

_DATE_TIME = re.compile(
    r"(?:(?P<year>\d{4}|\d{2})\s*년\s*)?(?P<month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일"
    r"(?:\s*\(?(?:[월화수목금토일])(?:요일)?\)?)?"
    r"(?P<time>\s*(?:오전|오후|아침|낮|저녁|밤|새벽)?\s*(?:\d{1,2}\s*시(?:\s*(?:\d{1,2}\s*분|반))?|\d{1,2}:\d{2})|\s*(?:정오|자정))?"
    r"|(?P<y2>\d{4}|\d{2})[./-](?P<m2>\d{1,2})[./-](?P<d2>\d{1,2})\.?"
    r"(?P<time2>\s*(?:오전|오후|아침|낮|저녁|밤|새벽)?\s*(?:\d{1,2}\s*시(?:\s*(?:\d{1,2}\s*분|반))?|\d{1,2}:\d{2}))?"
)
_TIME = re.compile(
    r"\s*(?P<period>오전|오후|아침|낮|저녁|밤|새벽)?\s*"
    r"(?:(?P<hour>\d{1,2})\s*시(?:\s*(?:(?P<minute>\d{1,2})\s*분|(?P<half>반)))?"
    r"|(?P<h2>\d{1,2}):(?P<m2>\d{2})|(?P<word>정오|자정))"
)


def _time(text: str) -> tuple[int, int, int] | None:
    """(hour, minute, extra days) of a Korean time expression."""
    m = _TIME.fullmatch(text)
    if m is None:
        return None
    if m.group("word") == "정오":
        return 12, 0, 0
    if m.group("word") == "자정":
        return 0, 0, 1
    hour = int(m.group("hour") or m.group("h2"))
    minute = 30 if m.group("half") else int(m.group("minute") or m.group("m2") or 0)
    period = m.group("period")
    if hour > 24 or minute > 59:
        return None
    if period == "밤" and hour == 12:
        return 0, minute, 1  # 밤 12시: midnight, the start of the next day
    if (period in ("오후", "저녁", "밤") and hour < 12) or (period == "낮" and hour < 6):
        hour += 12
    elif period in ("오전", "새벽", "아침") and hour == 12:
        hour = 0
    if hour == 24:
        return 0, minute, 1
    return hour, minute, 0


def _build(
    year: str | None,
    month: str,
    day: str,
    time: str | None,
    base: datetime | None,
    tz: tzinfo | None,
) -> datetime | None:
    if year is None:
        if base is None:
            return None  # no year and nothing to take it from: no guess
        y = base.year
    else:
        y = int(year)
        if len(year) == 2:
            y += 2000
    hour = minute = extra = 0
    if time and time.strip():
        parsed = _time(time)
        if parsed is None:
            return None
        hour, minute, extra = parsed
    try:
        result = datetime(y, int(month), int(day), hour, minute)
    except ValueError:
        return None
    result += timedelta(days=extra)
    zone = tz if tz is not None else (base.tzinfo if base is not None else None)
    return result.replace(tzinfo=zone) if zone is not None else result


def parse_korean_datetime(
    text: str, *, base: datetime | None = None, tz: tzinfo | None = None
) -> datetime | None:
    """The date (and time) a Korean expression names, or ``None`` rather than a guess.

    Forms: ``YYYY년 M월 D일 (요일)? (오전|오후|아침|낮|저녁|밤|새벽)? H시 (M분|반)?``, ``H:MM``,
    ``정오``/``자정``, ``YYYY.M.D``, ``YY.M.D``, ``M월 D일``. A missing year comes from ``base``
    (use the message's date); without ``base`` such a date gives ``None``. 오후/저녁/밤 add
    twelve hours; 밤 12시 and 자정 are 00:00 of the next day; 정오 is 12:00. The result gets
    ``tz``, else ``base``'s zone, else none.

    >>> parse_korean_datetime("2023년 7월 12일 오후 3시")
    datetime.datetime(2023, 7, 12, 15, 0)
    >>> parse_korean_datetime("7월 12일 밤 12시", base=datetime(2023, 1, 1))
    datetime.datetime(2023, 7, 13, 0, 0)
    """
    if not isinstance(text, str):
        return None
    m = _DATE_TIME.fullmatch(text.strip())
    if m is None:
        return None
    if m.group("month"):
        return _build(m.group("year"), m.group("month"), m.group("day"), m.group("time"), base, tz)
    return _build(m.group("y2"), m.group("m2"), m.group("d2"), m.group("time2"), base, tz)


def find_korean_datetimes(
    text: str, *, base: datetime | None = None, tz: tzinfo | None = None
) -> list[tuple[int, int, datetime]]:
    """``(start, end, datetime)`` of every absolute Korean date in ``text``.

    >>> find_korean_datetimes("다음 모임은 2023년 7월 12일 오후 3시에 만나요")
    [(7, 25, datetime.datetime(2023, 7, 12, 15, 0))]
    """
    found = []
    for m in _DATE_TIME.finditer(text):
        if not m.group(0).strip() or not (m.group("day") or m.group("d2")):
            continue
        raw = m.group(0)
        start = m.start() + (len(raw) - len(raw.lstrip()))
        value = parse_korean_datetime(raw, base=base, tz=tz)
        if value is not None:
            found.append((start, m.start() + len(raw.rstrip()), value))
    return found
