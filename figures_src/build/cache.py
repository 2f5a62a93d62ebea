"""The figure cache: data memos, published renders, and their pruning.

Layout (outside docs/, ignored by git; `FIGURES_CACHE` moves it):

    data/<id>-<hash>.json                    data() memo
    render/<id>/<theme>-<quality>-<key>/     the files + <id>.json (the numbers) + manifest.json
    last-build-<quality>.json                what the last full build produced

A render is made in a hidden temporary folder beside its final one and renamed
into place only when complete, so a build killed half way leaves no
half-written file, and two builds running at once never see each other's
partial output.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

from ..core import files
from ..core.files import atomic_write, file_hash, sha
from ..kit.jsonable import to_jsonable
from . import registry


def compute_data(fig: registry.Figure, examples, ex_bytes: bytes, math: str, cache: Path, shared: str = "") -> dict:
    """data() of a figure, memoised by (module source, shared helpers, attention_ref source, examples file)."""
    memo = cache / "data" / f"{fig.id}-{sha('memo-v2', fig.source, shared, math, ex_bytes)[:20]}.json"
    if memo.exists():
        try:
            return json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # damaged memo: compute again
    data = to_jsonable(fig.data(examples))
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)  # data()'s own key order: tables follow it
    atomic_write(memo, text)
    return json.loads(text)


def render_dir(cache: Path, fig_id: str, theme: str, quality: str, key: str) -> Path:
    return cache / "render" / fig_id / f"{theme}-{quality}-{key}"


def new_temp_dir(final: Path) -> Path:
    """A hidden folder beside `final` for a render to write into: `.tmp-<pid>-<random>`."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    return tmp


def verified(out_dir: Path) -> list[Path] | None:
    """The files of a cached render if all are present and unchanged, else None."""
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        paths = [out_dir / name for name in manifest["files"]]
        if all(p.is_file() and file_hash(p) == manifest["files"][p.name] for p in paths):
            return paths
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def publish(tmp: Path, final: Path, fig_id: str, data: dict, names: list[str]) -> list[Path]:
    """Record hashes, write the data JSON beside the files, and rename `tmp` into place as `final`."""
    if not names:
        raise RuntimeError("render() wrote no files")
    (tmp / f"{fig_id}.json").write_text(json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n")
    names = sorted(set(names) | {f"{fig_id}.json"})
    manifest = {"files": {n: file_hash(tmp / n) for n in names}}
    (tmp / "manifest.json").write_text(json.dumps(manifest, sort_keys=True, indent=1))
    for _attempt in range(3):
        try:
            os.rename(tmp, final)  # atomic; fails if the directory exists (another build got there first)
            return [final / n for n in names]
        except OSError:
            done = verified(final)
            if done is not None:  # the same render, published by a concurrent build
                shutil.rmtree(tmp, ignore_errors=True)
                return done
            # A damaged render of this key (a file deleted or edited in the cache): move it aside, then retry.
            trash = final.with_name(f".trash-{os.getpid()}-{uuid.uuid4().hex[:8]}")
            try:
                os.rename(final, trash)
            except FileNotFoundError:
                pass
            shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)
    raise RuntimeError(f"could not publish the render into {final}")


def prune(fig_dir: Path, keep: set[str], quality: str, themes: tuple[str, ...] | None = None) -> None:
    """Remove this quality's renders of other keys once unused, and temp dirs whose build is gone.

    Renders of the other quality stay: a draft build must not throw away the
    publish renders (and the other way round). With `themes`, only renders of
    those themes go: the site's build leaves the slides' light scenes alone.
    """
    if not fig_dir.exists():
        return
    abandoned, old = [], []
    for d in fig_dir.iterdir():
        if d.name in keep or not d.is_dir():
            continue
        if d.name.startswith((".tmp-", ".trash-")):
            pid = d.name.split("-")[1]
            if not files.pid_alive(int(pid) if pid.isdigit() else 0):
                abandoned.append(d)
        elif d.name.split("-")[1:2] == [quality] and (themes is None or d.name.split("-")[0] in themes):
            old.append(d)
    files.prune(abandoned, unused_for=0)
    files.prune(old)  # used lately maybe by a concurrent build with other inputs (a teacher's examples)


def clean(cache: Path) -> int:
    """Remove the whole figure cache; returns the number of files removed."""
    count = sum(1 for p in cache.rglob("*") if p.is_file()) if cache.exists() else 0
    shutil.rmtree(cache, ignore_errors=True)
    return count
