"""Running git: one helper for every room that reads the repository's history."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .paths import ROOT


class GitError(Exception):
    """git could not be run, or said no; the message is git's own."""


def run(*args: str, repo: Path = ROOT, input: bytes | str | None = None, text: bool = True) -> str | bytes:
    """The standard output of `git args...` in `repo`; raises GitError with git's message."""
    try:
        proc = subprocess.run(["git", *args], cwd=repo, input=input, capture_output=True, timeout=60,
                              **({"text": True, "encoding": "utf-8", "errors": "replace"} if text else {}))
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(str(exc)) from None
    if proc.returncode != 0:
        err = proc.stderr if text else proc.stderr.decode(errors="replace")
        raise GitError(err.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def run_or(default: str, *args: str, repo: Path = ROOT) -> str:
    """`run(*args)` stripped, or `default` where git fails."""
    try:
        return run(*args, repo=repo).strip()
    except GitError:
        return default
