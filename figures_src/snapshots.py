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
from pathlib import Path

from attention_ref import load_examples
from attention_ref.examples import DEFAULT_PATH

from . import registry
from .jsonable import to_jsonable

SNAPSHOT_DIR = Path(__file__).resolve().parent.parent / "tests" / "snapshots"
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


def differences(expected, actual, path: str = "data", rtol: float = RTOL) -> list[str]:
    """Where `actual` differs from `expected`, one line per difference (empty when they agree)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        same = type(expected) is type(actual) and expected == actual
        return [] if same else [f"{path}: expected {expected!r}, got {actual!r}"]
    if isinstance(expected, float) or isinstance(actual, float):
        if not isinstance(expected, (int, float)) or not isinstance(actual, (int, float)):
            return [f"{path}: expected {expected!r}, got {actual!r}"]
        if math.isclose(expected, actual, rel_tol=rtol, abs_tol=0.0) or expected == actual:
            return []
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for k in sorted(set(expected) | set(actual)):
            if k not in actual:
                out.append(f"{path}.{k}: missing (the snapshot has it)")
            elif k not in expected:
                out.append(f"{path}.{k}: new (not in the snapshot)")
            else:
                out += differences(expected[k], actual[k], f"{path}.{k}", rtol)
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} items, got {len(actual)}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out += differences(e, a, f"{path}[{i}]", rtol)
        return out
    if type(expected) is not type(actual) or expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


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
