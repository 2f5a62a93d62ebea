"""Committed snapshots of every figure's data(), under tests/snapshots/<id>.json.

A change to the math or the examples that changes any number on the site
shows up as a diff of these files. `python -m figures_src snapshots --write`
(or `make snapshots`) rewrites them on purpose; the tests fail until then.
"""

from __future__ import annotations

import json
from pathlib import Path

from attention_ref import load_examples

from . import registry
from .jsonable import to_jsonable

SNAPSHOT_DIR = Path(__file__).resolve().parent.parent / "tests" / "snapshots"


def current(examples=None) -> dict[str, dict]:
    ex = load_examples(examples)
    return {fig.id: to_jsonable(fig.data(ex)) for fig in registry.discover().values()}


def dumps(data: dict) -> str:
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write(directory: Path = SNAPSHOT_DIR) -> list[str]:
    """Rewrite all snapshots (and remove those of figures that no longer exist); returns changed ids."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = []
    data = current()
    for fig_id, d in data.items():
        path = directory / f"{fig_id}.json"
        text = dumps(d)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(fig_id)
    for path in directory.glob("*.json"):
        if path.stem not in data:
            path.unlink()
            changed.append(path.stem)
    return changed
