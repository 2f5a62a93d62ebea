"""Committed snapshots of every figure's data(), under tests/snapshots/<id>.json.

A change to the math or the examples that changes any number on the site
shows up as a diff of these files. `python -m figures_src snapshots --write`
(or `make snapshots`) rewrites them on purpose; the tests fail until then.

Snapshots are of the packaged examples file (attention_ref/examples.toml),
whatever $ATTENTION_EXAMPLES says: they are the numbers of the committed site.
Comparison is exact for structure, strings, integers and booleans, and
relative (RTOL) for floats, so that another machine's last-bit rounding of the
same math is not a difference, while any change a reader could see is.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from attention_ref import load_examples
from attention_ref.examples import DEFAULT_PATH

from ..core.paths import SNAPSHOTS
from ..kit.jsonable import to_jsonable
from . import registry

SNAPSHOT_DIR = SNAPSHOTS
RTOL = 1e-9  # far below any printed digit (the site shows at most 3 decimals), far above float noise


def current(examples=None) -> dict[str, dict]:
    ex = load_examples(examples or DEFAULT_PATH)
    return {fig.id: to_jsonable(fig.data(ex)) for fig in registry.discover().values()}


def dumps(data: dict) -> str:
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write(directory: Path = SNAPSHOT_DIR) -> list[str]:
    """Rewrite the snapshots that differ (and remove those of figures that no longer exist); returns their ids.

    A snapshot that agrees with data() within RTOL is left as it is, so that
    this machine's last-bit rounding never shows up in the diff to review.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    data = current()
    for fig_id, d in data.items():
        path = directory / f"{fig_id}.json"
        if path.exists() and not differences(json.loads(path.read_text(encoding="utf-8")), d):
            continue
        path.write_text(dumps(d), encoding="utf-8")
        changed.append(fig_id)
    for path in directory.glob("*.json"):
        if path.stem not in data:
            path.unlink()
            changed.append(path.stem)
    return changed


MISSING = object()  # a key one side has and the other has not


@dataclass(frozen=True)
class ValueChange:
    path: str  # e.g. "weights[3]", "top_word"
    old: object  # MISSING where only the new data has it
    new: object  # MISSING where only the old data has it

    @property
    def key(self) -> str:
        """The top-level key of the figure's data this value belongs to."""
        return re.split(r"[.\[]", self.path, maxsplit=1)[0]


def same(a, b, rtol: float = RTOL) -> bool:
    """Equal leaves: exact for strings, integers, booleans and None; floats within `rtol` of each other."""
    if a is MISSING or b is MISSING:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) or isinstance(b, float):
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
            return False
        return a == b or math.isclose(a, b, rel_tol=rtol, abs_tol=0.0)
    return type(a) is type(b) and a == b


def changes(old, new, path: str = "", rtol: float = RTOL) -> list[ValueChange]:
    """Every leaf where `new` differs from `old`; a list whose length changed is one change."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new), key=str):
            out += changes(old.get(k, MISSING), new.get(k, MISSING), f"{path}.{k}" if path else str(k), rtol)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            out += changes(a, b, f"{path}[{i}]", rtol)
        return out
    return [] if same(old, new, rtol) else [ValueChange(path, old, new)]


def differences(expected, actual, path: str = "data", rtol: float = RTOL) -> list[str]:
    """Where `actual` differs from `expected`, one line per difference (empty when they agree)."""
    lines = []
    for c in changes(expected, actual, rtol=rtol):
        where = f"{path}.{c.path}" if c.path and not c.path.startswith("[") else f"{path}{c.path}"
        if c.new is MISSING:
            lines.append(f"{where}: missing (the snapshot has it)")
        elif c.old is MISSING:
            lines.append(f"{where}: new (not in the snapshot)")
        elif isinstance(c.old, list) and isinstance(c.new, list):
            lines.append(f"{where}: expected {len(c.old)} items, got {len(c.new)}")
        else:
            lines.append(f"{where}: expected {c.old!r}, got {c.new!r}")
    return lines


def compare(directory: Path = SNAPSHOT_DIR, examples=None) -> dict[str, list[str]]:
    """{figure id: its differences} for every figure whose data() disagrees with its snapshot (or has none)."""
    directory = Path(directory)
    out: dict[str, list[str]] = {}
    for fig_id, data in current(examples).items():
        path = directory / f"{fig_id}.json"
        if not path.exists():
            out[fig_id] = [f"no snapshot {path} (run `make snapshots` and review the new file)"]
            continue
        diffs = differences(json.loads(path.read_text(encoding="utf-8")), data)
        if diffs:
            out[fig_id] = diffs
    return out
