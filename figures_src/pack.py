"""The teacher pack: one zip with every figure, video and data table of a version.

    python -m figures_src pack [--out FILE] [--quality draft|publish]

Layout of the zip (deterministic: sorted entries, fixed timestamps):

    README.txt                   what is inside, one line per figure, and what each is good for
    HOW-TO-CITE.txt              the citation of the version and of each figure
    LICENSE-CONTENT.md           CC BY 4.0 for the figures, videos and tables
    figures/<id>/...             SVG, PDF and PNG (light and dark); MP4, poster, captions, stills
    data/<id>.csv                the numbers each figure shows, one row per value
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

from .pages import SITE_TITLE, BuildInfo

ROOT = Path(__file__).resolve().parent.parent
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed, so the same build gives the same zip
SKIP = {"manifest.json"}
STORED = (".mp4", ".png", ".gif")  # already compressed


def flatten(data, path: str = "") -> list[tuple[str, object]]:
    """(dotted path, value) for every leaf of the data: the long format a spreadsheet reads."""
    if isinstance(data, dict):
        rows = []
        for key, value in data.items():
            rows += flatten(value, f"{path}.{key}" if path else key)
        return rows
    if isinstance(data, list):
        rows = []
        for i, value in enumerate(data):
            rows += flatten(value, f"{path}.{i}")
        return rows
    return [(path, data)]


def data_csv(data: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["key", "value"])
    for key, value in flatten(data):
        writer.writerow([key, repr(value) if isinstance(value, float) else value])
    return buf.getvalue()


def readme(report, info: BuildInfo) -> str:
    lines = [
        f"{SITE_TITLE}: teacher pack, version {info.version} (commit {info.commit}, {info.date})",
        "",
        "Every figure and animation of the site, computed from the reference implementation.",
        "figures/<id>/ holds the files of one figure (light and dark variants; videos with captions),",
        "data/<id>.csv the numbers it shows. Each figure's page on the site: " + f"{info.site_url}figures/<id>/",
        "",
        "Figures:",
    ]
    for fig_id, meta in report.figures.items():
        lines.append(f"- {fig_id} ({'animation' if meta['kind'] == 'manim' else 'figure'}): {meta['caption']}")
    lines += ["", "Licence: text, figures, videos and tables CC BY 4.0 (LICENSE-CONTENT.md); code MIT.", ""]
    return "\n".join(lines)


def how_to_cite(report, info: BuildInfo) -> str:
    lines = [
        f"The site: {SITE_TITLE}, version {info.version} (commit {info.commit}, {info.date}). {info.site_url}",
        "",
        "A figure:",
    ]
    for fig_id, meta in report.figures.items():
        lines.append(
            f"- “{meta['caption']}” Figure {fig_id} in {SITE_TITLE}, version {info.version}. "
            f"{info.site_url}figures/{fig_id}/. CC BY 4.0."
        )
    return "\n".join(lines) + "\n"


def write_pack(report, info: BuildInfo, out: Path) -> Path:
    """Write the zip atomically (temp file, then rename) and return its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    entries: dict[str, bytes | Path] = {
        "README.txt": readme(report, info).encode(),
        "HOW-TO-CITE.txt": how_to_cite(report, info).encode(),
        "LICENSE-CONTENT.md": (ROOT / "LICENSE-CONTENT.md").read_bytes(),
    }
    for r in report.results:
        for p in r.files:
            name = Path(p).name
            if name not in SKIP and not name.endswith(".json"):
                entries[f"figures/{r.id}/{name}"] = Path(p)
    for fig_id, meta in report.figures.items():
        entries[f"data/{fig_id}.csv"] = data_csv(meta["data"]).encode()
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w") as z:
            for name in sorted(entries):
                content = entries[name]
                blob = content.read_bytes() if isinstance(content, Path) else content
                zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                zi.compress_type = zipfile.ZIP_STORED if name.endswith(STORED) else zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                z.writestr(zi, blob)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
