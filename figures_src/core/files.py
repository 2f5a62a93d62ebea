"""Files that are never seen half-written, hashes, and the one rule for pruning caches.

Every cache of the build (renders, data memos, thumbnails, packs, executed
notebooks) writes through `atomic_write` (a temporary name in the same folder,
then a rename) and drops old entries through `prune`: an entry that is not
wanted now and has not been used for `UNUSED_FOR` seconds goes. The grace
period matters because two builds may share a cache (say, the site's and a
teacher's own examples): what one does not want the other may be about to use.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

UNUSED_FOR = 3600.0  # seconds an entry nobody wants now is kept after its last use


def sha(*parts: bytes | str) -> str:
    """The SHA-256 of the parts, each followed by a NUL (so ("ab", "c") and ("a", "bc") differ)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def file_hash(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def temp_name(path: Path, kind: str = "tmp") -> Path:
    """A hidden name beside `path`, unique to this process and call: `.name.<pid>.<random>.tmp`."""
    return path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.{kind}")


def atomic_write(path: str | os.PathLike, content: str | bytes, *, save=None) -> Path:
    """Write `content` to `path` so that a reader sees the old file or the whole new one, never half.

    With `save`, `save(tmp_path)` writes the file instead (an image library's
    save, a zip writer) and `content` is ignored. The folder is created.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(path)
    try:
        if save is not None:
            save(tmp)
        elif isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def touch(path: Path) -> None:
    """Mark a cache entry as used now (its mtime), so that `prune` keeps it."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune(entries: Iterable[Path], keep: Iterable[Path | str] = (), *, unused_for: float = UNUSED_FOR) -> int:
    """Remove the files or folders of `entries` that are not in `keep` (paths or names) and unused for
    `unused_for` seconds; returns how many went. An entry a concurrent build removed first is skipped."""
    keep = {Path(k).name for k in keep}
    now, removed = time.time(), 0
    for entry in entries:
        if entry.name in keep:
            continue
        try:
            if now - entry.stat().st_mtime < unused_for:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (a temp file's owner, say)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
