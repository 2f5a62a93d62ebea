"""WebVTT, the format of a scene's captions and chapters: written by the Manim kit, read by the pages.

Only the subset the scenes write: a `WEBVTT` header, then cues of a number, a
`start --> end` line and one line of text, separated by blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

TIMING = re.compile(r"^(\d+):(\d{2}):(\d{2})\.(\d{3}) --> (\d+):(\d{2}):(\d{2})\.(\d{3})$")


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str


def write(path: Path, cues: list[tuple[float, str]], duration: float) -> None:
    """Cues given as (start, text); each ends where the next starts, the last at `duration`."""
    lines = ["WEBVTT", ""]
    for n, (start, words) in enumerate(cues):
        end = cues[n + 1][0] if n + 1 < len(cues) else duration
        if end <= start:
            continue
        lines += [str(n + 1), f"{timestamp(start)} --> {timestamp(end)}", words, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def read(path: str | Path) -> list[Cue]:
    """The cues of a WebVTT file; ValueError naming the file and line for anything else."""
    text = Path(path).read_text(encoding="utf-8")
    blocks = re.split(r"\n\s*\n", text.strip())
    if not blocks or blocks[0].strip() != "WEBVTT":
        raise ValueError(f"{path}: not a WebVTT file (it must start with 'WEBVTT')")
    cues = []
    for block in blocks[1:]:
        lines = block.strip().splitlines()
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        m = TIMING.match(lines[timing].strip()) if timing is not None else None
        if m is None:
            raise ValueError(f"{path}: a cue without a valid 'HH:MM:SS.mmm --> HH:MM:SS.mmm' line: {block[:80]!r}")
        g = [int(x) for x in m.groups()]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        cues.append(Cue(start, end, " ".join(lines[timing + 1:]).strip()))
    return cues


def timestamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def clock(seconds: float) -> str:
    """A time as a reader sees it: 1:05."""
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"
