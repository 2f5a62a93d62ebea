"""Every figure's data() equals its committed snapshot, tests/snapshots/<id>.json.

A change to the math or to the worked examples that moves any number on the
site fails here until the snapshots are rewritten on purpose with
`make snapshots` (and the diff reviewed). Tolerance: floats agree to a
relative 1e-9, far below any printed digit (the site shows at most three
decimals) and far above the last-bit noise of another machine's BLAS; strings,
integers, booleans and the structure must be equal.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest
from real_figures import real_figures  # noqa: E402
from throwaway_figures import PYTHON, ROOT  # noqa: E402

from attention_ref import load_examples  # noqa: E402
from attention_ref.examples import DEFAULT_PATH  # noqa: E402
from figures_src.kit.jsonable import to_jsonable  # noqa: E402

SNAPSHOTS = ROOT / "tests" / "snapshots"
RTOL = 1e-9
FIGURE_IDS = list(real_figures())


def mismatches(expected, actual, path="data") -> list[str]:
    """The test's own comparison (independent of figures_src.build.snapshots, which the CLI uses)."""
    if isinstance(expected, float) or isinstance(actual, float):
        ok = (type(expected) in (int, float) and type(actual) in (int, float)
              and (expected == actual or math.isclose(expected, actual, rel_tol=RTOL, abs_tol=0.0)))
        return [] if ok else [f"{path}: snapshot {expected!r}, data() {actual!r}"]
    if type(expected) is not type(actual):
        return [f"{path}: snapshot has {type(expected).__name__} {expected!r}, data() {type(actual).__name__}"]
    if isinstance(expected, dict):
        out = [f"{path}.{k}: only in the snapshot" for k in expected.keys() - actual.keys()]
        out += [f"{path}.{k}: only in data()" for k in actual.keys() - expected.keys()]
        for k in sorted(expected.keys() & actual.keys()):
            out += mismatches(expected[k], actual[k], f"{path}.{k}")
        return out
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return [f"{path}: snapshot has {len(expected)} items, data() {len(actual)}"]
        pairs = enumerate(zip(expected, actual, strict=True))
        return [m for i, (e, a) in pairs for m in mismatches(e, a, f"{path}[{i}]")]
    return [] if expected == actual else [f"{path}: snapshot {expected!r}, data() {actual!r}"]


def test_the_comparison_has_the_promised_tolerance():
    assert mismatches({"w": [0.1, 2]}, {"w": [0.1 * (1 + 1e-12), 2]}) == []
    assert mismatches({"w": [0.1]}, {"w": [0.1 * (1 + 1e-7)]}) != []
    assert mismatches({"w": 0.0}, {"w": 1e-300}) != []
    assert mismatches({"n": 2}, {"n": 2.0}) == []  # JSON cannot tell 2 from 2.0 in every writer
    assert mismatches({"s": "a"}, {"s": "b"}) != []
    assert mismatches({"a": 1}, {"a": 1, "b": 2}) == ["data.b: only in data()"]
    assert mismatches({"t": True}, {"t": 1}) != []


@pytest.fixture(scope="module")
def examples():
    return load_examples(DEFAULT_PATH)


@pytest.mark.parametrize("fig_id", FIGURE_IDS)
def test_data_equals_the_committed_snapshot(fig_id, examples):
    path = SNAPSHOTS / f"{fig_id}.json"
    if not path.exists():
        pytest.fail(f"no snapshot for {fig_id}: run `make snapshots`, review tests/snapshots/{fig_id}.json, commit it")
    actual = to_jsonable(real_figures()[fig_id].data(examples))
    diffs = mismatches(json.loads(path.read_text(encoding="utf-8")), actual)
    assert not diffs, (f"{fig_id}: data() differs from {path.relative_to(ROOT)} (if the change is intended, "
                       f"run `make snapshots` and review the diff):\n  " + "\n  ".join(diffs[:20]))


def test_no_snapshot_without_a_figure():
    orphans = sorted(p.stem for p in SNAPSHOTS.glob("*.json") if p.stem not in FIGURE_IDS)
    assert not orphans, f"snapshots of figures that no longer exist: {orphans} (`make snapshots` removes them)"


def snapshots_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("FIGURES_PACKAGES", "ATTENTION_EXAMPLES")}
    return subprocess.run([PYTHON, "-m", "figures_src", "snapshots", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_snapshots_command_fails_when_one_differs_and_passes_within_tolerance(tmp_path):
    d = tmp_path / "snapshots"
    written = snapshots_cli("--write", "--dir", str(d))
    assert written.returncode == 0, written.stderr
    assert sorted(p.stem for p in d.glob("*.json")) == sorted(FIGURE_IDS)
    assert snapshots_cli("--dir", str(d)).returncode == 0

    # a float nudged by far less than the tolerance is not a difference
    victim, path, data, where = _first_float(d)
    _set(data, where, _get(data, where) * (1 + 1e-13))
    path.write_text(json.dumps(data))
    assert snapshots_cli("--dir", str(d)).returncode == 0
    # ... so --write leaves that file as it is: another machine's last-bit rounding is no diff to review
    noisy = path.read_bytes()
    rewritten = snapshots_cli("--write", "--dir", str(d))
    assert rewritten.returncode == 0 and "rewrote 0 snapshot(s)" in rewritten.stderr, rewritten.stderr
    assert path.read_bytes() == noisy

    # a change a reader could see is
    _set(data, where, _get(data, where) * 1.001 + 1e-3)
    path.write_text(json.dumps(data))
    changed = snapshots_cli("--dir", str(d))
    assert changed.returncode == 1
    assert f"differs: {victim}" in changed.stderr and "make snapshots" in changed.stderr
    # and --write rewrites exactly that one
    rewritten = snapshots_cli("--write", "--dir", str(d))
    assert f"rewrote 1 snapshot(s): {victim}" in rewritten.stderr, rewritten.stderr
    assert snapshots_cli("--dir", str(d)).returncode == 0

    # and a missing snapshot says what to run
    path.unlink()
    missing = snapshots_cli("--dir", str(d))
    assert missing.returncode == 1
    assert f"differs: {victim}" in missing.stderr and "make snapshots" in missing.stderr


def _first_float(directory: Path):
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text())
        where = _find_float(data, ())
        if where is not None:
            return path.stem, path, data, where
    pytest.skip("no figure shows a float")


def _find_float(node, where):
    if isinstance(node, float) and node != 0.0:
        return where
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        found = _find_float(v, (*where, k))
        if found is not None:
            return found
    return None


def _get(node, where):
    for k in where:
        node = node[k]
    return node


def _set(node, where, value):
    _get(node, where[:-1])[where[-1]] = value
