"""Every downloaded notebook runs in a fresh Python: nothing but what its first cell installs.

The notebooks are exactly what a local build serves (no site address: the
first cell installs the wheel from the notebook's folder): the executed
notebook of figures_src.notebooks with the install cell of
figures_src.notebooks.download, beside the wheel of figures_src.notebooks.wheel.
A virtual environment is made in a temporary folder outside the checkout
(`python -m venv`, no system site packages) with only ipykernel and nbclient;
each notebook is executed there, its own first cell (`%pip install numpy
matplotlib ./<wheel>`) included, in a kernel of that environment, with the
working directory outside the checkout and PYTHONPATH unset, so nothing
of the checkout can be imported. A file missing from the wheel fails a cell.

Marked slow: it makes a venv and installs into it (two to three minutes on
a busy two-core machine with pip's cache warm, most of it pip and the first
matplotlib import). Skipped, saying so, only when the package registry cannot
be reached. The last test ties this to the real build: the site built once
per session serves exactly these notebooks (but for the wheel's address) and
this wheel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from figures_src.notebooks import download, execute, wheel

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# pip's words when it cannot reach the registry (as opposed to a package that does not install).
UNREACHABLE = re.compile(
    r"NewConnectionError|Network is unreachable|Temporary failure in name resolution|"
    r"Failed to establish a new connection|Max retries exceeded|ConnectTimeout|ReadTimeout|"
    r"No matching distribution found for (ipykernel|nbclient)",
    re.I,
)
# Variables that could let the checkout or the project's environment leak into the fresh one.
LEAKS = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV", "ATTENTION_EXAMPLES",
         "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "IPYTHONDIR")

# Runs inside the fresh environment: executes each notebook in a kernel of that Python only.
DRIVER = r'''
import json, sys
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


class ThisPython(NotebookClient):
    def create_kernel_manager(self):
        specs = KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)  # this venv's python only
        self.km = self.kernel_manager_class(kernel_name="python3", kernel_spec_manager=specs, config=self.config)
        return self.km


work = Path(sys.argv[1])
failures = {}
for path in sorted(work.glob("*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    try:
        ThisPython(nb, kernel_name="python3", timeout=600, startup_timeout=120,
                   resources={"metadata": {"path": str(work)}}).execute(cwd=str(work))
    except CellExecutionError as exc:
        failures[path.stem] = str(exc)[-3000:]
    nbformat.write(nb, path.with_suffix(".out.ipynb"))
print(json.dumps(failures))
'''


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LEAKS}
    # pip's cache of downloads stays the user's (that is what makes this fast); it holds no installed package.
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pip"
    env.setdefault("PIP_CACHE_DIR", str(cache))
    env["HOME"] = str(home)  # no ~/.local site packages, no user Jupyter kernels or configuration
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _pip(venv: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *args], env=env,
                          cwd=venv.parent, capture_output=True, text=True)


@pytest.fixture(scope="module")
def served() -> tuple[dict[str, bytes], Path]:
    """What a local build serves: each downloaded notebook's bytes, and the wheel."""
    results = execute.execute_all()  # the project's notebook cache, as the site build uses it
    name = wheel.wheel_name()
    notebooks = {n: download.downloaded(r.path.read_bytes(), name) for n, r in results.items()}
    return notebooks, wheel.cached_wheel()


def run_fresh(notebooks: dict[str, bytes], wheel_file: Path, wheel_name: str) -> tuple[dict, Path, dict]:
    """Execute the notebooks in a new venv outside the checkout; (failures by name, the work folder, env)."""
    tmp = Path(tempfile.mkdtemp(prefix="sav-fresh-venv-"))  # /tmp: outside the checkout
    assert ROOT not in tmp.resolve().parents
    venv, work, home = tmp / "venv", tmp / "work", tmp / "home"
    work.mkdir()
    home.mkdir()
    env = _clean_env(home)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, cwd=tmp)
    proc = _pip(venv, env, "ipykernel", "nbclient")
    if proc.returncode != 0:
        if UNREACHABLE.search(proc.stdout + proc.stderr):
            pytest.skip(f"the package registry cannot be reached: {(proc.stderr or proc.stdout).strip()[-300:]}")
        pytest.fail(f"pip install ipykernel nbclient failed:\n{proc.stdout}\n{proc.stderr}")
    for name, blob in notebooks.items():
        (work / f"{name}.ipynb").write_bytes(blob)
    shutil.copyfile(wheel_file, work / wheel_name)  # "download the wheel into the folder of this notebook"
    (tmp / "driver.py").write_text(DRIVER, encoding="utf-8")
    proc = subprocess.run([str(venv / "bin" / "python"), str(tmp / "driver.py"), str(work)], env=env, cwd=work,
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"the driver failed:\n{proc.stdout}\n{proc.stderr}"
    failures = json.loads(proc.stdout.strip().splitlines()[-1])
    return failures, work, {"venv": venv, "env": env, "tmp": tmp}


@pytest.fixture(scope="module")
def fresh(served):
    notebooks, wheel_file = served
    failures, work, ctx = run_fresh(notebooks, wheel_file, wheel.wheel_name())
    yield failures, work, ctx
    shutil.rmtree(ctx["tmp"], ignore_errors=True)


def test_every_downloaded_notebook_runs_in_a_fresh_venv(fresh, served):
    failures, work, _ = fresh
    assert set(served[0]) == set(execute.discover())
    assert not failures, "\n\n".join(f"{name}:\n{execute.ANSI.sub('', text)}" for name, text in failures.items())
    for name in served[0]:
        assert (work / f"{name}.out.ipynb").is_file(), name


def test_the_first_cell_installed_the_wheel_and_nothing_came_from_the_checkout(fresh):
    _, work, ctx = fresh
    first = json.loads((work / "from-scratch.out.ipynb").read_text(encoding="utf-8"))["cells"][0]
    assert first["id"] == download.CELL_ID and "%pip install numpy matplotlib ./" in "".join(first["source"])
    probe = ("import attention_ref, figures_src, numpy, matplotlib; "
             "print(attention_ref.__file__); print(figures_src.__file__)")
    proc = subprocess.run([str(ctx["venv"] / "bin" / "python"), "-c", probe], env=ctx["env"], cwd=work,
                          capture_output=True, text=True, check=True)
    for line in proc.stdout.split():
        path = Path(line).resolve()
        assert ctx["venv"].resolve() in path.parents, f"{line} is not from the fresh venv"
        assert ROOT not in path.parents


def test_the_numbers_are_the_ones_the_site_shows(fresh, served):
    """The focus word's weights, printed in the fresh venv, are those of the executed notebook on the site."""
    _, work, _ = fresh

    def tagged(nb: dict) -> str:
        cell = next(c for c in nb["cells"] if "focus-weights" in c.get("metadata", {}).get("tags", []))
        return "".join("".join(o.get("text", "")) for o in cell["outputs"] if o.get("output_type") == "stream")

    there = tagged(json.loads((work / "from-scratch.out.ipynb").read_text(encoding="utf-8")))
    here = tagged(json.loads(served[0]["from-scratch"]))
    assert there and there == here


def test_the_built_site_serves_exactly_these_notebooks_and_this_wheel(built_site, served):
    notebooks, wheel_file = served
    name = wheel.wheel_name()
    assert (built_site / "downloads" / name).read_bytes() == wheel_file.read_bytes()
    for nb_name, ours in notebooks.items():
        path = built_site / "notebooks" / nb_name / f"{nb_name}.ipynb"
        theirs = path.read_bytes()
        line = "".join(json.loads(theirs)["cells"][0]["source"]).splitlines()[-1]
        target = line.split()[-1]
        assert line.startswith("%pip install numpy matplotlib ") and target.endswith(name), line
        url = target if target.startswith(("http://", "https://")) else None
        assert theirs == (ours if url is None else download.downloaded(
            execute.execute_all([nb_name])[nb_name].path.read_bytes(), name, url)), path
