"""The wheel the site serves for the downloaded notebooks: attention_ref and the figure code they import.

    cached_wheel(root=ROOT, cache=None) -> Path     # built once per distinct content
    wheel_name(root=ROOT) -> str                    # self_attention_visually-<version>-py3-none-any.whl
    entries(root=ROOT) -> dict[name in the wheel, bytes]

A reader who downloads a notebook has neither the repository nor its
environment. `pip install numpy matplotlib <this wheel>` gives them what
the notebooks import, and nothing else:

- `attention_ref/`: every module, and the package data pyproject.toml names
  (`[tool.setuptools.package-data]`: the examples file and the tiny model's
  weights and manifest);
- the modules of `figures_src` the notebooks import, found by reading their
  import statements (those inside functions too) and following the imports
  of each module found, with the `__init__.py` of every package on the way.
  Today that is the softmax pie's module and the five helpers of `kit` it
  needs (matplotlib only, never Manim or MkDocs);
- `attention_ref/golden/`: the PyTorch golden values "Check it against
  PyTorch" compares with (in the repository they are `tests/golden/`).

The wheel is written here with zipfile, not by a build backend: entries
sorted (the `.dist-info` last, RECORD at the very end), one fixed timestamp,
fixed permissions, so the same checkout gives the same bytes. Its
METADATA requires numpy and matplotlib with the ranges of pyproject.toml.
Nothing here knows MkDocs (the hook serves the file at downloads/<name>).
"""

from __future__ import annotations

import ast
import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path

from ..core.files import atomic_write, prune, sha, touch
from ..core.paths import NOTEBOOK_CACHE, NOTEBOOKS, ROOT

FORMAT = "1"  # bump when the layout changes: part of the cache key
DISTRIBUTION = "self_attention_visually"
SUMMARY = "attention_ref, the reference implementation of Self-Attention, Visually, for its notebooks"
PACKAGE = "attention_ref"  # shipped whole, with its package data
FIGURE_PACKAGE = "figures_src"  # shipped in part: the modules the notebooks import
GOLDEN = ("tests/golden/sdpa.npz", "tests/golden/mha.npz")  # read by check-against-pytorch
GOLDEN_IN_WHEEL = f"{PACKAGE}/golden"
RUNTIME = ("numpy", "matplotlib")  # the requirements of the wheel, with pyproject.toml's ranges
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the same checkout gives the same bytes


class WheelError(Exception):
    """The wheel cannot be made; the message names the file or setting at fault."""


# --------------------------------------------------------------------------- what goes in


def _pyproject(root: Path) -> dict:
    path = root / "pyproject.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WheelError(f"{path}: {exc}") from None


def version(root: Path = ROOT) -> str:
    return str(_pyproject(root)["project"]["version"])


def wheel_name(root: Path = ROOT) -> str:
    return f"{DISTRIBUTION}-{version(root)}-py3-none-any.whl"


def requirements(root: Path = ROOT) -> list[str]:
    """`numpy>=...`, `matplotlib>=...`: the runtime dependencies of pyproject.toml the wheel needs."""
    wanted = {}
    for dep in _pyproject(root)["project"].get("dependencies", []):
        name = dep.split(";")[0].strip()
        bare = name.split("[")[0]
        for op in ("<", ">", "=", "!", "~", " "):
            bare = bare.split(op)[0]
        wanted[bare.lower()] = name
    missing = [n for n in RUNTIME if n not in wanted]
    if missing:
        raise WheelError(f"{root / 'pyproject.toml'}: [project] dependencies name no {', '.join(missing)}")
    return [wanted[n] for n in RUNTIME]


def _package_files(root: Path) -> list[Path]:
    """Every module of attention_ref and its package data (the globs of pyproject.toml)."""
    base = root / PACKAGE
    files = [p for p in base.rglob("*.py") if "__pycache__" not in p.parts]
    globs = _pyproject(root).get("tool", {}).get("setuptools", {}).get("package-data", {}).get(PACKAGE, [])
    for pattern in globs:
        found = sorted(base.glob(pattern))
        if not found:
            raise WheelError(f"pyproject.toml: package-data {PACKAGE!r} pattern {pattern!r} matches no file")
        files += found
    return sorted(set(files))


def _module_file(root: Path, module: str) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, module: str, root: Path) -> set[str]:
    """The figures_src modules a file imports (absolute or relative, at any depth of the code)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        raise WheelError(f"{path}: cannot be read as Python: {exc}") from None
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{node.module}" if node.module else parent
            else:
                base = node.module or ""
            found.add(base)
            # `from pkg import name`: a module when it is a file, else a name defined in pkg
            found.update(f"{base}.{a.name}" for a in node.names if _module_file(root, f"{base}.{a.name}"))
    return {m for m in found if m == FIGURE_PACKAGE or m.startswith(FIGURE_PACKAGE + ".")}


def figure_modules(root: Path = ROOT, notebooks: Path | None = None) -> list[Path]:
    """The files of figures_src the notebooks need: what they import, what that imports, and the packages."""
    notebooks = Path(notebooks or (root / NOTEBOOKS.relative_to(ROOT)))
    todo = [(m, src) for src in sorted(notebooks.glob("*.py")) for m in _imports(src, "__main__", root)]
    files: set[Path] = set()
    seen: set[str] = set()
    while todo:
        module, importer = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _module_file(root, module)
        if path is None:
            raise WheelError(f"{importer}: imports {module}, which is not a module of {root}")
        files.add(path)
        parts = module.split(".")
        todo += [(".".join(parts[:i]), path) for i in range(1, len(parts))]  # the packages on the way
        todo += [(m, path) for m in _imports(path, module, root)]
    return sorted(files)


def entries(root: Path = ROOT) -> dict[str, bytes]:
    """Every file of the wheel by its name in the wheel, the .dist-info last and RECORD at the end."""
    root = Path(root)
    files: dict[str, bytes] = {}
    for p in _package_files(root) + figure_modules(root):
        files[p.relative_to(root).as_posix()] = p.read_bytes()
    for rel in GOLDEN:
        path = root / rel
        if not path.is_file():
            raise WheelError(f"{path}: the golden values check-against-pytorch reads are missing")
        files[f"{GOLDEN_IN_WHEEL}/{path.name}"] = path.read_bytes()
    info = f"{DISTRIBUTION}-{version(root)}.dist-info"
    out = dict(sorted(files.items()))
    out[f"{info}/METADATA"] = _metadata(root).encode()
    out[f"{info}/WHEEL"] = _wheel_file().encode()
    out[f"{info}/top_level.txt"] = f"{FIGURE_PACKAGE}\n{PACKAGE}\n".encode()
    record = f"{info}/RECORD"
    lines = [f"{name},sha256={_digest(blob)},{len(blob)}" for name, blob in out.items()] + [f"{record},,"]
    out[record] = ("\n".join(lines) + "\n").encode()
    return out


def _digest(blob: bytes) -> str:
    """A RECORD hash: urlsafe base64 of the SHA-256, without padding (PEP 376 / 427)."""
    return base64.urlsafe_b64encode(hashlib.sha256(blob).digest()).rstrip(b"=").decode()


def _metadata(root: Path) -> str:
    project = _pyproject(root)["project"]
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {DISTRIBUTION.replace('_', '-')}",
        f"Version: {version(root)}",
        f"Summary: {SUMMARY}",
        f"Requires-Python: {project.get('requires-python', '>=3.11')}",
        "License: MIT (code); CC-BY-4.0 (text, figures, animations)",
    ]
    lines += [f"Requires-Dist: {r}" for r in requirements(root)]
    return "\n".join(lines) + "\n"


def _wheel_file() -> str:
    return "Wheel-Version: 1.0\nGenerator: figures_src.notebooks.wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


# --------------------------------------------------------------------------- the file


def write_wheel(out: Path, root: Path = ROOT, files: dict[str, bytes] | None = None) -> Path:
    """Write the wheel atomically and return its path."""
    files = entries(root) if files is None else files

    def save(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w") as z:
            for name, blob in files.items():  # already in wheel order
                zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                zi.create_system = 3  # Unix, on every platform
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                z.writestr(zi, blob, compresslevel=9)

    return atomic_write(Path(out), b"", save=save)


def cached_wheel(root: Path = ROOT, cache: Path | None = None) -> Path:
    """The wheel of this checkout, written into the cache only when its content is new (then pruned)."""
    cache = Path(cache or NOTEBOOK_CACHE / "wheels")
    files = entries(root)
    key = sha(FORMAT, *(part for name, blob in files.items() for part in (name, blob)))[:20]
    out = cache / f"{Path(wheel_name(root)).stem}.{key}.whl"
    if out.is_file():
        touch(out)
    else:
        write_wheel(out, root, files)
    prune(cache.glob("*.whl"), keep=[out])
    return out


__all__ = ["WheelError", "cached_wheel", "entries", "figure_modules", "wheel_name", "write_wheel"]
