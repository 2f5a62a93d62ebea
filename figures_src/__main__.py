"""Command-line interface of the figure build; run `python -m figures_src --help`."""

from __future__ import annotations

import argparse
import sys

from attention_ref import ExampleError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m figures_src", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="render the figures whose inputs changed")
    b.add_argument("ids", nargs="*", help="figure ids (default: all)")
    b.add_argument("--force", action="store_true", help="render even where the cache is up to date")
    b.add_argument("--quality", choices=("draft", "publish"), default="draft")
    b.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: number of cores)")
    b.add_argument("--examples", metavar="FILE", help="examples file (default: $ATTENTION_EXAMPLES or the packaged one)")
    b.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    b.add_argument("--report", metavar="FILE", help="write the build report (JSON) here")

    sub.add_parser("list", help="list the figures: id, kind and caption")
    sub.add_parser("clean", help="delete the figure cache")
    s = sub.add_parser("snapshots", help="compare (or with --write, rewrite) tests/snapshots/")
    s.add_argument("--write", action="store_true", help="rewrite the snapshots from the current data()")

    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ExampleError, KeyError, ValueError) as exc:
        print(f"error: {exc.args[0] if isinstance(exc, KeyError) else exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: nothing half-written was left behind", file=sys.stderr)
        return 130


def cmd_build(args) -> int:
    from .build import build

    report = build(args.ids or None, force=args.force, quality=args.quality, jobs=args.jobs,
                   examples=args.examples, progress=not args.quiet, report_path=args.report)
    print(report.summary(), file=sys.stderr)
    for line in report.errors():
        print(f"FAILED {line}", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_list(args) -> int:
    from . import registry

    for fig in registry.discover().values():
        print(f"{fig.id:32} {fig.kind:10} {fig.caption}")
    return 0


def cmd_clean(args) -> int:
    from .build import DEFAULT_CACHE, clean

    print(f"removed {clean()} files from {DEFAULT_CACHE}", file=sys.stderr)
    return 0


def cmd_snapshots(args) -> int:
    from . import snapshots

    if args.write:
        changed = snapshots.write()
        print(f"rewrote {len(changed)} snapshot(s): {', '.join(changed) or 'none changed'}", file=sys.stderr)
        return 0
    stale = [fid for fid, d in snapshots.current().items()
             if not (snapshots.SNAPSHOT_DIR / f"{fid}.json").exists()
             or (snapshots.SNAPSHOT_DIR / f"{fid}.json").read_text(encoding="utf-8") != snapshots.dumps(d)]
    for fid in stale:
        print(f"differs: {fid}", file=sys.stderr)
    return 1 if stale else 0


COMMANDS = {"build": cmd_build, "list": cmd_list, "clean": cmd_clean, "snapshots": cmd_snapshots}

if __name__ == "__main__":
    sys.exit(main())
