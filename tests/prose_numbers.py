"""The scanner for numbers typed into prose by hand (every number about the examples must come from a macro)."""

from __future__ import annotations

import re

# Numbers that are not about the examples, each with why; empty now (the prose says "the whole pie", not "100%").
ALLOWED: dict[str, str] = {}

STRIP = [
    re.compile(r"^```.*?^```", re.S | re.M),  # fenced code
    re.compile(r"^~~~.*?^~~~", re.S | re.M),
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"\$\$.*?\$\$", re.S),  # display math
    re.compile(r"\$[^$\n]*\$"),  # inline math
    re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.S),
    re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S),  # macros
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>]+>"),  # HTML tags and their attributes
    re.compile(r"^---\n.*?\n---\n", re.S),  # front matter
]
NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?\s?%|\d+\.\d+)(?![\w.])")


def prose(text: str) -> str:
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    return text


def hand_typed(text: str) -> list[str]:
    return [m.group(1) for m in NUMBER.finditer(prose(text)) if m.group(1).replace(" ", "") not in ALLOWED]
