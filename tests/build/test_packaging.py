"""The package installs whole: a wheel built from the tracked files holds every figure, scene and data file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from throwaway_figures import ROOT


def tracked_tree(dest: Path) -> Path:
    """The files git tracks, as they are in the working tree: what a clean clone of this state holds."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, names.decode().split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    tree = tracked_tree(tmp_path_factory.mktemp("clone"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(tree)], check=True, capture_output=True)
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_holds_every_module_of_figures_src_and_attention_ref(wheel):
    names = set(wheel.namelist())
    for package in ("attention_ref", "figures_src"):
        for path in (ROOT / package).rglob("*.py"):
            if "__pycache__" not in path.parts:
                assert path.relative_to(ROOT).as_posix() in names, f"{path.relative_to(ROOT)} is not in the wheel"


def test_the_wheel_holds_every_figure_and_scene(wheel):
    names = set(wheel.namelist())
    figures = sorted(p.name for p in (ROOT / "figures_src" / "figures").glob("[!_]*.py"))
    scenes = sorted(p.name for p in (ROOT / "figures_src" / "scenes").glob("[!_]*.py"))
    assert len(figures) > 20 and len(scenes) > 5
    assert {f"figures_src/figures/{n}" for n in figures} <= names
    assert {f"figures_src/scenes/{n}" for n in scenes} <= names


def test_the_wheel_holds_the_examples_and_the_trained_model(wheel):
    names = set(wheel.namelist())
    assert {"attention_ref/examples.toml", "attention_ref/model/tiny.npz", "attention_ref/model/manifest.json"} <= names
    assert wheel.read("attention_ref/examples.toml") == (ROOT / "attention_ref" / "examples.toml").read_bytes()


def test_generated_folders_are_ignored_only_at_the_root():
    ignored = (ROOT / ".gitignore").read_text().split()
    for folder in ("site", "build", "dist", "media"):
        assert f"/{folder}/" in ignored and f"{folder}/" not in ignored, folder
    for inner in ("figures_src/build/run.py", "figures_src/site/embed.py", "figures_src/site/new.py"):
        check = subprocess.run(["git", "check-ignore", "-q", inner], cwd=ROOT)
        assert check.returncode == 1, f"{inner}: a subpackage named build/ or site/ would never be committed"
    assert subprocess.run(["git", "check-ignore", "-q", "site/index.html"], cwd=ROOT).returncode == 0
