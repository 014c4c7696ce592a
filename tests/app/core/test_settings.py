import json
import os
import subprocess
import sys

from app.core import fitted
from app.core.settings import ENVIRONMENT, Settings, configure_environment
from tests.conftest import ROOT


def test_configure_environment_sets_what_is_missing_and_keeps_the_users_values():
    env = {"OPENBLAS_NUM_THREADS": "4"}
    configure_environment(env)
    assert env["OPENBLAS_NUM_THREADS"] == "4"  # the user's choice wins
    assert env["HF_HUB_OFFLINE"] == "1" and env["GRADIO_ANALYTICS_ENABLED"] == "False"
    assert set(ENVIRONMENT) <= set(env)


def test_importing_the_packages_changes_no_environment_and_the_cli_loads_no_numpy():
    code = (
        "import os, sys; before = dict(os.environ); import index, app, app.cli, eval; "
        "print(dict(os.environ) == before, 'numpy' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "False"], out.stderr


def test_a_trained_model_under_the_data_root_replaces_the_packages_entry(tmp_path):
    package = tmp_path / "pkg" / "grader.json"
    package.parent.mkdir()
    package.write_text(json.dumps({"e5": {"v": "shipped"}, "other": {"v": "shipped"}}), encoding="utf-8")
    models = Settings(home=tmp_path / "home").models_dir
    assert fitted.read(package, models) == {"e5": {"v": "shipped"}, "other": {"v": "shipped"}}
    written = fitted.write(models / "grader.json", "e5", {"v": "trained"})
    assert written == models / "grader.json"
    assert fitted.read(package, models) == {"e5": {"v": "trained"}, "other": {"v": "shipped"}}
    assert json.loads(package.read_text(encoding="utf-8"))["e5"] == {"v": "shipped"}  # the package is never written
