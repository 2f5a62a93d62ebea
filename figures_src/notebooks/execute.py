"""The notebooks: jupytext sources in docs/notebooks/, executed once per content change.

    execute_all(names=None, *, cache=None, force=False, jobs=None) -> dict[name, Path]

Each notebook is kept as a jupytext percent-format script, `docs/notebooks/<name>.py`
(a plain Python file: it diffs and reviews like code, and runs as a script).
To put it on the site it is converted to a notebook and executed with nbclient
in a fresh kernel of this Python, and the executed `.ipynb` (outputs included)
is stored in the cache:

    .cache/notebooks/<name>-<key>.ipynb     (NOTEBOOKS_CACHE moves the directory)

key = hash(the notebook's source, every source file of attention_ref/ and
figures_src/, the examples file's bytes, the golden files tests/golden/*.npz,
the Python and package versions that run it). Unchanged key: the stored file
is used as is, nothing runs. Changed key (a notebook, the math, a figure module
or the examples changed): that notebook runs again. The file is written to a
temporary name and renamed into place, so an interrupted build never leaves a
half-written notebook; the three most recently used versions of each
notebook are kept, older ones removed once unused for an hour.

A cell that raises stops that notebook with `NotebookError`, whose message
names the notebook, the cell (its number and its line in the .py file) and
the exception. Nothing is ever written into docs/: the kernel runs in a
temporary working directory.

This module knows nothing about MkDocs (the hook `figures_src/hooks/notebooks.py`
places the results on the site). Command line:

    python -m figures_src.notebooks [NAMES...] [--force] [--jobs N]   # execute, print where
    python -m figures_src.notebooks --list                            # name, key, cached?
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures as cf
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..core.files import atomic_write, prune, sha, touch
from ..core.paths import NOTEBOOK_CACHE as DEFAULT_CACHE
from ..core.paths import NOTEBOOKS as NOTEBOOKS_DIR
from ..core.paths import ROOT, display

PROTOCOL = "1"  # bump to re-execute every notebook
KERNEL = "python3"
CELL_TIMEOUT = 300  # seconds per cell; a cell that hangs fails the build instead of blocking it
KEEP_KEYS = 3  # executed versions kept per notebook (the most recently used), e.g. for two examples files
# Everything a notebook's output can depend on besides its own source and the examples file.
SOURCE_TREES = ("attention_ref", "figures_src")
DATA_FILES = ("tests/golden/*.npz",)  # read by check-against-pytorch
PACKAGES = ("numpy", "matplotlib", "ipykernel", "nbclient", "nbformat", "jupytext", "torch")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookError(Exception):
    """A notebook that could not be executed; the message names it and the failing cell."""


@dataclass(frozen=True)
class Notebook:
    name: str  # the file stem, e.g. "from-scratch"; also the page's URL segment
    source: Path  # docs/notebooks/<name>.py

    @property
    def text(self) -> str:
        return self.source.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- discovery


def discover(directory: Path | None = None) -> dict[str, Notebook]:
    """Every `*.py` in docs/notebooks/ (files starting with `_` excluded), by name."""
    directory = Path(directory or NOTEBOOKS_DIR)
    return {p.stem: Notebook(p.stem, p) for p in sorted(directory.glob("*.py")) if not p.name.startswith(("_", "."))}


# --------------------------------------------------------------------------- keys


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"  # e.g. torch: its presence changes what check-against-pytorch shows


def source_files(root: Path = ROOT) -> list[Path]:
    """The files whose bytes are part of every notebook's key (sorted, so the key is stable)."""
    files = [p for tree in SOURCE_TREES for p in (root / tree).rglob("*.py") if "__pycache__" not in p.parts]
    files += [p for pattern in DATA_FILES for p in root.glob(pattern)]
    return sorted(set(files))


def fingerprint(examples: str | os.PathLike | None = None, root: Path = ROOT) -> str:
    """Hash of everything the notebooks share: sources, examples file, golden data, versions."""
    from attention_ref.examples import examples_path

    ex = examples_path(examples)
    parts: list[bytes | str] = [PROTOCOL, KERNEL, sys.version]
    parts += [f"{name}={_version(name)}" for name in PACKAGES]
    for p in source_files(root):
        parts += [p.relative_to(root).as_posix(), p.read_bytes()]
    parts += ["examples", ex.read_bytes()]
    return sha(*parts)


def notebook_key(nb: Notebook, shared: str) -> str:
    return sha(nb.name, nb.text, shared)[:20]


def cache_path(nb: Notebook, key: str, cache: Path) -> Path:
    return Path(cache) / f"{nb.name}-{key}.ipynb"


# --------------------------------------------------------------------------- execution


def to_notebook(nb: Notebook):
    """The jupytext script as an nbformat notebook (no outputs yet), with the python3 kernel."""
    import jupytext

    notebook = jupytext.read(nb.source, fmt="py:percent")
    notebook.metadata.pop("jupytext", None)  # the download is a plain .ipynb, not paired with a script
    for i, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{i + 1}"  # not random: the same source gives the same file and page
    notebook.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    return notebook


def _client_class():
    """nbclient's NotebookClient, with the kernel always this Python (the project's .venv).

    A kernelspec named "python3" in the user's Jupyter folders would otherwise win over the
    one in .venv, and could start another Python without attention_ref.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient

    class ThisPythonClient(NotebookClient):
        def create_kernel_manager(self):
            # No kernel folders: only ipykernel's own spec, which runs sys.executable.
            specs = KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)
            self.km = self.kernel_manager_class(kernel_name=KERNEL, kernel_spec_manager=specs, config=self.config)
            return self.km

    return ThisPythonClient


async def _run(nb: Notebook, out: Path, environ: dict[str, str]) -> Path:
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = to_notebook(nb)
    with tempfile.TemporaryDirectory(prefix=f"notebook-{nb.name}-") as cwd:  # never the docs/ folder
        client = _client_class()(
            notebook,
            kernel_name=KERNEL,
            timeout=CELL_TIMEOUT,
            startup_timeout=120,
            allow_errors=False,
            record_timing=False,  # no timestamps: the same inputs give the same file
            resources={"metadata": {"path": cwd}},
        )
        log_path = Path(cwd) / "kernel-stderr.log"  # the kernel's own chatter; quoted if it dies
        try:
            with open(log_path, "wb") as log:
                await client.async_execute(cwd=cwd, env=environ, stderr=log)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            raise NotebookError(_describe_failure(nb, notebook, exc, _tail(log_path))) from None
        except Exception as exc:  # the kernel did not start, and the like
            raise NotebookError(
                f"notebook {nb.name} ({display(nb.source)}): could not execute: {type(exc).__name__}: {exc}"
                + _tail(log_path)
            ) from exc
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _coalesce_streams(cell.outputs)
    atomic_write(out, nbformat.writes(notebook) + "\n")
    return out


def _coalesce_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how a print is split depends on timing, not on the code."""
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and out.get("output_type") == "stream"
            and prev.get("output_type") == "stream"
            and prev.get("name") == out.get("name")
        ):
            prev["text"] = prev["text"] + out["text"]
        else:
            merged.append(out)
    return merged


def _failed_cell(notebook) -> int | None:
    """Index of the cell that raised: the code cell with an error output (nbclient stops there)."""
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i
    return None


def _executed_up_to(notebook) -> int | None:
    """Index of the last cell that ran (for timeouts and dead kernels, which leave no error output)."""
    last = None
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.get("execution_count"):
            last = i
    return last


def _line_of(nb: Notebook, notebook, index: int) -> int | None:
    """The line of the .py file where cell `index` starts (its first non-empty source line)."""
    lines = nb.text.splitlines()
    pos = 0
    for i, cell in enumerate(notebook.cells[: index + 1]):
        first = next((ln for ln in cell.source.splitlines() if ln.strip()), None)
        if first is None:
            continue
        if cell.cell_type == "markdown":
            first = "# " + first
        for j in range(pos, len(lines)):
            if lines[j].rstrip() == first.rstrip():
                pos = j
                break
        if i == index:
            return pos + 1
    return None


def _tail(log_path: Path, lines: int = 15) -> str:
    """The end of the kernel's stderr, for failures that leave no traceback (a crash, a timeout)."""
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
    kept = [ln for ln in text.splitlines() if "running over TCP without encryption" not in ln][-lines:]
    return ("\n  kernel stderr:\n    " + "\n    ".join(kept)) if kept else ""


def _describe_failure(nb: Notebook, notebook, exc: Exception, stderr: str = "") -> str:
    from nbclient.exceptions import CellExecutionError

    index = _failed_cell(notebook)
    if index is None:
        index = _executed_up_to(notebook)
    where = ""
    if index is not None:
        code_number = sum(1 for c in notebook.cells[: index + 1] if c.cell_type == "code")
        line = _line_of(nb, notebook, index)
        first = next((ln.strip() for ln in notebook.cells[index].source.splitlines() if ln.strip()), "")
        where = f" cell {index + 1} (code cell {code_number}" + (f", line {line}" if line else "") + f": {first!r})"
    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = getattr(exc, "evalue", None)
    if evalue is None:
        evalue = ANSI.sub("", str(exc)).strip().splitlines()[-1] if str(exc).strip() else ""
    message = f"notebook {nb.name} ({display(nb.source)}):{where} raised {ename}: {ANSI.sub('', str(evalue))}"
    return message if isinstance(exc, CellExecutionError) else message + stderr  # a crash or timeout: say why


def _valid(path: Path) -> bool:
    """A cached notebook that parses as a notebook (a damaged file is executed again).

    Plain JSON, not nbformat's schema validation: that costs a second per build, and
    the file was written whole (renamed into place) by this module anyway.
    """
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        return nb.get("nbformat") == 4 and isinstance(nb.get("cells"), list)
    except (OSError, ValueError, AttributeError):
        return False


def _prune(cache: Path, name: str, keep: int = KEEP_KEYS) -> None:
    """Remove the older keys of one notebook once unused (core.files.prune), keeping the `keep` most recent."""
    pattern = re.compile(rf"^{re.escape(name)}-[0-9a-f]{{20}}\.ipynb$")
    entries = []
    for p in cache.iterdir() if cache.exists() else ():
        if pattern.match(p.name):
            try:
                entries.append((p.stat().st_mtime, p))
            except OSError:
                pass
    prune([p for _, p in sorted(entries, reverse=True)[keep:]])


@dataclass
class Result:
    name: str
    path: Path  # the executed notebook in the cache
    status: str  # "cached" | "executed"
    seconds: float = 0.0


def execute_all(
    names: list[str] | None = None,
    *,
    cache: Path | None = None,
    force: bool = False,
    jobs: int | None = None,
    directory: Path | None = None,
    examples: str | os.PathLike | None = None,
    environ: dict[str, str] | None = None,
    log=None,
) -> dict[str, Result]:
    """Execute the notebooks whose key changed; return every one's cached result, by name.

    Raises NotebookError for the first notebook that failed (the others still
    finish and are cached), or for an unknown name. With `log` (a stream), one
    line says what was executed and how long it took.
    """
    cache = Path(cache or DEFAULT_CACHE)
    notebooks = discover(directory)
    if names:
        unknown = [n for n in names if n not in notebooks]
        if unknown:
            raise NotebookError(f"unknown notebook(s): {', '.join(unknown)} (known: {', '.join(notebooks)})")
        notebooks = {n: notebooks[n] for n in names}
    env = dict(os.environ if environ is None else environ)
    if examples is not None:
        env["ATTENTION_EXAMPLES"] = str(Path(examples).resolve())
    # The kernel imports attention_ref and figures_src from this checkout (also without an editable install).
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    shared = fingerprint(env.get("ATTENTION_EXAMPLES") or None)

    results: dict[str, Result] = {}
    todo: list[tuple[Notebook, Path]] = []
    for nb in notebooks.values():
        path = cache_path(nb, notebook_key(nb, shared), cache)
        if not force and path.exists() and _valid(path):
            touch(path)  # recently used: pruning keeps it
            results[nb.name] = Result(nb.name, path, "cached")
        else:
            todo.append((nb, path))
    failures: list[NotebookError] = []
    if todo:
        limit = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        for outcome in _in_thread(_execute_many(todo, env, limit)):
            if isinstance(outcome, NotebookError):
                failures.append(outcome)
            else:
                results[outcome.name] = outcome
                _prune(cache, outcome.name)
    executed = [r for r in results.values() if r.status == "executed"]
    if log is not None and executed:
        took = ", ".join(f"{r.name} {r.seconds:.1f} s" for r in executed)
        print(f"notebooks: executed {took}; {len(results) - len(executed)} cached", file=log)
    if failures:
        if len(failures) == 1:
            raise failures[0]
        raise NotebookError(f"{len(failures)} notebooks failed:\n  " + "\n  ".join(map(str, failures)))
    return {name: results[name] for name in notebooks}


async def _execute_many(todo: list[tuple[Notebook, Path]], env: dict[str, str], limit: int) -> list:
    """Run the notebooks, `limit` kernels at a time; a failure is returned, so the others still finish."""
    semaphore = asyncio.Semaphore(limit)

    async def one(nb: Notebook, path: Path) -> Result | NotebookError:
        async with semaphore:
            started = time.perf_counter()
            try:
                await _run(nb, path, env)
            except NotebookError as exc:
                return exc
            return Result(nb.name, path, "executed", time.perf_counter() - started)

    return await asyncio.gather(*(one(nb, path) for nb, path in todo))


def _in_thread(coro):
    """Run a coroutine to completion in a thread of its own (safe if the caller already runs an event loop)."""
    with cf.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m figures_src.notebooks", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="notebook names, e.g. from-scratch (default: all)")
    parser.add_argument("--force", action="store_true", help="execute even where the cache is up to date")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="kernels at once (default: number of cores)")
    parser.add_argument(
        "--examples", metavar="FILE", help="examples file (default: $ATTENTION_EXAMPLES or the packaged one)"
    )
    parser.add_argument(
        "--list", action="store_true", help="list the notebooks, their keys and whether they are cached"
    )
    args = parser.parse_args(argv)
    if args.list:
        shared = fingerprint(args.examples)
        for nb in discover().values():
            path = cache_path(nb, notebook_key(nb, shared), DEFAULT_CACHE)
            print(f"{nb.name:24} {path.stem[-20:]}  {'cached' if path.exists() else 'not executed'}")
        return 0
    started = time.perf_counter()
    try:
        results = execute_all(args.names or None, force=args.force, jobs=args.jobs, examples=args.examples)
    except NotebookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for r in results.values():
        took = f" in {r.seconds:.1f} s" if r.status == "executed" else ""
        print(f"{r.name:24} {r.status}{took}: {display(r.path)}")
    print(f"{len(results)} notebooks in {time.perf_counter() - started:.1f} s")
    return 0
