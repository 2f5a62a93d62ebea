"""Command-line interface of the figure build; run `python -m figures_src --help`."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from attention_ref import ExampleError

from .build.process import BuildProcessError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m figures_src", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="render the figures whose inputs changed")
    b.add_argument("ids", nargs="*", help="figure ids (default: all)")
    b.add_argument("--force", action="store_true", help="render even where the cache is up to date")
    b.add_argument("--quality", choices=("draft", "publish"), default="draft")
    b.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: number of cores)")
    b.add_argument("--examples", metavar="FILE",
                   help="examples file (default: $ATTENTION_EXAMPLES or the packaged one)")
    b.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    b.add_argument("--report", metavar="FILE", help="write the build report (JSON) here")
    b.add_argument("--scene-themes", metavar="THEMES",
                   help="render the scenes in these themes (comma-separated, e.g. light: the slides' scenes) "
                        "instead of the video theme; needs figure ids")

    k = sub.add_parser("pack", help="build the figures, then write the teacher pack (a zip of every figure, "
                                    "video and data table, with the licence and how to cite)")
    k.add_argument("--out", metavar="FILE",
                   help="the zip to write (default: dist/self-attention-visually-<version>-teacher-pack.zip)")
    k.add_argument("--quality", choices=("draft", "publish"), default="draft")
    k.add_argument("--examples", metavar="FILE",
                   help="examples file (default: $ATTENTION_EXAMPLES or the packaged one)")
    k.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: number of cores)")
    k.add_argument("--quiet", "-q", action="store_true", help="no progress display")
    k.add_argument("--pdf", metavar="FILE", nargs="?", const="",
                   help="put this PDF of the print page in the pack (alone: dist/self-attention-visually-<version>.pdf,"
                        " as `make pdf` writes it)")

    d = sub.add_parser("pdf", help="print the built site's print page to a PDF file with headless Chromium")
    d.add_argument("--site", metavar="DIR", help="the built site (default: site/, where `make build` puts it)")
    d.add_argument("--out", metavar="FILE",
                   help="the PDF to write (default: dist/self-attention-visually-<version>.pdf)")

    sub.add_parser("list", help="list the figures: id, kind and caption")
    i = sub.add_parser("identity", help="the site's authors and addresses (mkdocs.yml, CITATION.cff, "
                                        "$SITE_URL, $REPO_URL), as every citation gives them")
    i.add_argument("--require-site-url", action="store_true",
                   help="fail unless a real site address is configured (what `make deploy` checks)")
    sub.add_parser("clean", help="delete the figure cache")
    s = sub.add_parser("snapshots", help="compare (or with --write, rewrite) tests/snapshots/")
    s.add_argument("--write", action="store_true", help="rewrite the snapshots from the current data()")
    s.add_argument("--dir", metavar="DIR", help="the snapshot directory (default: tests/snapshots)")

    args = parser.parse_args(argv)
    from .build.registry import FigureModuleError

    # SIGTERM (a CI timeout, `kill`, a supervisor) stops a build as Ctrl-C does: workers stopped, temp dirs removed.
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        return COMMANDS[args.command](args)
    except FigureModuleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ExampleError, KeyError, ValueError, BuildProcessError) as exc:
        print(f"error: {exc.args[0] if isinstance(exc, KeyError) else exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: nothing half-written was left behind", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def cmd_build(args) -> int:
    from .build import build

    themes = tuple(t.strip() for t in args.scene_themes.split(",") if t.strip()) if args.scene_themes else None
    report = build(args.ids or None, force=args.force, quality=args.quality, jobs=args.jobs,
                   examples=args.examples, progress=not args.quiet, report_path=args.report, scene_themes=themes)
    print(report.summary(), file=sys.stderr)
    for line in report.errors():
        print(f"FAILED {line}", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_pack(args) -> int:
    import time

    from .build import build
    from .core.identity import IdentityError, current, site_version
    from .core.paths import DIST, SLIDES_CACHE
    from .teacher import pack, slides

    try:
        info = current(site_version())  # first: a bad SITE_URL stops the command before the figures build
    except IdentityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"teacher pack: building the figures ({args.quality}) ...", file=sys.stderr)
    report = build(None, quality=args.quality, jobs=args.jobs, examples=args.examples, progress=not args.quiet)
    print(report.summary(), file=sys.stderr)
    try:
        pack.check_report(report)
    except pack.PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else DIST / pack.pack_name(info)
    pdf_file = None
    if args.pdf is not None:
        from .site.pdf import pdf_name

        pdf_file = Path(args.pdf) if args.pdf else DIST / pdf_name(info)
    print("teacher pack: the animations on the light theme, for the slides ...", file=sys.stderr)
    light = slides.light_scenes(report, jobs=args.jobs, progress=not args.quiet)
    if light is not None:
        print(light.summary(), file=sys.stderr)
    try:
        if light is not None:
            pack.check_report(light)
        started = time.perf_counter()
        deck = slides.cached_deck(slides.plan(report, info, light), info, SLIDES_CACHE)
    except (pack.PackError, slides.DeckError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    for made in deck:
        copied = slides.copy_out(made, out.with_name(slides.deck_name(info) + made.suffix))
        print(f"slides: wrote {copied} ({pack.megabytes(copied.stat().st_size)})", file=sys.stderr)
    print(f"slides: {len(report.figures) + 1} slides, made in {seconds:.1f} s", file=sys.stderr)
    print(f"teacher pack: writing {out} ...", file=sys.stderr)
    try:
        pack.write_pack(report, info, out, light=light, deck=deck, pdf=pdf_file)
    except pack.PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    count, size = pack.summary(out)
    print(f"teacher pack: wrote {out} ({count} files, {pack.megabytes(size)})", file=sys.stderr)
    return 0


def cmd_pdf(args) -> int:
    from .core.identity import build_info, site_version
    from .core.paths import DIST, ROOT
    from .site import pdf

    out = Path(args.out) if args.out else DIST / pdf.pdf_name(build_info(None, site_version()))
    site_dir = Path(args.site) if args.site else ROOT / "site"
    print(f"pdf: printing {site_dir / pdf.PRINT_PAGE} with headless Chromium ...", file=sys.stderr)
    try:
        result = pdf.render_pdf(site_dir, out)
    except pdf.PdfError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"pdf: wrote {result.path} ({result.pages} pages, {result.size / 1e6:.1f} MB)", file=sys.stderr)


def cmd_identity(args) -> int:
    from .core.identity import IdentityError, configured, identity

    try:
        ident = identity(configured("site_url"), configured("repo_url"))
    except IdentityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.require_site_url and not ident.site_url:
        print("error: no site address: set SITE_URL to the address the site is served from "
              "(e.g. SITE_URL=https://<your host>/<path>/ make deploy VERSION=1.0), or site_url in mkdocs.yml. "
              "Every page cites it; a placeholder host (example.org, *.invalid, localhost...) is refused.",
              file=sys.stderr)
        return 2
    print(f"site_url: {ident.site_url or '(none: a local build)'}")
    print(f"repo_url: {ident.repo_url or '(none)'}")
    print(f"authors:  {'; '.join(ident.authors)}")
    return 0


def cmd_list(args) -> int:
    from .build import registry

    for fig in registry.discover().values():
        print(f"{fig.id:32} {fig.kind:10} {fig.caption}")
    return 0


def cmd_clean(args) -> int:
    from .build import clean
    from .core.paths import FIGURE_CACHE

    print(f"removed {clean()} files from {FIGURE_CACHE}", file=sys.stderr)
    return 0


def cmd_snapshots(args) -> int:
    from .build import snapshots

    directory = Path(args.dir) if args.dir else snapshots.SNAPSHOT_DIR
    if args.write:
        changed = snapshots.write(directory)
        print(f"rewrote {len(changed)} snapshot(s): {', '.join(changed) or 'none changed'}", file=sys.stderr)
        return 0
    stale = snapshots.compare(directory)
    for fid, diffs in stale.items():
        print(f"differs: {fid}", file=sys.stderr)
        for line in diffs[:10]:
            print(f"  {line}", file=sys.stderr)
        if len(diffs) > 10:
            print(f"  ... and {len(diffs) - 10} more", file=sys.stderr)
    if stale:
        print("run `make snapshots` to rewrite them if the change is intended, and review the diff", file=sys.stderr)
    return 1 if stale else 0


COMMANDS = {"build": cmd_build, "pack": cmd_pack, "pdf": cmd_pdf, "list": cmd_list, "identity": cmd_identity,
            "clean": cmd_clean,
            "snapshots": cmd_snapshots}

if __name__ == "__main__":
    sys.exit(main())
