import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CIRCUITSMITH_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "datasets").is_dir():
        pytest.skip(f"shared datasets not found at {SHARED} (set CIRCUITSMITH_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def library(tmp_path_factory):
    from knowledge.library import Library

    # loaded before any test's own home is set: its caches go to the same temp home, never the developer's
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CIRCUITSMITH_HOME", str(tmp_path_factory.getbasetemp() / "circuitsmith-home"))
        return Library.default()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """User records, caches and chat threads go to a temp folder, never the developer's home."""
    home = tmp_path_factory.getbasetemp() / "circuitsmith-home"
    monkeypatch.setenv("CIRCUITSMITH_HOME", str(home))
