"""Discovery of the figure modules: one module = one figure or one scene.

A figure module in `figures_src/figures/` (matplotlib) or `figures_src/scenes/`
(Manim) declares:

    '''Caption: the first line of the docstring.

    The long description: the rest of the docstring (the figure's page shows it).
    '''
    ID = "softmax-pie-it"          # stable kebab-case id, part of a citable URL
    KIND = "matplotlib"            # or "manim"
    def data(examples) -> dict     # cheap and pure: the numbers, from attention_ref
    def render(data, out_dir, theme, quality) -> None   # expensive: writes the files
    def alt(data) -> str           # the alt text, numbers included
    def labels(data) -> list[str]  # optional: the number labels it draws, as on screen
    LECTURE = "..."                # optional: what it is good for in a lecture (one or two sentences);
                                   # the "For teachers" page and the teacher pack show it

The rule a newcomer relies on, enforced here: a module's file name is its id
with `_` for `-` (`softmax_pie_it.py` declares "softmax-pie-it"), and a scene
(KIND "manim") has an id ending in "-scene" and lives in a package named
`scenes`, while no other figure's id ends so.

Modules import matplotlib and manim inside `render` only, so listing figures
and computing their data stays fast. Modules named `_*.py` in a figure package
are helpers shared by its figures (e.g. `_heatmap.py`), not figures; their
source is part of every figure's cache key, like the shared style's.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

# The packages searched for figure modules; FIGURES_PACKAGES (comma-separated)
# replaces them, which is how the tests build throwaway figures.
DEFAULT_PACKAGES = ("figures_src.figures", "figures_src.scenes")


def packages() -> tuple[str, ...]:
    env = os.environ.get("FIGURES_PACKAGES")
    return tuple(p.strip() for p in env.split(",") if p.strip()) if env else DEFAULT_PACKAGES


KINDS = ("matplotlib", "manim")
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class FigureModuleError(Exception):
    """A figure module that breaks the contract; the message names it."""


@dataclass(frozen=True)
class Figure:
    id: str
    kind: str
    module: ModuleType
    caption: str
    description: str

    @property
    def source_path(self) -> Path:
        return Path(inspect.getfile(self.module))

    @property
    def source(self) -> str:
        return self.source_path.read_text(encoding="utf-8")

    @property
    def module_name(self) -> str:
        return self.module.__name__

    def data(self, examples) -> dict:
        return self.module.data(examples)

    def alt(self, data: dict) -> str:
        return self.module.alt(data)

    def labels(self, data: dict) -> list[str]:
        fn = getattr(self.module, "labels", None)
        return list(fn(data)) if fn else []

    @property
    def claims(self) -> list:
        """The module's claims (see kit.claims), in the order they are written."""
        from ..kit.claims import claims_of

        return claims_of(self.module)

    @property
    def lecture(self) -> str:
        """What the figure is good for in a lecture (the module's optional LECTURE); empty if it has none."""
        text = getattr(self.module, "LECTURE", "")
        return " ".join(text.split()) if isinstance(text, str) else ""


def _describe(module: ModuleType) -> tuple[str, str]:
    doc = inspect.getdoc(module) or ""
    first, _, rest = doc.partition("\n")
    return first.strip(), rest.strip()


def _stamp(module: ModuleType) -> tuple | None:
    return _file_stamp(getattr(module, "__file__", None))


def _file_stamp(path) -> tuple | None:
    try:
        st = os.stat(path)
    except (OSError, TypeError):
        return None
    return st.st_mtime_ns, st.st_size


_LOADED: dict[str, tuple | None] = {}  # source file -> its stamp when this process first saw it loaded


def changed_since_loaded(dirs) -> list[str]:
    """Modules loaded from `dirs` whose source file changed since this process loaded them.

    The first call that sees a module records its stamp (mtime, size); call it
    early (figures_src.build does, at import) so that later edits show.
    """
    roots = tuple(os.path.join(os.path.realpath(d), "") for d in dirs)
    changed = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not path or not path.endswith(".py"):
            continue
        real = os.path.realpath(path)
        if not real.startswith(roots):
            continue
        now = _file_stamp(real)
        if _LOADED.setdefault(real, now) != now:
            changed.append(name)
    return sorted(changed)


def _import(module_name: str) -> ModuleType:
    """Import a module, re-importing it when its source file changed since it was imported.

    A long-lived process (a test session, a notebook) that builds, edits a
    figure and builds again must not compute data() with the old code while the
    cache key already names the new source: that would store stale numbers
    under the new key.
    """
    module = sys.modules.get(module_name)
    if module is not None and getattr(module, "__figure_stamp__", None) not in (None, _stamp(module)):
        importlib.invalidate_caches()
        module = importlib.reload(module)
    elif module is None:
        module = importlib.import_module(module_name)
    module.__figure_stamp__ = _stamp(module)
    if getattr(module, "__file__", None):
        _LOADED[os.path.realpath(module.__file__)] = module.__figure_stamp__
    return module


def load_figure(module_name: str) -> Figure:
    """Import one figure module and check its contract; errors name the module."""
    try:
        module = _import(module_name)
    except Exception as exc:  # a syntax or import error in a figure module
        raise FigureModuleError(f"{module_name}: cannot import: {type(exc).__name__}: {exc}") from exc
    fig_id = getattr(module, "ID", None)
    if not isinstance(fig_id, str) or not ID_PATTERN.match(fig_id):
        raise FigureModuleError(f"{module_name}: ID must be a kebab-case string; got {fig_id!r}")
    kind = getattr(module, "KIND", None)
    if kind not in KINDS:
        raise FigureModuleError(f"{fig_id} ({module_name}): KIND must be one of {KINDS}; got {kind!r}")
    for name in ("data", "render", "alt"):
        if not callable(getattr(module, name, None)):
            raise FigureModuleError(f"{fig_id} ({module_name}): missing function {name}()")
    file_stem = Path(getattr(module, "__file__", "") or "").stem
    if file_stem != fig_id.replace("-", "_"):
        raise FigureModuleError(f"{fig_id} ({module_name}): the module's file must be named after its id: "
                                f"{fig_id.replace('-', '_')}.py, not {file_stem}.py")
    in_scenes = module_name.rpartition(".")[0].rpartition(".")[2] == "scenes"
    if (kind == "manim") != fig_id.endswith("-scene") or (kind == "manim") != in_scenes:
        raise FigureModuleError(f"{fig_id} ({module_name}): a scene (KIND \"manim\") has an id ending in "
                                f"\"-scene\" and lives in a package named scenes; no other figure does "
                                f"(KIND {kind!r}, package {module_name.rpartition('.')[0]!r})")
    caption, description = _describe(module)
    if not caption:
        raise FigureModuleError(f"{fig_id} ({module_name}): the docstring's first line (the caption) is empty")
    return Figure(id=fig_id, kind=kind, module=module, caption=caption, description=description)


def module_names() -> list[str]:
    """The figure modules of every package in `packages()`, sorted (modules named _* are helpers)."""
    importlib.invalidate_caches()  # see modules added since the last call
    names = []
    for package in packages():
        try:
            pkg = importlib.import_module(package)
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            raise FigureModuleError(f"{package}: cannot import the figure package: {reason}") from exc
        for info in pkgutil.iter_modules(pkg.__path__):
            if not info.name.startswith("_"):
                names.append(f"{package}.{info.name}")
    return sorted(names)


def scan(ids: list[str] | None = None) -> tuple[dict[str, Figure], list[str]]:
    """(every figure by id in id order, the errors of the modules that break the contract).

    With `ids`, only those figures, and only their errors count; an unknown id
    raises KeyError naming it and listing the known ones.
    """
    figures: dict[str, Figure] = {}
    errors: list[str] = []
    try:
        names = module_names()
    except FigureModuleError as exc:
        return {}, [str(exc)]
    for name in names:
        try:
            fig = load_figure(name)
        except FigureModuleError as exc:
            errors.append(str(exc))
            continue
        if fig.id in figures:
            errors.append(f"{fig.id}: declared twice, by {figures[fig.id].module_name} and {name}")
            continue
        figures[fig.id] = fig
    if ids:
        unknown = [i for i in ids if i not in figures]
        if unknown:
            raise KeyError(f"unknown figure id(s): {', '.join(unknown)} (known: {', '.join(sorted(figures))})")
        return dict(sorted((i, figures[i]) for i in ids)), []
    return dict(sorted(figures.items())), errors


def discover() -> dict[str, Figure]:
    """Every figure, by id; the first module that breaks the contract raises FigureModuleError naming it."""
    figures, errors = scan()
    if errors:
        raise FigureModuleError(errors[0])
    return figures


def helper_paths() -> list[Path]:
    """The helper sources of the figure packages (their __init__.py and modules named _*).

    Figures may share code through them, so they are part of every cache key
    (as the shared style is) even though they are not figures themselves.
    """
    paths: set[Path] = set()
    for package in packages():
        try:
            pkg = importlib.import_module(package)
        except Exception:
            continue  # module_names() reports it
        for d in pkg.__path__:
            paths.update(p for p in Path(d).glob("_*.py"))
    return sorted(paths)
