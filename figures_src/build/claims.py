"""Every claim of every figure, checked against the figure's data on every build (see kit.claims)."""

from __future__ import annotations

import copy

import numpy as np

from . import registry


def evaluate(fig: registry.Figure, data: dict) -> list[dict]:
    """[{name, text, holds, error}] for each claim of `fig`; a claim that raises does not hold."""
    out = []
    for c in fig.claims:
        holds, error = False, None
        try:
            result = c.check(copy.deepcopy(data))
        except Exception as exc:
            error = f"the check raised {type(exc).__name__}: {exc}"
        else:
            if isinstance(result, (bool, np.bool_)):  # a claim is true or false, never "truthy"
                holds = bool(result)
            else:
                error = f"the check returned {type(result).__name__} {result!r}, not a bool"
        out.append({"name": c.name, "text": c.text, "holds": holds, "error": error})
    return out


def false_claims(figures: dict[str, dict]) -> list[tuple[str, dict]]:
    """(figure id, claim) for every claim that does not hold, from a report's `figures`."""
    return [(fid, c) for fid, meta in figures.items() for c in meta.get("claims", []) if not c["holds"]]


def describe(fig_id: str, c: dict, pages: list[str] | None = None) -> str:
    """One line naming the figure, the claim and, when known, the pages that rely on it."""
    why = f" ({c['error']})" if c.get("error") else ""
    where = f"; relied on by {', '.join(pages)}" if pages else ""
    return f"{fig_id}: claim {c['name']!r} is false: “{c['text']}”{why}{where}"


def errors(figures: dict[str, dict]) -> list[str]:
    return [describe(fid, c) for fid, c in false_claims(figures)]
