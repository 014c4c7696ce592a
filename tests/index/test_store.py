import logging

import numpy as np
import pytest

from index import store
from index.banks import load_bank
from index.cache import EmbeddingCache
from index.encoders import FakeEncoder
from index.errors import InterviewError
from tests.conftest import DATA


@pytest.fixture
def bank():
    return load_bank(DATA / "mini.md")


def test_units_cover_what_grading_and_retrieval_need(bank):
    kinds = {}
    for u in store.units_for([bank]):
        kinds.setdefault(u.kind, set()).add(u.question_id)
    assert kinds["question"] == {"mini/1", "mini/1-1", "mini/2", "mini/3"}
    assert kinds["reference"] == kinds["point"] == {"mini/1", "mini/1-1", "mini/2"}  # not the unanswered one
    assert kinds["misconception"] == kinds["correction"] == {"mini/1"}


def test_save_load_roundtrip_and_manifest(bank, tmp_path):
    enc = FakeEncoder(16)
    idx = store.build([bank], enc, EmbeddingCache(None))
    store.save(idx, tmp_path)
    m = idx.manifest
    assert (m["encoder"], m["dim"], m["count"], m["format_version"]) == ("fake:16", 16, len(idx.units), store.FORMAT_VERSION)
    again = store.load(tmp_path, enc)
    assert again.units == idx.units and np.array_equal(again.vectors, idx.vectors)
    assert again.manifest["content_hash"] == m["content_hash"]
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind
    q = enc.encode(["What does a GPU speed up?"])[0]
    row, score = again.search(q, k=1)[0]
    assert again.units[row].question_id == "mini/2" and score > 0.99


def test_mismatched_encoder_is_refused_naming_both(bank, tmp_path):
    store.save(store.build([bank], FakeEncoder(16), EmbeddingCache(None)), tmp_path)
    with pytest.raises(InterviewError, match=r"built with encoder 'fake:16', not 'fake:32'"):
        store.load(tmp_path, FakeEncoder(32))


def test_content_change_rebuilds_and_reembeds_only_what_changed(tmp_path):
    src = (DATA / "mini.md").read_text(encoding="utf-8")
    f = tmp_path / "mini.md"
    f.write_text(src, encoding="utf-8")
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    enc = FakeEncoder(16)
    first = store.open_index([load_bank(f)], enc, tmp_path / "idx", cache)
    n = cache.misses
    assert n == len(first.units)
    f.write_text(
        src.replace("high memory bandwidth", "x").replace("Memory bandwidth of GPUs is high.", "GPUs have fast memory."), encoding="utf-8"
    )
    second = store.open_index([load_bank(f)], enc, tmp_path / "idx", cache)
    assert second.manifest["content_hash"] != first.manifest["content_hash"]
    assert cache.misses - n == 1  # only the edited key point was embedded again
    assert "GPUs have fast memory." in second.texts_of("mini/2", "point")
    third = store.open_index([load_bank(f)], enc, tmp_path / "idx", cache)
    assert cache.misses - n == 1 and third.manifest["content_hash"] == second.manifest["content_hash"]


@pytest.mark.parametrize("victim", ["index.faiss", "vectors.npy", "units.json", "manifest.json"])
def test_corrupt_or_truncated_index_is_detected_and_rebuilt(bank, tmp_path, victim, caplog):
    cache = EmbeddingCache(None)
    enc = FakeEncoder(16)
    store.open_index([bank], enc, tmp_path, cache)
    path = tmp_path / victim
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with caplog.at_level(logging.WARNING, logger="interview.index"):
        assert store.load(tmp_path, enc) is None
        idx = store.open_index([bank], enc, tmp_path, cache)
    assert "rebuilding" in caplog.text
    assert store.load(tmp_path, enc) is not None and len(idx.units) == len(store.units_for([bank]))


def test_crash_before_manifest_leaves_an_index_that_is_not_used(bank, tmp_path, monkeypatch):
    enc = FakeEncoder(16)
    store.open_index([bank], enc, tmp_path, EmbeddingCache(None))
    real = store.write_atomic

    def crash_on_manifest(path, data):
        if path.name == "manifest.json":
            raise KeyboardInterrupt  # the process dies between the data files and the manifest
        return real(path, data)

    monkeypatch.setattr(store, "write_atomic", crash_on_manifest)
    with pytest.raises(KeyboardInterrupt):
        store.save(store.build([bank], enc, EmbeddingCache(None)), tmp_path)
    monkeypatch.undo()
    assert store.load(tmp_path, enc) is None


def test_hnsw_above_threshold_finds_the_same_nearest(bank, monkeypatch):
    enc = FakeEncoder(16)
    flat = store.build([bank], enc, EmbeddingCache(None))
    monkeypatch.setattr(store, "ANN_THRESHOLD", 1)
    ann = store.build([bank], enc, EmbeddingCache(None))
    assert ann.manifest["ann"] == "hnsw" and type(ann.faiss).__name__ == "IndexHNSWFlat"
    for text in ["What is overfitting?", "GPUs run many arithmetic operations in parallel."]:
        q = enc.encode([text])[0]
        assert ann.search(q, 1)[0][0] == flat.search(q, 1)[0][0]
