"""benchmarks/README.md is shared by the benchmark scripts: each owns one section between markers.

    <!-- build:begin --> ... <!-- build:end -->

`write_section("build", text)` replaces that section, or appends it, and leaves the others alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"
HEADER = "# Benchmarks\n\nMeasured by the scripts in this folder; each rewrites its own section.\n"


def write_section(name: str, text: str, path: Path = README) -> Path:
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{text.strip()}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    new = pattern.sub(lambda _: block, old) if pattern.search(old) else old.rstrip() + "\n\n" + block + "\n"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)
    return path
