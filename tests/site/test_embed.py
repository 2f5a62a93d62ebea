"""Pages embed figures by id: every id the docs use exists, every figure is used, bad macros fail loudly."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from real_figures import real_figures  # noqa: E402
from throwaway_figures import ROOT  # noqa: E402

from figures_src.kit import vtt  # noqa: E402
from figures_src.site import embed  # noqa: E402
from figures_src.site.embed import EmbedError, SiteFigure  # noqa: E402

DOCS = ROOT / "docs"


def doc_calls() -> list[tuple[str, str, tuple]]:
    """(page, macro, args) for every macro call in docs/**/*.md, outside code."""
    calls = []
    for md in sorted(DOCS.rglob("*.md")):
        page = md.relative_to(DOCS).as_posix()
        calls += [(page, name, args) for name, args in embed.references(md.read_text(encoding="utf-8"), page)]
    return calls


def test_every_id_the_docs_use_is_a_figure():
    known = set(real_figures())
    unknown = [(page, name, args) for page, name, args in doc_calls() if args and args[0] not in known]
    assert not unknown, f"pages use figure ids that do not exist: {unknown}"


def test_every_figure_is_embedded_somewhere():
    embedded = {args[0] for _, name, args in doc_calls() if name == "figure" and args}
    unused = sorted(set(real_figures()) - embedded)
    assert not unused, f"figures no page embeds with {{{{ figure(...) }}}}: {unused}"


def test_every_macro_in_the_docs_expands():
    """Checked against the figures' real data (no render): ids, keys and formats all resolve."""
    from attention_ref import load_examples
    from attention_ref.examples import DEFAULT_PATH
    from figures_src.build import claims

    ex = load_examples(DEFAULT_PATH)
    figs = {}
    for fid, f in real_figures().items():
        data = f.data(ex)
        figs[fid] = fake_files(SiteFigure(fid, f.kind, f.caption, f.description, "alt", data,
                                          claims=claims.evaluate(f, data)))
    for md in sorted(DOCS.rglob("*.md")):
        page = md.relative_to(DOCS).as_posix()
        embed.check(md.read_text(encoding="utf-8"), page, figs)


# --------------------------------------------------------------------------- macro behaviour


SCENE_CAPTIONS = [(0.0, "Scores <in>"), (2.5, "Still the scores."), (4.0, "The pie.")]
SCENE_CHAPTERS = [(0.0, "Scores"), (4.0, "The pie")]


def fake_files(fig: SiteFigure, root: Path | None = None) -> SiteFigure:
    """The file names the build would give `fig`; a scene's tracks are real files (the page reads them)."""
    if fig.kind == "manim":
        root = root or Path(tempfile.mkdtemp(prefix="fake-scene-"))
        vtt.write(root / f"{fig.id}.captions.vtt", SCENE_CAPTIONS, 6.0)
        vtt.write(root / f"{fig.id}.chapters.vtt", SCENE_CHAPTERS, 6.0)
        names = [".mp4", ".poster.png", ".captions.vtt", ".chapters.vtt", ".step-1.png", ".step-2.png"]
        fig.files = {f"{fig.id}{n}": str(root / f"{fig.id}{n}") for n in names}
        return fig
    names = [".light.svg", ".dark.svg", ".light.png", ".dark.png"]
    fig.files = {f"{fig.id}{n}": f"/nonexistent/{fig.id}{n}" for n in names}
    return fig


@pytest.fixture
def site():
    data = {"weight": {"animal": 0.3219, "it": -0.0001}, "tokens": ["The", "animal"], "focus": "it <b>"}
    return {"fig-a": fake_files(SiteFigure("fig-a", "matplotlib", "Caption <A>", "desc", 'alt "quoted"', data)),
            "scene-b": fake_files(SiteFigure("scene-b", "manim", "Scene", "desc", "alt", {"x": 1.0}))}


def expand(md: str, site, page="steps/softmax.md") -> str:
    return embed.expand(md, page, site, relative=lambda p: "../" + p)


def test_value_formats_the_number_as_the_figures_do(site):
    assert expand('{{ value("fig-a", "weight.animal", "pct") }}', site) == "32.2%"
    assert expand("{{ value('fig-a', 'weight.animal') }}", site) == "0.32"  # default f2
    assert expand('{{ value("fig-a", "weight.it", "f2") }}', site) == "0.00"  # never "-0.00"
    assert expand('{{ value("fig-a", "tokens.1") }}', site) == "animal"
    assert expand('{{ value("fig-a", "focus") }}', site) == "it &lt;b&gt;"  # strings are escaped


def test_figure_writes_both_themes_alt_caption_and_a_link_to_its_page(site):
    out = expand('{{ figure("fig-a") }}', site)
    assert 'src="../figures/fig-a/fig-a.light.svg#only-light"' in out
    assert 'src="../figures/fig-a/fig-a.dark.svg#only-dark"' in out
    assert out.count('alt="alt &quot;quoted&quot;"') == 2
    assert "<figcaption>Caption &lt;A&gt;" in out
    assert 'href="../figures/fig-a/"' in out


def test_a_scene_is_embedded_as_a_video_with_captions(site):
    out = expand('{{ figure("scene-b") }}', site)
    assert '<video' in out and 'src="../figures/scene-b/scene-b.mp4"' in out
    assert '<track kind="captions" src="../figures/scene-b/scene-b.captions.vtt"' in out
    assert 'poster="../figures/scene-b/scene-b.poster.png"' in out
    assert '<track kind="chapters" src="../figures/scene-b/scene-b.chapters.vtt"' in out


def test_a_scene_s_captions_are_off_until_the_reader_turns_them_on(site):
    """Shown by default, the browser draws captions over the picture's lower part (labels of some scenes,
    the "it" row on a phone): the captions track is there for the player's button, but not `default`."""
    out = expand('{{ figure("scene-b") }}', site)
    tracks = re.findall(r"<track\b[^>]*>", out)
    captions = [t for t in tracks if 'kind="captions"' in t]
    assert len(captions) == 1, tracks
    assert not re.search(r"\bdefault\b", captions[0]), captions[0]
    assert 'label="English"' in captions[0]  # the player's captions menu names it


def test_a_scene_has_its_steps_its_stills_and_its_transcript(site):
    out = expand('{{ figure("scene-b") }}', site)
    # a button per chapter, starting where the chapter starts, hidden until the script shows it
    nav_open = '<nav class="sav-steps" data-video="video-scene-b" aria-label="Steps of: Scene" hidden>'
    nav = re.search(re.escape(nav_open) + "(.*?)</nav>", out).group(1)
    assert 'id="video-scene-b"' in out
    assert re.findall(r'data-start="([\d.]+)"', nav) == ["0.000", "4.000"]
    assert '<span class="sav-steps__n">2</span> The pie</button>' in nav  # the visible text is its name
    assert '<p class="sav-steps__now" aria-live="polite">Step 1 of 2: Scores</p>' in nav
    # one still per step, its alt text the step and what the captions say during it
    stills = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', out.split('<ol class="sav-stills"')[1])
    assert stills == [
        ("../figures/scene-b/scene-b.step-1.png", "Step 1 of 2: Scores. Scores &lt;in&gt; Still the scores."),
        ("../figures/scene-b/scene-b.step-2.png", "Step 2 of 2: The pie. The pie."),
    ]
    # the transcript: every caption, under the step it is said in, with the step's start time
    transcript = re.search(r'<details class="sav-transcript">(.*?)</details>', out).group(1)
    assert "<p><strong>Step 1 of 2: Scores</strong> (0:00) Scores &lt;in&gt; Still the scores.</p>" in transcript
    assert "<p><strong>Step 2 of 2: The pie</strong> (0:04) The pie.</p>" in transcript
    # and the figure's caption stays the figure's last child
    assert out.endswith("</figcaption></figure>")


def test_a_scene_without_chapters_has_no_steps_and_a_transcript_in_one_paragraph(site):
    scene = site["scene-b"]
    del scene.files["scene-b.chapters.vtt"]
    out = expand('{{ figure("scene-b") }}', site)
    assert "sav-steps" not in out and "sav-stills" not in out and "kind=\"chapters\"" not in out
    transcript = re.search(r'<details class="sav-transcript">(.*?)</details>', out).group(1)
    said = "Scores &lt;in&gt; Still the scores. The pie."
    assert transcript == f"<summary>Transcript of the animation</summary><p>{said}</p>"


def test_a_scene_with_a_missing_still_or_track_fails_naming_it(site, tmp_path):
    scene = site["scene-b"]
    del scene.files["scene-b.step-2.png"]
    with pytest.raises(EmbedError, match=r"scene scene-b has 2 chapters but no still of step 2"):
        expand('{{ figure("scene-b") }}', site)
    scene = fake_files(SiteFigure("scene-c", "manim", "Scene", "desc", "alt", {}), tmp_path)
    (tmp_path / "scene-c.captions.vtt").write_text("not a track", encoding="utf-8")
    with pytest.raises(EmbedError, match=r"scene-c.captions.vtt: not a WebVTT file"):
        expand('{{ figure("scene-c") }}', {**site, "scene-c": scene})
    (tmp_path / "scene-c.captions.vtt").unlink()
    with pytest.raises(EmbedError, match=r"scene scene-c: cannot read .*scene-c.captions.vtt"):
        expand('{{ figure("scene-c") }}', {**site, "scene-c": scene})


def test_vtt_reads_back_what_it_writes(tmp_path):
    path = tmp_path / "t.vtt"
    cues = [(0.0, "one"), (61.25, "ends where it starts: not written"), (61.25, "two"), (3725.5, "three")]
    vtt.write(path, cues, 3730.0)
    assert vtt.read(path) == [vtt.Cue(0.0, 61.25, "one"), vtt.Cue(61.25, 3725.5, "two"),
                              vtt.Cue(3725.5, 3730.0, "three")]
    assert vtt.clock(61.25) == "1:01" and vtt.timestamp(3725.5) == "01:02:05.500"


@pytest.mark.parametrize(("md", "says"), [
    ('{{ figure("no-such-fig") }}', ["steps/softmax.md", "unknown figure id 'no-such-fig'", "fig-a"]),
    ('{{ value("no-such-fig", "x") }}', ["steps/softmax.md", "'no-such-fig'"]),
    ('{{ value("fig-a", "weight.cat", "pct") }}', ["steps/softmax.md", "fig-a", "weight.cat", "animal, it"]),
    ('{{ value("fig-a", "weight.animal", "percent") }}', ["steps/softmax.md", "fig-a", "unknown format 'percent'"]),
    ('{{ value("fig-a", "weight") }}', ["steps/softmax.md", "fig-a", "only numbers"]),
    ('{{ figur("fig-a") }}', ["steps/softmax.md", "unknown macro figur()"]),
    ("{{ figure(fig_a) }}", ["steps/softmax.md", "string literals"]),
    ("{{ figure() }}", ["steps/softmax.md", "needs a figure id"]),
    ('{{ figure("fig-a", "extra") }}', ["steps/softmax.md", "fig-a"]),
], ids=["unknown-id", "unknown-id-in-value", "unknown-key", "unknown-format", "not-a-number", "unknown-macro",
        "not-a-literal", "no-id", "extra-argument"])
def test_a_bad_macro_raises_naming_the_page_and_what_is_wrong(site, md, says):
    for run in (lambda: expand(f"Text.\n\n{md}\n", site), lambda: embed.check(md, "steps/softmax.md", site)):
        with pytest.raises(EmbedError) as info:
            run()
        for part in says:
            assert part in str(info.value), (part, str(info.value))


@pytest.mark.parametrize("md", [
    'Write `{{ figure("nope") }}` to embed.',
    'Write ``{{ figure("nope") }}`` to embed.',
    '```markdown\n{{ figure("nope") }}\n```\n',
    '~~~\n{{ figure("nope") }}\n~~~\n',
    '````markdown\n```\n{{ figure("nope") }}\n```\n````\n',
    '!!! example\n\n    ```markdown\n    {{ figure("nope") }}\n    ```\n',
    '1. a list item\n\n    ```\n    {{ value("nope", "x") }}\n    ```\n',
])
def test_macros_inside_code_are_left_alone(site, md):
    assert expand(md, site) == md
    embed.check(md, "page.md", site)  # no EmbedError
    assert embed.references(md) == []


def test_code_does_not_hide_the_macros_around_it(site):
    md = 'Use `{{ figure("x") }}`:\n\n```\ncode\n```\n\n{{ value("fig-a", "weight.animal", "pct") }} `b`'
    assert expand(md, site) == md.replace('{{ value("fig-a", "weight.animal", "pct") }}', "32.2%")
    with pytest.raises(EmbedError, match="nope"):
        expand('```\nx\n```\n{{ figure("nope") }}\n```\ny\n```', site)


def test_references_lists_every_call_in_order():
    md = '{{ figure("a") }} and {{ value("b", "k.0", "pct") }} `{{ figure("c") }}`'
    assert embed.references(md) == [("figure", ("a",)), ("value", ("b", "k.0", "pct"))]


def test_a_figure_with_a_narrow_variant_is_a_picture_that_switches_below_the_width_it_needs(site, tmp_path):
    """The narrow SVG is the <source> of a <picture> (its own size), shown below the viewport width where the
    wide SVG's smallest text would be under 9 px; the <img> keeps its src and palette mark."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl

    with mpl.themed("light", "fig-a"):
        fig, ax = plt.subplots(figsize=(7.2, 3))
        ax.text(0.1, 0.5, "small words", fontsize=8)
        paths = mpl.save(fig, tmp_path, "fig-a", "light", formats=("svg",))
    assert [p.name for p in paths] == ["fig-a.light.svg", "fig-a.light.narrow.svg"]
    fig_a = site["fig-a"]
    fig_a.files.update({p.name: str(p) for p in paths})
    out = expand('{{ figure("fig-a") }}', site)
    m = re.search(r'<picture><source media="screen and \(max-width: (\d+)px\)" srcset="([^"]+)" '
                  r'width="(\d+)" height="(\d+)"><img src="([^"]+)"', out)
    assert m, out
    below, srcset, _, _, src = m.groups()
    assert srcset == "../figures/fig-a/fig-a.light.narrow.svg" and src.endswith("fig-a.light.svg#only-light")
    assert 390 < int(below) < 960
    assert out.count("<picture>") == 1  # the dark variant has no narrow one here: a plain <img>
