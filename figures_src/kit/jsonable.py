"""Turn what data() returns into plain JSON values (numpy arrays become lists)."""

from __future__ import annotations

import math

import numpy as np


def to_jsonable(value, path: str = "data"):
    """A copy of `value` made of dict, list, str, int, float, bool and None.

    Raises TypeError naming the path of anything else, and ValueError for NaN
    or inf (JSON has no such numbers; a figure must say what it means instead).
    """
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"{path}: keys must be strings; got {k!r}")
            out[k] = to_jsonable(v, f"{path}.{k}")
        return out
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist(), path)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if not math.isfinite(f):
            raise ValueError(f"{path}: {f} is not a JSON number; store None or a flag instead")
        return f
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{path}: {type(value).__name__} is not JSON-able")


def lookup(data: dict, key: str):
    """`data["weights"]["animal"]` for key "weights.animal"; list items by index ("weights.3")."""
    node = data
    walked = []
    for part in key.split("."):
        walked.append(part)
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
            node = node[int(part)]
        else:
            if isinstance(node, dict):
                have = ", ".join(sorted(node))
            else:
                have = f"a list of {len(node)}" if isinstance(node, list) else repr(node)
            raise KeyError(f"no key {'.'.join(walked)!r} (at that level there is: {have})")
    return node
