"""Which figures' numbers changed between versions, from the history of the committed snapshots.

A version of the site is a git tag `v<version>` on the commit it was built
from (scripts/deploy.sh makes it). Every figure's data() is committed as
tests/snapshots/<id>.json (figures_src/build/snapshots.py), so comparing those
files between two tags tells which figures show other numbers, which keys
changed, and from what to what. `history()` reads them with git (`git
cat-file`, never a checkout) for every tag, plus the working tree (what the
site being built shows) when it is not a version yet; `markdown()` writes
the result as the generated part of the "Changelog and errata" page.

No MkDocs here, and no failure: without git, outside a repository, in a
shallow clone or with no tag at all, the history says what it could not see
and shows what it can.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..build.snapshots import MISSING, ValueChange, changes
from ..core import git
from ..core.git import GitError
from ..core.paths import SNAPSHOTS_IN_GIT as SNAPSHOTS

TAG_PREFIX = "v"
MAX_EXAMPLES = 4  # old -> new values shown per figure


@dataclass
class FigureChanges:
    changed: dict[str, list[ValueChange]] = field(default_factory=dict)  # figure id -> its changed values
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)


@dataclass
class Entry:
    """One version (or the unreleased working tree) and what changed since the one before it."""

    title: str  # "1.1", or "Unreleased"
    version: str | None  # None for the working tree
    commit: str  # short hash ("" if unknown)
    date: str  # YYYY-MM-DD ("" if unknown)
    base: str | None  # the version compared with (None: the first one)
    changes: FigureChanges | None  # None: this entry's snapshots could not be read
    note: str = ""


@dataclass
class History:
    entries: list[Entry]  # newest first
    notes: list[str] = field(default_factory=list)  # what could not be seen (no git, shallow clone...)
    released: bool = False  # at least one version tag exists


# --------------------------------------------------------------------------- comparing snapshots


def compare(old: dict[str, object], new: dict[str, object]) -> FigureChanges:
    """What changed from one set of snapshots ({figure id: data}) to another."""
    out = FigureChanges()
    for fig_id in sorted(set(old) | set(new)):
        if fig_id not in old:
            out.added.append(fig_id)
        elif fig_id not in new:
            out.removed.append(fig_id)
        else:
            diffs = changes(old[fig_id], new[fig_id])
            if diffs:
                out.changed[fig_id] = diffs
    return out


# --------------------------------------------------------------------------- reading git


@dataclass(frozen=True)
class Tag:
    name: str  # "v1.0"
    version: str  # "1.0"
    commit: str  # full hash
    date: str  # the tag's date (an annotated tag's own, else its commit's), YYYY-MM-DD
    order: int  # the tagged commit's date (unix), to sort by


def tags(repo: Path) -> list[Tag]:
    """The version tags v*, newest commit first."""
    fmt = (
        "%(refname:strip=2)%09%(objecttype)%09%(objectname)%09%(*objectname)%09%(creatordate:short)%09"
        "%(committerdate:unix)%09%(*committerdate:unix)"
    )
    out = []
    for line in git.run("for-each-ref", f"--format={fmt}", f"refs/tags/{TAG_PREFIX}*", repo=repo).splitlines():
        name, kind, obj, target, date, cdate, target_cdate = (line.split("\t") + [""] * 7)[:7]
        commit, when = (target, target_cdate) if kind == "tag" else (obj, cdate)
        if not commit or kind not in ("tag", "commit"):
            continue  # a tag of a tree or a blob, or of a tag of a tag: not a version
        out.append(Tag(name, name[len(TAG_PREFIX) :], commit, date, int(when or 0)))
    return sorted(out, key=lambda t: (t.order, _natural(t.version)), reverse=True)


def _natural(text: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p)


def snapshots_at(repo: Path, rev: str) -> dict[str, object]:
    """{figure id: data} of the snapshots committed at `rev` (empty if it has none)."""
    names = (
        [n for n in git.run("ls-tree", "--name-only", f"{rev}:{SNAPSHOTS}", repo=repo).splitlines()
         if n.endswith(".json")]
        if _has_tree(repo, rev)
        else []
    )
    if not names:
        return {}
    request = "".join(f"{rev}:{SNAPSHOTS}/{n}\n" for n in names)
    raw = git.run("cat-file", "--batch", repo=repo, input=request.encode(), text=False)
    data, pos, out = raw, 0, {}
    for name in names:
        end = data.index(b"\n", pos)
        header = data[pos:end].decode().split()
        if len(header) < 3 or header[1] != "blob":
            raise GitError(f"{rev}:{SNAPSHOTS}/{name}: {' '.join(header)}")
        size = int(header[2])
        out[name[: -len(".json")]] = json.loads(data[end + 1 : end + 1 + size].decode("utf-8"))
        pos = end + 1 + size + 1
    return out


def _has_tree(repo: Path, rev: str) -> bool:
    try:
        git.run("rev-parse", "--verify", "--quiet", f"{rev}:{SNAPSHOTS}", repo=repo)
        return True
    except GitError:
        git.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", repo=repo)  # the commit itself must be there
        return False


def snapshots_in(directory: Path) -> dict[str, object]:
    """{figure id: data} of the snapshot files in a folder (the working tree's)."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(directory).glob("*.json"))}


# --------------------------------------------------------------------------- the history


def history(repo: Path, working: Path | None = None) -> History:
    """Every version with what changed since the one before, newest first; the working tree on top if
    it is not the latest version (`working`: its snapshots folder, default repo/tests/snapshots)."""
    repo = Path(repo)
    working = Path(working) if working is not None else repo / SNAPSHOTS
    now = snapshots_in(working) if working.is_dir() else {}
    hist = History(entries=[])
    try:
        git.run("rev-parse", "--git-dir", repo=repo)
    except GitError:
        hist.notes.append("This copy of the site's sources is not a git repository, so the versions are not known.")
        hist.entries.append(Entry("Unreleased", None, "", "", None, compare({}, now)))
        return hist
    shallow = git.run_or("", "rev-parse", "--is-shallow-repository", repo=repo).strip() == "true"
    try:
        found = tags(repo)
    except GitError as exc:
        hist.notes.append(f"The version tags could not be read ({exc}).")
        found = []
    hist.released = bool(found)
    if shallow:
        hist.notes.append(
            "This build ran in a shallow clone of the repository, which may lack some versions or their commits."
            if found
            else "This build ran in a shallow clone of the repository, which may lack the version tags."
        )
    head = git.run_or("", "rev-parse", "HEAD", repo=repo).strip()
    head_date = git.run_or("", "log", "-1", "--format=%cs", "HEAD", repo=repo).strip()

    snaps: list[dict | None] = []
    for tag in found:
        try:
            snaps.append(snapshots_at(repo, tag.commit))
        except (GitError, ValueError) as exc:  # a shallow clone without that commit, a broken file
            snaps.append(None)
            hist.notes.append(f"The snapshots of {tag.version} could not be read ({_first_line(exc)}).")

    # The working tree, unless it is exactly the latest version (same commit, same numbers).
    base_tag = _nearest_tag(repo, found)
    if base_tag is not None:
        base_snaps = snaps[found.index(base_tag)]
        changes = compare(base_snaps, now) if base_snaps is not None else None
        if head != base_tag.commit or changes:
            hist.entries.append(Entry("Unreleased", None, head[:12], head_date, base_tag.version, changes))
    else:
        hist.entries.append(Entry("Unreleased", None, head[:12], head_date, None, compare({}, now)))

    for i, tag in enumerate(found):
        older = found[i + 1] if i + 1 < len(found) else None
        new = snaps[i]
        old = snaps[i + 1] if older is not None else {}
        changes = compare(old, new) if new is not None and old is not None else None
        hist.entries.append(
            Entry(tag.version, tag.version, tag.commit[:12], tag.date, older.version if older else None, changes)
        )
    return hist


def _nearest_tag(repo: Path, found: list[Tag]) -> Tag | None:
    """The version the working commit follows: the nearest version tag it descends from, else the newest."""
    if not found:
        return None
    name = git.run_or("", "describe", "--tags", "--abbrev=0", f"--match={TAG_PREFIX}*", "HEAD", repo=repo).strip()
    by_name = {t.name: t for t in found}
    return by_name.get(name, found[0])


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --------------------------------------------------------------------------- the page


def versions_sentence(deployed: bool) -> str:
    """Where a reader finds the other versions: true of this build, which has a version selector only when
    deployed with mike (scripts/deploy.sh)."""
    if deployed:
        return ("the version selector beside the site's title, at the top of every page, lists them and leads "
                "to each")
    return ("on a copy deployed with its versions, a version selector beside the site's title leads to each; "
            "this build was not deployed so, and has none")


def report_sentence(issues_url: str, repo_url: str) -> str:
    """How to report an erratum: a link to the repository's issues when there is one, else what to do."""
    what = "naming the page, the version (in \"Cite this page\" at the foot of every page) and what is wrong"
    if issues_url:
        return f"Please [open an issue]({issues_url}), {what}."
    if repo_url:
        return f"Please tell the maintainers of [the repository]({repo_url}), {what}."
    return (f"Please tell whoever gave you this copy (its teacher or maintainer), {what}; this local build names "
            "no repository (REPO_URL sets one, see the README).")


def fmt_value(v) -> str:
    if v is MISSING:
        return "(none)"
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        v = v if len(v) <= 40 else v[:39] + "…"
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return f"a list of {len(v)}"
    if isinstance(v, dict):
        return f"a table of {len(v)} keys"
    return str(v)


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def examples(diffs: list[ValueChange], limit: int = MAX_EXAMPLES) -> list[ValueChange]:
    """A few of a figure's changed values, in their order: the first of each changed key, then the next ones."""
    firsts = {}
    for i, d in enumerate(diffs):
        firsts.setdefault(d.key, i)
    rest = [i for i in range(len(diffs)) if i not in firsts.values()]
    chosen = sorted((list(firsts.values()) + rest)[:limit])
    return [diffs[i] for i in chosen]


def markdown(hist: History, link: Callable[[str], str | None] = lambda fig_id: None) -> str:
    """The generated part of the changelog page; `link(fig_id)` gives the Markdown link target of a figure's
    page, or None when the figure has no page in this build (a removed figure)."""

    def name(fig_id: str) -> str:
        target = link(fig_id)
        return f"[{_code(fig_id)}]({target})" if target else _code(fig_id)

    lines: list[str] = []
    if not hist.released:
        lines += ["No version released yet: below, every figure of this build is new.", ""]
    for note in hist.notes:
        lines += [f"*{note}*", ""]
    for entry in hist.entries:
        if entry.version is None:
            heading = f"Since {entry.base}" if entry.base else "Unreleased"
            heading += " (unreleased)" if entry.base else ""
        else:
            heading = entry.title + (f" ({entry.date})" if entry.date else "")
        lines += [f"### {heading}", ""]
        meta = []
        if entry.version is None:
            meta.append(
                "The working tree this site was built from"
                + (f", commit {_code(entry.commit)}" if entry.commit else "")
            )
        else:
            meta.append(f"Tag {_code(TAG_PREFIX + entry.version)}, commit {_code(entry.commit)}")
        meta.append(f"compared with {entry.base}" if entry.base else "compared with nothing before it")
        lines += [", ".join(meta) + ".", ""]
        ch = entry.changes
        if ch is None:
            lines += ["*Its snapshots are not in this clone: the changes cannot be shown.*", ""]
            continue
        if not ch:
            lines += ["No figure's numbers changed.", ""]
            continue
        if ch.changed:
            n = len(ch.changed)
            lines += [f"Numbers changed in {n} figure{'s' if n != 1 else ''}:", ""]
            for fig_id, diffs in ch.changed.items():
                keys = list(dict.fromkeys(d.key for d in diffs))
                shown = examples(diffs)
                values = "; ".join(f"{_code(d.path)} {fmt_value(d.old)} → {fmt_value(d.new)}" for d in shown)
                more = len(diffs) - len(shown)
                tail = f"; and {more} more value{'s' if more != 1 else ''}" if more > 0 else ""
                lines.append(f"- {name(fig_id)}: {', '.join(map(_code, keys))} changed: {values}{tail}.")
            lines.append("")
        if ch.added:
            lines += [f"New figure{'s' if len(ch.added) != 1 else ''}: " + ", ".join(map(name, ch.added)) + ".", ""]
        if ch.removed:
            lines += [
                f"Removed figure{'s' if len(ch.removed) != 1 else ''}: " + ", ".join(map(_code, ch.removed)) + ".",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"
