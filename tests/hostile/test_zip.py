"""Hostile zips: slips, bombs, too many members, corrupt and encrypted members."""

from __future__ import annotations

import contextlib
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

import tgarchive
from tgarchive._source import ZIP_LIMITS, ZipLimits, check_zip
from tgarchive.errors import LimitError, ParseError, TgArchiveError, UnsafePathError

from ..conftest import FIXTURES

SAMPLE = tgarchive.sample_path()
TWIN = FIXTURES / "equivalence" / "generated"


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "name", ["../escape.txt", "ok/../../escape.txt", "/etc/cron.d/x", "..\\..\\x.txt", "C:/x.txt"]
)
def test_zip_slip_and_absolute_member_names_are_refused(tmp_path, name):
    """A member name that would land outside the folder if extracted refuses the whole zip."""
    zpath = _zip(tmp_path / "evil.zip", {"result.json": SAMPLE.read_bytes(), name: b"x"})
    with pytest.raises(UnsafePathError):
        tgarchive.load(zpath)


def test_resolve_inside_a_zip_stays_inside(tmp_path):
    """Archive.resolve on a zipped export refuses .. and absolute paths."""
    archive = tgarchive.load(_zip(tmp_path / "e.zip", {"result.json": SAMPLE.read_bytes()}))
    for bad in ("../result.json", "/etc/passwd", "photos/../../x"):
        with pytest.raises(UnsafePathError):
            archive.resolve(bad)


def test_deflate_bomb_is_refused_before_inflating(tmp_path):
    """A 64 MiB member of zeros (ratio about 1000:1) is refused from its declared sizes."""
    bomb = b'{"name": "x", "type": "public_channel", "id": 1, "messages": [' + b" " * (64 << 20)
    zpath = _zip(tmp_path / "bomb.zip", {"result.json": bomb})
    assert zpath.stat().st_size < 200_000
    with pytest.raises(LimitError) as info:
        tgarchive.load(zpath)
    assert info.value.limit == "zip member ratio"
    assert info.value.value > ZIP_LIMITS.max_ratio and info.value.maximum == ZIP_LIMITS.max_ratio
    assert "bomb.zip!result.json" in str(info.value)


def test_well_compressed_real_pages_are_within_the_ratio_limit(tmp_path):
    """Real export files compress far below the ratio limit: the limit never refuses them."""
    pages = {p.name: p.read_bytes() for p in sorted(TWIN.glob("messages*.html"))}
    zpath = _zip(tmp_path / "html.zip", pages)
    with zipfile.ZipFile(zpath) as zf:
        assert all(i.file_size / i.compress_size < ZIP_LIMITS.max_ratio / 10 for i in zf.infolist())
    assert len(tgarchive.load(zpath).posts) == 60


def _patch_central_size(zpath: Path, size: int) -> None:
    """Make the central directory declare ``size`` uncompressed bytes for every member."""
    data = bytearray(zpath.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    zpath.write_bytes(bytes(data))


def test_member_declaring_more_than_the_size_limit_is_refused(tmp_path):
    """A member claiming 4 GiB - 1 bytes is refused under a 1 GiB limit, nothing inflated."""
    zpath = _zip(tmp_path / "big.zip", {"result.json": SAMPLE.read_bytes()}, zipfile.ZIP_STORED)
    _patch_central_size(zpath, 0xFFFFFFFE)
    from tgarchive._source import check_zip_member

    with zipfile.ZipFile(zpath) as zf:
        info = zf.getinfo("result.json")
        with pytest.raises(LimitError, match="zip member size"):
            check_zip_member(info, "big.zip!result.json", ZipLimits(max_member_size=1 << 30))
        # with the default limits the stored member's ratio is what refuses it
        with pytest.raises(LimitError, match="zip member ratio"):
            check_zip_member(info, "big.zip!result.json")


def test_member_larger_than_declared_is_a_parse_error_not_more_data(tmp_path):
    """A member whose data outgrows its declared size stops at the size and fails its CRC."""
    zpath = _zip(tmp_path / "lie.zip", {"result.json": SAMPLE.read_bytes()})
    _patch_central_size(zpath, 100)
    with pytest.raises(TgArchiveError):
        tgarchive.load(zpath)


def test_too_many_members_are_refused_from_the_end_record(tmp_path):
    """A zip whose (ZIP64) end record declares 5 million members is refused before it is listed."""
    zip64 = _zip(tmp_path / "many64.zip", {"result.json": SAMPLE.read_bytes()})
    raw = bytearray(zip64.read_bytes())
    eocd = raw.rfind(b"PK\x05\x06")
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 5_000_000, 5_000_000,
                         0, 0)  # fmt: skip
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, eocd, 1)
    tail = bytearray(raw[eocd:])
    struct.pack_into("<HH", tail, 8, 0xFFFF, 0xFFFF)
    zip64.write_bytes(bytes(raw[:eocd]) + record + locator + bytes(tail))
    with pytest.raises(LimitError) as info:
        tgarchive.load(zip64)
    assert (info.value.limit, info.value.value) == ("zip member count", 5_000_000)


def test_member_count_and_depth_limits_on_the_real_listing(tmp_path):
    """The listing itself is checked too: count, and folders nested too deep."""
    zpath = _zip(tmp_path / "m.zip", {f"photos/{i}.jpg": b"x" for i in range(12)})
    with zipfile.ZipFile(zpath) as zf, pytest.raises(LimitError, match="member count is 12"):
        check_zip(zpath, zf, ZipLimits(max_members=10))
    deep = _zip(tmp_path / "deep.zip", {"result.json": SAMPLE.read_bytes(), "a/" * 70 + "x": b""})
    with pytest.raises(LimitError, match="path depth is 70"):
        tgarchive.load(deep)


def test_corrupt_member_page_costs_only_that_page(tmp_path):
    """A page whose compressed data is damaged is one issue; the other pages are read."""
    pages = {p.name: p.read_bytes() for p in sorted(TWIN.glob("messages*.html"))}
    zpath = _zip(tmp_path / "html.zip", pages)
    data = bytearray(zpath.read_bytes())
    with zipfile.ZipFile(zpath) as zf:
        info = zf.getinfo("messages2.html")
    start = info.header_offset + 30 + len(info.filename) + 200
    data[start : start + 64] = bytes(64)
    zpath.write_bytes(bytes(data))
    with pytest.warns(tgarchive.ParseWarning, match="corrupt zip member"):
        archive = tgarchive.load(zpath)
    assert [p.id for p in archive.posts] == [*range(1, 26), *range(51, 61)]
    (issue,) = archive.issues
    assert issue.location.file is not None and issue.location.file.endswith("!messages2.html")
    with pytest.raises(ParseError, match="corrupt zip member"):
        tgarchive.load(zpath, strict=True)


def test_encrypted_member_is_a_parse_error(tmp_path):
    """An encrypted member (no password can be given) is a clear error, not a RuntimeError."""
    zpath = _zip(tmp_path / "enc.zip", {"messages.html": (TWIN / "messages.html").read_bytes()})
    data = bytearray(zpath.read_bytes())
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        data[at + flag_at] |= 1  # the "encrypted" bit
    zpath.write_bytes(bytes(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        with pytest.raises(TgArchiveError):
            tgarchive.load(zpath, format="desktop-html", strict=True)


def test_garbage_zips_raise_only_library_errors(tmp_path):
    """Zips damaged byte by byte (a fixed seed) give archives or TgArchiveErrors, nothing else."""
    import random

    rng = random.Random(10)
    good = _zip(tmp_path / "g.zip", {"result.json": SAMPLE.read_bytes(),
                                     "messages.html": (TWIN / "messages.html").read_bytes()}).read_bytes()  # fmt: skip
    for i in range(150):
        data = bytearray(good)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            data[at : at + rng.randint(1, 4)] = bytes(rng.randrange(256) for _ in range(4))
        path = tmp_path / f"z{i}.zip"
        path.write_bytes(bytes(data))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", tgarchive.ParseWarning)
            with contextlib.suppress(TgArchiveError):
                tgarchive.load(path)
