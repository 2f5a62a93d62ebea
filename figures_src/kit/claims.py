"""Claims: what the pages say a figure shows, stated once, beside the data that proves it.

A claim is a named predicate over the figure's data(), declared in the
figure's module with the sentence a page may then say:

    from figures_src.kit.claims import claim

    @claim("“it” attends most to “animal”")
    def it_attends_most_to_animal(data):
        return data["top_word"] == "animal"

The build checks every claim of every figure on every build; a false one stops
it and names the figure, the claim and the pages that rely on it. A page
relies on a claim by writing `{{ claim("figure-id", "it_attends_most_to_animal") }}`
after the sentence (it renders a small ✓ linking to the figure page's list of
checked claims). A claim's function gets a copy of the data as JSON has it
(dicts, lists, floats), exactly what the page's numbers come from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    name: str  # the function's name: what pages cite
    text: str  # the sentence, as a reader sees it
    check: Callable[[dict], bool]


def claim(text: str):
    """Mark a function of the figure's data as a claim a page may make, said by `text`."""
    if not isinstance(text, str) or not text.strip():
        raise TypeError(f"claim() needs the sentence it checks; got {text!r}")

    def mark(fn):
        fn.__claim__ = " ".join(text.split())
        return fn

    return mark


def claims_of(module) -> list[Claim]:
    """The claims a module declares, in the order they are written."""
    found = [v for v in vars(module).values() if callable(v) and isinstance(getattr(v, "__claim__", None), str)
             and getattr(v, "__module__", None) == module.__name__]
    found.sort(key=lambda fn: fn.__code__.co_firstlineno)
    return [Claim(fn.__name__, fn.__claim__, fn) for fn in found]


def top(weights: dict) -> str:
    """The key of the largest value: the word a row attends to most."""
    return max(weights, key=weights.get)


def ranked(weights: dict) -> list[str]:
    """The keys from the largest value to the smallest."""
    return sorted(weights, key=weights.get, reverse=True)
