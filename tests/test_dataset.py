"""Many exports into one hive-partitioned Parquet dataset: tgarchive.dataset.convert_many."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

import pyarrow.parquet as pq

import tgarchive
from tgarchive import dataset, tables
from tgarchive.dataset import (
    MANIFEST_NAME,
    NULL_PARTITION,
    arrow_dataset,
    convert_many,
    expand_sources,
    read_manifest,
)

from .conftest import FIXTURES, corpus_dir
from .scale_corpus import canonical, expected, rewrite_channel, write_corpus

HTML_TWIN = FIXTURES / "equivalence" / "generated"


def dataset_rows(out: Path, table: tables.TableName = "posts") -> list[str]:
    """The canonical rows of one table of a converted dataset, in the table's own columns."""
    arrow = arrow_dataset(out, table).to_table().select(tables.column_names(table))
    return canonical(arrow.to_pylist(maps_as_pydicts="strict"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Five generated channels: three export folders, one zip, one bare result.json."""
    root = tmp_path_factory.mktemp("corpus")
    made = write_corpus(root / "exports", 5, 120)
    with zipfile.ZipFile(root / "exports" / "channel4.zip", "w") as zf:
        zf.write(made[3] / "result.json", "ChatExport_00004/result.json")
    shutil.rmtree(made[3])
    bare = root / "exports" / "channel5.json"
    shutil.move(made[4] / "result.json", bare)
    shutil.rmtree(made[4])
    return [*made[:3], root / "exports" / "channel4.zip", bare]


def copy_corpus(corpus: list[Path], tmp_path: Path) -> list[Path]:
    """A private copy of the corpus (for tests that change exports)."""
    target = tmp_path / "exports"
    shutil.copytree(corpus[0].parent, target)
    return [target / p.name for p in corpus]


def test_every_table_equals_a_plain_loop(corpus, tmp_path):
    """Folders, a zip and a bare JSON become one dataset whose four tables hold exactly the
    rows a plain loop over the exports gives."""
    result = convert_many(corpus, tmp_path / "ds")
    assert [len(result.converted), len(result.skipped), len(result.failed)] == [5, 0, 0]
    assert result.posts == 5 * 120
    for table in tables.TABLES:
        assert dataset_rows(tmp_path / "ds", table) == expected(corpus, table), table


def test_hive_layout_chat_and_month_folders(corpus, tmp_path):
    """Each file sits under chat_id=<its chat>/month=<the UTC month of every post in it>,
    holds no chat_id column, and has the file schema."""
    convert_many(corpus, tmp_path / "ds")
    files = sorted((tmp_path / "ds" / "posts").rglob("*.parquet"))
    chats = {c.id for src in corpus for c in tgarchive.load(src).chats}
    assert {f.parent.parent.name for f in files} == {f"chat_id={c}" for c in chats}
    months = set()
    for f in files:
        match = re.fullmatch(r"month=(\d{4}-\d{2})", f.parent.name)
        assert match, f
        table = pq.read_table(f)
        assert table.schema.equals(dataset.file_schema("posts"), check_metadata=False)
        assert {d.strftime("%Y-%m") for d in table.column("date").to_pylist()} == {match[1]}
        months.add(match[1])
    assert len(months) >= 3  # the generated channels start at different dates


def test_two_jobs_write_the_same_dataset_as_one(corpus, tmp_path):
    """jobs=2 (worker processes) writes the same files with the same rows as jobs=1."""
    one = convert_many(corpus, tmp_path / "one", jobs=1)
    two = convert_many(corpus, tmp_path / "two", jobs=2)
    assert sorted(e.source for e in two.converted) == sorted(e.source for e in one.converted)
    for table in tables.TABLES:
        assert dataset_rows(tmp_path / "two", table) == dataset_rows(tmp_path / "one", table)
    files = lambda root: sorted(p.relative_to(root) for p in root.rglob("*.parquet"))  # noqa: E731
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_manifest_records_each_export(corpus, tmp_path):
    """The manifest says, per export, its size, SHA-256, format, chats, post count and files."""
    convert_many(corpus, tmp_path / "ds", jobs=2)
    manifest = read_manifest(tmp_path / "ds")
    assert sorted(manifest) == sorted(str(p.resolve()) for p in corpus)
    zipped = manifest[str(corpus[3].resolve())]
    assert zipped.status == "converted" and zipped.format == "desktop-json"
    assert zipped.size == corpus[3].stat().st_size
    digest = hashlib.sha256(corpus[3].name.encode() + b"\0" + corpus[3].read_bytes())
    assert zipped.sha256 == digest.hexdigest()
    name = tgarchive.load(corpus[3]).chats[0].name
    assert zipped.chats == [
        {"id": tgarchive.load(corpus[3]).chats[0].id, "name": name, "posts": 120}
    ]
    assert zipped.posts == 120 and zipped.error is None and zipped.issue_count == 0
    assert all((tmp_path / "ds" / f).is_file() for f in zipped.files)
    lines = (tmp_path / "ds" / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and all(json.loads(line)["status"] == "converted" for line in lines)


def test_rerun_skips_unchanged_and_redoes_changed(corpus, tmp_path):
    """A rerun skips every unchanged export without writing; a touched but identical export
    is skipped by its hash; a changed one is converted again, its old files replaced."""
    exports = copy_corpus(corpus, tmp_path)
    out = tmp_path / "ds"
    convert_many(exports, out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    again = convert_many(exports, out, jobs=2)
    assert (len(again.converted), len(again.skipped)) == (0, 5)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == stamps

    os.utime(exports[4], ns=(1, 10**18))  # same bytes, new modification time
    touched = convert_many(exports, out)
    assert [e.source for e in touched.skipped if e.source == str(exports[4])] == [str(exports[4])]
    assert read_manifest(out)[str(exports[4])].mtime_ns == 10**18
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == stamps

    # A new export of channel 1 that is three times as long reaches later months.
    first = read_manifest(out)[str(exports[0])]
    rewrite_channel(exports[0], 0, 360)
    redone = convert_many(exports, out, jobs=2)
    assert [e.source for e in redone.converted] == [str(exports[0])]
    assert len(redone.skipped) == 4
    entry = read_manifest(out)[str(exports[0])]
    assert entry.posts == 360 and entry.sha256 != first.sha256
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob(f"part-{entry.key}-*.parquet")}
    assert on_disk == set(entry.files)
    assert dataset_rows(out) == expected(exports)


def test_a_failing_export_is_recorded_and_the_others_go_on(corpus, tmp_path):
    """A broken export is recorded as failed with the reason, the others are converted, and
    a rerun retries it (and converts it once it is fixed)."""
    exports = copy_corpus(corpus, tmp_path)
    broken = tmp_path / "exports" / "broken.json"
    broken.write_text('{"hello": "not a Telegram export"}', encoding="utf-8")
    not_export = tmp_path / "exports" / "notes.zip"
    not_export.write_bytes(b"not a zip at all")
    sources = [*exports, broken, not_export]
    result = convert_many(sources, tmp_path / "ds", jobs=2)
    assert sorted(e.source for e in result.failed) == sorted([str(broken), str(not_export)])
    assert len(result.converted) == 5
    failed = read_manifest(tmp_path / "ds")[str(broken)]
    assert (
        failed.status == "failed" and failed.files == [] and "broken.json" in (failed.error or "")
    )
    assert dataset_rows(tmp_path / "ds") == expected(exports)
    assert not (tmp_path / "ds" / "_staging").exists()

    again = convert_many(sources, tmp_path / "ds")
    assert len(again.failed) == 2 and len(again.skipped) == 5
    shutil.copy(exports[4], broken)  # fixed: now a (second) copy of channel 5
    fixed = convert_many(sources, tmp_path / "ds")
    assert [e.source for e in fixed.converted] == [str(broken)]
    assert read_manifest(tmp_path / "ds")[str(broken)].status == "converted"


def test_progress_covers_the_whole_job(corpus, tmp_path):
    """One progress callback sees the job advance to every export, byte and post."""
    seen: list[dataset.JobProgress] = []
    convert_many(corpus, tmp_path / "ds", jobs=2, progress=seen.append)
    last = seen[-1]
    assert (last.sources, last.done, last.converted, last.failed) == (5, 5, 5, 0)
    assert (
        last.bytes_done
        == last.bytes_total
        == sum(sum(f.stat().st_size for f in dataset._export_files(p)) for p in corpus)
    )
    assert last.posts == 600
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    again: list[dataset.JobProgress] = []
    convert_many(corpus, tmp_path / "ds", progress=again.append)
    assert (again[-1].skipped, again[-1].done, again[-1].bytes_done) == (5, 5, last.bytes_total)


def test_a_cut_manifest_line_is_ignored(corpus, tmp_path):
    """A manifest line cut short by a killed job is ignored, so that export is redone."""
    out = tmp_path / "ds"
    convert_many(corpus[:2], out)
    manifest = out / MANIFEST_NAME
    lines = manifest.read_text(encoding="utf-8").splitlines()
    manifest.write_text(lines[0] + "\n" + lines[1][: len(lines[1]) // 2], encoding="utf-8")
    assert list(read_manifest(out)) == [json.loads(lines[0])["source"]]
    rerun = convert_many(corpus[:2], out)
    assert (len(rerun.converted), len(rerun.skipped)) == (1, 1)
    assert dataset_rows(out) == expected(corpus[:2])


def test_html_export_without_chat_id_goes_to_the_null_partition(tmp_path):
    """An HTML export (no chat id) lands under chat_id=__HIVE_DEFAULT_PARTITION__ and reads
    back with a null chat_id."""
    convert_many([HTML_TWIN / "messages.html"], tmp_path / "ds")
    folders = {p.parent.parent.name for p in (tmp_path / "ds" / "posts").rglob("*.parquet")}
    assert folders == {f"chat_id={NULL_PARTITION}"}
    assert dataset_rows(tmp_path / "ds") == expected([HTML_TWIN / "messages.html"])


def test_expand_sources_globs_folders_and_errors(corpus, tmp_path):
    """Globs and folders of exports expand to each export once; a pattern that matches
    nothing and a folder without exports raise."""
    folder = corpus[0].parent
    found = expand_sources([folder, str(folder / "Chat*"), corpus[0]])
    assert found == [p.resolve() for p in corpus]
    assert expand_sources([str(folder / "**" / "result.json")]) == [
        (p / "result.json").resolve() for p in corpus[:3]
    ]
    with pytest.raises(FileNotFoundError, match="no file or folder matches"):
        expand_sources([str(tmp_path / "nothing-*")])
    with pytest.raises(FileNotFoundError, match="no such file"):
        expand_sources([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(tgarchive.TgArchiveError, match="no Telegram export"):
        expand_sources([tmp_path / "empty"])
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        convert_many(corpus, tmp_path / "ds", jobs=0)


def test_real_corpus_exports_convert_row_for_row(tmp_path):
    """The real JSON and HTML exports of the shared corpus convert into one dataset equal,
    table by table, to a plain loop over them."""
    sources = [corpus_dir("desktop-json", "salaf"), corpus_dir("desktop-html", "salaf"),
               corpus_dir("desktop-html", "civil")]  # fmt: skip
    result = convert_many(sources, tmp_path / "ds", jobs=2)
    assert not result.failed and len(result.converted) == 3
    for table in tables.TABLES:
        assert dataset_rows(tmp_path / "ds", table) == expected(sources, table), table


def test_cli_convert_jobs_writes_the_dataset(corpus, tmp_path, capsys):
    """`tgarchive convert SRC... -o DIR --to parquet --jobs 2` writes the dataset, and a
    rerun skips every unchanged export."""
    from tgarchive.cli import main

    args = [
        "convert",
        *map(str, corpus),
        "-o",
        str(tmp_path / "ds"),
        "--to",
        "parquet",
        "--jobs",
        "2",
    ]
    assert main(args) == 0
    assert dataset_rows(tmp_path / "ds") == expected(corpus)
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "(5 unchanged, 0 failed)" in captured.err + captured.out
