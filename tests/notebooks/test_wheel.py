"""The wheel the site serves for the downloaded notebooks, and the install cell each download starts with.

Fast: the wheel is a zip written in a few tens of milliseconds. That the
notebooks really run from it, in a fresh Python, is test_fresh_venv.py (slow).
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import os
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest

from figures_src.notebooks import download, execute, wheel

ROOT = Path(__file__).resolve().parents[2]
TREE = ("attention_ref", "figures_src", "docs/notebooks", "tests/golden", "pyproject.toml")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return wheel.cached_wheel(cache=tmp_path_factory.mktemp("wheels"))


def names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def copy_tree(dest: Path) -> Path:
    """The files the wheel is made from, copied (with new mtimes) into `dest`."""
    for rel in TREE:
        src = ROOT / rel
        if src.is_dir():
            shutil.copytree(src, dest / rel, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(src, dest / rel)
    for p in dest.rglob("*"):
        os.utime(p, (1_000_000_000, 1_000_000_000))
    return dest


def test_the_name_is_a_pure_python_wheel_of_the_projects_version():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert wheel.wheel_name() == f"self_attention_visually-{version}-py3-none-any.whl"


def test_it_holds_attention_ref_whole_with_its_package_data(built):
    inside = set(names(built))
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "attention_ref").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert modules <= inside
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for pattern in data["tool"]["setuptools"]["package-data"]["attention_ref"]:
        found = {p.relative_to(ROOT).as_posix() for p in (ROOT / "attention_ref").glob(pattern)}
        assert found and found <= inside, pattern
    model = {"attention_ref/model/tiny.npz", "attention_ref/model/manifest.json"}
    assert {"attention_ref/examples.toml", *model} <= inside
    assert {"attention_ref/golden/sdpa.npz", "attention_ref/golden/mha.npz"} <= inside, "check-against-pytorch"


def _figure_imports(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("figures_src"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("figures_src"))
    return found


def test_it_holds_every_figures_src_module_the_notebooks_import_and_no_manim(built):
    inside = set(names(built))
    shipped = {n[:-3].replace("/", ".").removesuffix(".__init__") for n in inside if n.endswith(".py")}
    for nb in execute.discover().values():
        for module in _figure_imports(nb.text):
            is_module = (ROOT / (module.replace(".", "/") + ".py")).is_file()
            if is_module or (ROOT / module.replace(".", "/")).is_dir():
                assert module in shipped, f"{nb.name} imports {module}"
    with zipfile.ZipFile(built) as z:
        for name in (n for n in inside if n.endswith(".py")):
            tree = ast.parse(z.read(name))
            imported = {a.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                        for a in node.names}
            imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                         if isinstance(node, ast.ImportFrom) and not node.level}
            assert not imported & {"manim", "mkdocs", "av", "torch"}, f"{name} imports {imported}"
    assert "figures_src/kit/scene.py" not in inside and "figures_src/build/__init__.py" not in inside


def test_record_metadata_and_wheel_files_are_correct(built):
    with zipfile.ZipFile(built) as z:
        listed = z.namelist()
        info = "self_attention_visually-" + wheel.version() + ".dist-info"
        assert listed[-1] == f"{info}/RECORD", "RECORD comes last"
        assert listed == sorted(listed[:-4]) + [f"{info}/{n}" for n in ("METADATA", "WHEEL", "top_level.txt", "RECORD")]
        rows = [line.split(",") for line in z.read(f"{info}/RECORD").decode().splitlines()]
        assert [r[0] for r in rows] == listed
        for name, digest, size in rows[:-1]:
            blob = z.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(blob).digest()).rstrip(b"=").decode()
            assert digest == f"sha256={expected}" and int(size) == len(blob), name
        assert rows[-1] == [f"{info}/RECORD", "", ""]
        metadata = z.read(f"{info}/METADATA").decode()
        assert "Name: self-attention-visually\n" in metadata and f"Version: {wheel.version()}\n" in metadata
        requires = [line.split(": ", 1)[1] for line in metadata.splitlines() if line.startswith("Requires-Dist")]
        assert [r.split(">")[0] for r in requires] == ["numpy", "matplotlib"]
        assert "Tag: py3-none-any\n" in z.read(f"{info}/WHEEL").decode()
        for zi in z.infolist():
            assert zi.date_time == (1980, 1, 1, 0, 0, 0) and zi.external_attr == 0o644 << 16, zi.filename


def test_the_same_sources_give_the_same_bytes_whatever_their_mtimes(built, tmp_path):
    copy = copy_tree(tmp_path / "tree")
    other = wheel.write_wheel(tmp_path / "w.whl", root=copy)
    assert other.read_bytes() == built.read_bytes()


def test_the_cache_writes_once_per_content(tmp_path):
    tree = copy_tree(tmp_path / "tree")
    cache = tmp_path / "cache"
    first = wheel.cached_wheel(tree, cache)
    stamp = first.stat().st_mtime_ns
    assert wheel.cached_wheel(tree, cache) == first and first.stat().st_mtime_ns >= stamp
    assert len(list(cache.glob("*.whl"))) == 1
    (tree / "attention_ref" / "softmax.py").write_text("# changed\n", encoding="utf-8")
    second = wheel.cached_wheel(tree, cache)
    assert second != first and second.is_file()
    with zipfile.ZipFile(second) as z:
        assert z.read("attention_ref/softmax.py") == b"# changed\n"


def test_a_package_data_pattern_that_matches_nothing_is_an_error(tmp_path):
    tree = copy_tree(tmp_path / "tree")
    (tree / "attention_ref" / "examples.toml").unlink()
    with pytest.raises(wheel.WheelError, match=r"package-data 'attention_ref' pattern 'examples.toml' matches no file"):
        wheel.entries(tree)


def test_a_notebook_importing_a_missing_module_is_an_error(tmp_path):
    tree = copy_tree(tmp_path / "tree")
    (tree / "docs" / "notebooks" / "extra.py").write_text("from figures_src.kit import nothing_here\n"
                                                         "import figures_src.nowhere\n", encoding="utf-8")
    with pytest.raises(wheel.WheelError, match=r"extra.py: imports figures_src.nowhere, which is not a module"):
        wheel.entries(tree)


# --------------------------------------------------------------------------- the downloaded notebook

NAME = "self_attention_visually-1.0-py3-none-any.whl"


def notebook_bytes() -> bytes:
    nb = {"cells": [{"cell_type": "code", "execution_count": 1, "id": "cell-1", "metadata": {},
                     "outputs": [], "source": ["import numpy as np\n", "x = 1"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return (json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()


def test_a_local_build_says_to_download_the_wheel_and_names_no_url():
    out = json.loads(download.downloaded(notebook_bytes(), NAME))
    first = out["cells"][0]
    source = "".join(first["source"])
    assert first["cell_type"] == "code" and first["outputs"] == [] and first["execution_count"] is None
    pip = [line for line in source.splitlines() if "pip" in line and not line.startswith("#")]
    assert pip == [f"%pip install numpy matplotlib ./{NAME}"], "one %pip line"
    assert "download the wheel from this notebook's page" in source and NAME in source
    assert "http" not in source


def test_with_the_sites_address_the_line_names_the_wheels_url():
    url = download.absolute_url("https://teach.example/sav/2.0/", f"downloads/{NAME}")
    assert url == f"https://teach.example/sav/2.0/downloads/{NAME}"
    assert download.absolute_url("https://teach.example/sav", "downloads/x.whl") == "https://teach.example/sav/downloads/x.whl"
    assert download.absolute_url(None, "downloads/x.whl") is None and download.absolute_url("", "x") is None
    source = "".join(json.loads(download.downloaded(notebook_bytes(), NAME, url))["cells"][0]["source"])
    assert source.splitlines()[-1] == f"%pip install numpy matplotlib {url}"
    assert "download the wheel" not in source


def test_the_rest_of_the_notebook_is_untouched():
    original = notebook_bytes()
    out = json.loads(download.downloaded(original, NAME))
    assert out["cells"][1:] == json.loads(original)["cells"]
    del out["cells"][0]
    assert (json.dumps(out, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode() == original
