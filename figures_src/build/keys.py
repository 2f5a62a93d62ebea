"""Cache keys: what can change a figure's pixels, hashed.

- `render_key`: one figure in one theme at one quality: its data (JSON), its
  module's source, the kit's sources and the figure packages' helpers, the
  renderer's version, the quality and the theme.
- `fingerprint`: everything a full build reads, computed without importing any
  figure or renderer; equal fingerprints mean a full build would render nothing.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from attention_ref.examples import examples_path

from ..core.files import sha
from ..core.paths import ROOT
from . import registry

PROTOCOL = "2"  # bump to invalidate every cached render
PACKAGE = ROOT / "figures_src"
KIT = PACKAGE / "kit"


def math_fingerprint() -> str:
    """Hash of attention_ref's sources and numpy's version: a change in the math invalidates every data memo."""
    import numpy

    import attention_ref

    pkg = Path(attention_ref.__file__).parent
    return sha(numpy.__version__, *(p.read_bytes() for p in sorted(pkg.glob("*.py"))))


# Kit modules only one kind of figure renders with: a change to the matplotlib helpers does not
# re-render every Manim scene, nor a change to the scene helpers every matplotlib figure.
KIT_OF_ONE_KIND = {"mpl.py": "matplotlib", "svgtext.py": "matplotlib",
                   "scene.py": "manim", "pieces.py": "manim", "video.py": "manim"}


def shared_fingerprint(kind: str | None = None) -> str:
    """Hash of the code every figure (of `kind`, if given) shares: the kit, the figure packages' helpers (`_*.py`)."""
    parts: list[bytes | str] = []
    for path in [*sorted(KIT.glob("*.py")), *registry.helper_paths()]:
        if kind is not None and KIT_OF_ONE_KIND.get(path.name, kind) != kind and path.parent == KIT:
            continue
        parts += [path.name, path.read_bytes()]
    return sha(*parts)


def renderer_version(kind: str) -> str:
    """The versions of the tools that turn data into pixels (part of the key)."""
    if kind == "matplotlib":
        return f"matplotlib-{version('matplotlib')}"
    return f"manim-{version('manim')}-av-{version('av')}"


def render_key(fig: registry.Figure, data_json: str, theme: str, quality: str, shared: str) -> str:
    return sha(PROTOCOL, data_json, fig.source, shared, renderer_version(fig.kind), quality, theme)[:20]


def watched_dirs() -> list[Path]:
    """The folders whose Python sources a build runs: figures_src/, attention_ref/ and the figure packages."""
    import attention_ref

    dirs = [PACKAGE, Path(attention_ref.__file__).resolve().parent]
    for package in registry.packages():
        dirs += package_dirs(package)
    return dirs


def package_dirs(package: str) -> list[Path]:
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return []
    return [Path(d) for d in (spec.submodule_search_locations or [])] if spec else []


def fingerprint(quality: str, examples: str | os.PathLike | None = None) -> str:
    """A hash of everything a full build reads, computed without importing any figure or renderer.

    Every file under figures_src/ and attention_ref/ (the framework, the
    figures, the scenes, the math), every file of the figure packages (they may
    live elsewhere, see registry.packages()), the examples file's path and
    bytes, the quality, and the versions of Python, numpy and the renderers.
    """
    parts: list[bytes | str] = [PROTOCOL, quality, sys.version, ",".join(registry.packages())]
    for dist in ("numpy", "matplotlib", "manim", "av"):
        try:
            parts.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist}=none")
    ex_path = examples_path(examples)
    parts.append(str(ex_path.resolve()))
    try:
        parts.append(ex_path.read_bytes())
    except OSError:
        parts.append("missing")
    seen: set[Path] = set()
    for d in sorted(set(watched_dirs())):
        for path in sorted(d.rglob("*")):
            if path in seen or "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
                continue
            seen.add(path)
            parts += [str(path), path.read_bytes()]
    return sha(*parts)
