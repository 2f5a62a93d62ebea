"""Throwaway figure packages for the tests of the figure build.

The `figures` fixture makes an empty package under tmp_path with a unique name,
puts it on sys.path and PYTHONPATH (the spawned workers and any
`python -m figures_src` subprocess must import it too), and points
FIGURES_PACKAGES at it, so the build sees only these figures. Each figure is a
tiny module written from TEMPLATE; its render() is chosen by name:

    files       writes a small SVG (with its labels as <text>) and PNG per theme: fast, no matplotlib
    matplotlib  a real matplotlib figure through figures_src.kit.mpl (deterministic SVG/PNG/PDF)
    raise       raises ValueError naming the figure
    half-sleep  writes half a file, records its pid, then sleeps while $THROWAWAY_SLEEP is set
    crash       kills its own worker process (os._exit), as a crash in a native library would

Use it from a test module with `from throwaway_figures import figures  # noqa: F401`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import sys
import textwrap
import uuid
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
EXAMPLES = ROOT / "attention_ref" / "examples.toml"

TEMPLATE = '''\
"""Caption of {fig_id}.

A throwaway figure of the build tests.
"""

import os
import time
from pathlib import Path

{imports}
ID = {fig_id!r}
KIND = "matplotlib"
VALUE = {value!r}


def data(examples):
{data_body}


def alt(data):
    return f"A throwaway figure that shows the value {{data['value']}}."


def labels(data):
    return [f"value {{data['value']}}"]


def render(data, out_dir, theme, quality):
{render_body}
'''

DATA_BODIES = {
    "plain": '    return {"value": VALUE, "sentences": sorted(examples.sentences)}',
    "helper": '    return {"value": VALUE * SCALE, "sentences": sorted(examples.sentences)}',
    "raise": '    raise ValueError(f"no data for {ID}: the examples lack what it needs")',
    "unsorted": '    return {"zeta": 1, "alpha": 2, "value": VALUE, "mid": 3}',
}

RENDER_BODIES = {
    "files": '''\
    out = Path(out_dir)
    text = f"value {data['value']}"
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20"><title>{ID}</title>'
           f'<text x="0" y="15">{text}</text><desc>{theme} {quality}</desc></svg>')
    (out / f"{ID}.{theme}.svg").write_text(svg)
    (out / f"{ID}.{theme}.png").write_bytes(PNG)''',
    "matplotlib": '''\
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl

    with mpl.themed(theme, ID):
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.text(0.5, 0.5, f"value {data['value']}", ha="center")
        ax.axis("off")
        mpl.save(fig, out_dir, ID, theme)''',
    "raise": '''\
    raise ValueError(f"boom while drawing {ID} in {theme}")''',
    "half-sleep": '''\
    out = Path(out_dir)
    with open(out / f"{ID}.{theme}.svg", "w") as f:
        f.write("<svg xmlns='http://www.w3.org/2000/svg'>")  # half a file
        f.flush()
        # Written under a hidden name and renamed, so a test never reads a pid file that is still empty.
        pids = Path(os.environ["THROWAWAY_PIDS"])
        (pids / f".{os.getpid()}").write_text(str(out))
        (pids / f".{os.getpid()}").rename(pids / f"{os.getpid()}")
        while os.environ.get("THROWAWAY_SLEEP") == "1":
            time.sleep(0.1)
        f.write("</svg>")
    (out / f"{ID}.{theme}.png").write_bytes(PNG)''',
    "crash": '''\
    os._exit(3)''',
}


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    """A valid PNG of a grey rectangle (the embed helper reads the size from its header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class FigurePackage:
    def __init__(self, base: Path, monkeypatch):
        self.name = f"throwaway_{uuid.uuid4().hex[:10]}"
        self.base = base
        self.dir = base / self.name
        self.dir.mkdir(parents=True)
        (self.dir / "__init__.py").write_text('"""Throwaway figures of a test."""\n')
        self.pids = base / "pids"  # the half-sleep render records its worker's pid here
        self.pids.mkdir()
        self.monkeypatch = monkeypatch
        monkeypatch.syspath_prepend(str(base))
        monkeypatch.setenv("FIGURES_PACKAGES", self.name)
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(base), str(ROOT), os.environ.get("PYTHONPATH", "")]))
        monkeypatch.setenv("THROWAWAY_PIDS", str(self.pids))
        # A frozen copy of the worked examples: the tests compare builds, and the repository's file may be
        # edited while they run.
        self.examples = base / "examples.toml"
        shutil.copyfile(EXAMPLES, self.examples)
        monkeypatch.setenv("ATTENTION_EXAMPLES", str(self.examples))

    def add(self, fig_id: str, *, render: str = "files", data: str = "plain", value=1,
            source: str | None = None) -> Path:
        """Write the module of one figure; returns its path."""
        imports = f"PNG = {tiny_png()!r}\n"
        if data == "helper":
            imports += "from ._helpers import SCALE\n"
        module = self.dir / f"{fig_id.replace('-', '_')}.py"
        module.write_text(source if source is not None else TEMPLATE.format(
            fig_id=fig_id, value=value, imports=imports, data_body=DATA_BODIES[data],
            render_body=RENDER_BODIES[render]))
        return module

    def module(self, fig_id: str) -> Path:
        return self.dir / f"{fig_id.replace('-', '_')}.py"

    def env(self, **extra) -> dict[str, str]:
        """The environment for a `python -m figures_src` or `mkdocs` subprocess."""
        return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}

    def cleanup(self) -> None:
        for name in [m for m in sys.modules if m == self.name or m.startswith(self.name + ".")]:
            del sys.modules[name]


@pytest.fixture
def figures(tmp_path, monkeypatch):
    pkg = FigurePackage(tmp_path / "pkgs", monkeypatch)
    yield pkg
    pkg.cleanup()


def cache_state(cache: Path) -> dict[str, tuple]:
    """Every published file under cache/render: path -> (inode, mtime_ns, sha256)."""
    out = {}
    for p in sorted((cache / "render").rglob("*")):
        if p.is_file():
            st = p.stat()
            out[str(p.relative_to(cache))] = (st.st_ino, st.st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
    return out


def statuses(report) -> dict[tuple[str, str], str]:
    return {(r.id, r.theme): r.status for r in report.results}


def key_dirs(cache: Path, fig_id: str) -> list[Path]:
    """The published render directories of a figure (temp dirs start with a dot)."""
    d = cache / "render" / fig_id
    return sorted(p for p in d.iterdir() if p.is_dir() and not p.name.startswith(".")) if d.exists() else []


def assert_intact(result) -> None:
    """A published render: its files exist and match the hashes of its manifest."""
    manifest = json.loads((Path(result.dir) / "manifest.json").read_text())
    assert sorted(manifest["files"]) == sorted(Path(f).name for f in result.files), result
    for f in result.files:
        assert hashlib.sha256(Path(f).read_bytes()).hexdigest() == manifest["files"][Path(f).name], f


def examples_copy(figures: FigurePackage, extra: str = "", name: str = "examples-changed.toml") -> Path:
    """A copy of the test's examples file with `extra` appended."""
    path = figures.base / name
    shutil.copyfile(figures.examples, path)
    with open(path, "a", encoding="utf-8") as f:
        f.write(textwrap.dedent(extra))
    return path
