"""tgarchive.dask: lazy dask DataFrames of exports and of converted datasets."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import pandas as pd

import tgarchive.dask as tgdask
from tgarchive import tables
from tgarchive._split import Piece, piece_stream
from tgarchive.dataset import convert_many

from .scale_corpus import rewrite_channel, stream, write_corpus


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """Four generated channel exports."""
    return write_corpus(tmp_path_factory.mktemp("dask") / "exports", 4, 150)


def test_read_posts_equals_to_pandas_of_a_plain_loop(exports):
    """Every table, whole or split into small pieces, equals to_pandas over a plain loop."""
    for table in tables.TABLES:
        want = tables.to_pandas(stream(exports), table)
        for blocksize in (None, 40_000):
            got = tgdask.read_posts(exports, table=table, blocksize=blocksize)
            frame = got.compute(scheduler="sync").reset_index(drop=True)
            pd.testing.assert_frame_equal(frame, want)
    assert tgdask.read_posts(exports, blocksize=40_000).npartitions > len(exports)


def test_pieces_of_one_file_give_its_posts_in_order(exports):
    """The pieces of one result.json, read in turn, give exactly the posts of the file."""
    import tgarchive

    path = exports[0] / "result.json"
    whole = [p.model_dump() for p in tgarchive.iter_posts(path)]
    for count in (1, 2, 7, 300):
        got = []
        for index in range(count):
            target, has_rows = piece_stream(Piece(str(exports[0]), index, count))
            if has_rows:
                got += [p.model_dump() for p in tgarchive.iter_posts(target)]
        assert got == whole, count


def test_read_posts_is_lazy(exports, tmp_path):
    """Nothing is read when the frame is built: a later change of the export shows up."""
    copy = tmp_path / "one"
    shutil.copytree(exports[0], copy)
    frame = tgdask.read_posts([copy])
    rewrite_channel(copy, 0, 20)
    assert len(frame.compute(scheduler="sync")) == 20


@pytest.mark.cluster
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")  # inside distributed
def test_on_a_local_cluster_groupby_matches_the_loop(exports, tmp_path):
    """On a 2-worker LocalCluster, posts per chat from the exports and from the converted
    dataset equal the counts of a plain loop."""
    from distributed import Client, LocalCluster

    convert_many(exports, tmp_path / "ds", jobs=2)
    want = tables.to_pandas(stream(exports)).groupby("chat_id").size()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0", scheduler_port=0) as cluster, Client(cluster):  # fmt: skip
        got = tgdask.read_posts(exports).groupby("chat_id").size().compute()
        pd.testing.assert_series_equal(got.sort_index(), want.sort_index())
        parquet = tgdask.read_parquet(tmp_path / "ds")
        got2 = parquet.groupby("chat_id").size().compute()
        pd.testing.assert_series_equal(got2.sort_index(), want.sort_index())
        assert list(parquet.columns) == tables.column_names("posts")
