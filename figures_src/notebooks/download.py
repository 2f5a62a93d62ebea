"""The notebook a reader downloads: the executed notebook with a first cell that installs what it needs.

    install_line(wheel, wheel_url=None) -> "%pip install numpy matplotlib <wheel>"
    downloaded(executed_ipynb: bytes, wheel, wheel_url=None) -> bytes

The executed notebook (figures_src.notebooks.execute) ran in the project's
environment. Downloaded, it runs in whatever Python the reader has, so its
first cell installs numpy and matplotlib from PyPI and attention_ref from
the wheel the site serves (figures_src.notebooks.wheel), in one `%pip`
line (`%pip` installs into the kernel's own Python, where `!pip` may not).
With the site's address known the line names the wheel's absolute URL;
in a local build there is none to name, so the cell says to download the
wheel from the notebook's page into the notebook's folder, and installs
it from there. The cell is added here, not executed: the page shows the
notebook as the build ran it.
"""

from __future__ import annotations

import json

PACKAGES = ("numpy", "matplotlib")  # from PyPI; the wheel requires them with pyproject.toml's ranges
CELL_ID = "install"


def install_line(wheel: str, wheel_url: str | None = None) -> str:
    """The one `%pip install` line: the wheel by its absolute URL, or as a file beside the notebook."""
    return f"%pip install {' '.join(PACKAGES)} {wheel_url or './' + wheel}"


def install_source(wheel: str, wheel_url: str | None = None) -> str:
    """The first cell's text: what it installs, and (in a local build) where to put the wheel first."""
    lines = [
        "# Run this cell once, in any Jupyter (Python 3.11 or newer): it installs numpy and",
        "# matplotlib from PyPI, and attention_ref (with the figure code this notebook uses)",
    ]
    if wheel_url:
        lines.append("# from the wheel the site serves.")
    else:
        lines += [
            f"# from the wheel {wheel}:",
            "# download the wheel from this notebook's page (beside the notebook's own",
            "# download) into the folder of this notebook first.",
        ]
    return "\n".join(lines + [install_line(wheel, wheel_url)])


def downloaded(executed: bytes, wheel: str, wheel_url: str | None = None) -> bytes:
    """The executed notebook's bytes with the install cell first (same JSON layout as nbformat writes)."""
    notebook = json.loads(executed)
    if any(c.get("id") == CELL_ID for c in notebook.get("cells", [])):
        raise ValueError(f"the notebook already has a cell with the id {CELL_ID!r}")
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": CELL_ID,
        "metadata": {"tags": ["install"]},
        "outputs": [],
        "source": install_source(wheel, wheel_url).splitlines(keepends=True),  # as nbformat stores it
    }
    notebook["cells"].insert(0, cell)
    return (json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()


def absolute_url(site_url: str | None, uri: str) -> str | None:
    """`uri` under the site's address, or None when the build has no address (a local build)."""
    return f"{site_url.rstrip('/')}/{uri}" if site_url else None
