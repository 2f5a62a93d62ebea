"""Claims: what a page says a figure shows is checked against the figure's data on every build.

A throwaway figure (value 7) declares claims; the figure build records each
claim with whether it holds, and the site build stops on a false one naming
the figure, the claim and the pages that rely on it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from throwaway_figures import ROOT

from figures_src import build as figure_build
from figures_src.build import registry
from figures_src.kit.claims import claim, claims_of

CLAIMS = '''

from figures_src.kit.claims import claim


@claim("the value is odd")
def value_is_odd(data):
    return data["value"] % 2 == 1


@claim("the value is above {limit}")
def value_is_large(data):
    return data["value"] > {limit}
'''


def add_claimed(figures, fig_id: str = "fig-claimed", value: int = 7, limit: int = 5):
    path = figures.add(fig_id, value=value)
    path.write_text(path.read_text() + CLAIMS.format(limit=limit))
    return path


def test_claims_are_found_in_the_order_they_are_written(figures):
    add_claimed(figures)
    fig = registry.discover()["fig-claimed"]
    assert [(c.name, c.text) for c in fig.claims] == [("value_is_odd", "the value is odd"),
                                                      ("value_is_large", "the value is above 5")]


def test_the_build_records_every_claim_and_whether_it_holds(figures, tmp_path):
    add_claimed(figures, limit=5)
    report = figure_build.build(cache=tmp_path / "cache", progress=False)
    assert report.ok, report.errors()
    assert [(c["name"], c["holds"]) for c in report.figures["fig-claimed"]["claims"]] == [
        ("value_is_odd", True), ("value_is_large", True)]


def test_a_false_claim_fails_the_figure_build_naming_figure_and_claim(figures, tmp_path):
    add_claimed(figures, limit=50)
    report = figure_build.build(cache=tmp_path / "cache", progress=False)
    assert not report.ok
    assert report.errors() == ["fig-claimed: claim 'value_is_large' is false: “the value is above 50”"]


def test_a_claim_that_raises_or_returns_no_bool_does_not_hold(figures, tmp_path):
    path = figures.add("fig-odd")
    path.write_text(path.read_text() + '''
from figures_src.kit.claims import claim


@claim("it names a key that is not there")
def missing_key(data):
    return data["nope"] > 1


@claim("it returns a number")
def not_a_bool(data):
    return data["value"]
''')
    report = figure_build.build(cache=tmp_path / "cache", progress=False)
    errors = "\n".join(report.errors())
    assert "claim 'missing_key' is false" in errors and "raised KeyError" in errors
    assert "claim 'not_a_bool' is false" in errors and "returned int 1, not a bool" in errors


def test_claim_needs_its_sentence():
    with pytest.raises(TypeError, match="needs the sentence"):
        claim("")


def test_every_claim_of_the_site_holds_and_says_something():
    for fig in registry.discover().values():
        for c in fig.claims:
            assert len(c.text.split()) >= 3, (fig.id, c.name)
    assert claims_of(sys.modules[__name__]) == []  # the test's own `claim` import is no claim


MKDOCS_YML = "site_name: Claims\nstrict: true\ntheme:\n  name: mkdocs\nhooks:\n  - {hook}\n"


@pytest.mark.parametrize("limit, ok", [(5, True), (50, False)])
def test_a_false_claim_stops_the_site_build_naming_the_figure_the_claim_and_the_page(figures, tmp_path, limit, ok):
    add_claimed(figures, limit=limit)
    project = tmp_path / "project"
    (project / "docs" / "steps").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(hook=ROOT / "figures_src" / "hooks" / "figures.py"))
    (project / "docs" / "index.md").write_text('# Home\n\n{{ figure("fig-claimed") }}\n')
    (project / "docs" / "steps" / "big.md").write_text(
        '# Big\n\nThe value is large. {{ claim("fig-claimed", "value_is_large") }}\n')
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                          cwd=project, env=figures.env(FIGURES_CACHE=str(tmp_path / "cache")),
                          capture_output=True, text=True, timeout=600)
    if ok:
        assert proc.returncode == 0, proc.stderr
        page = (tmp_path / "site" / "steps" / "big" / "index.html").read_text()
        assert 'class="sav-claim"' in page and "Checked at build time: the value is above 5" in page
        figure_page = (tmp_path / "site" / "figures" / "fig-claimed" / "index.html").read_text()
        assert "What this figure shows, checked at build time" in figure_page
        assert "the value is odd" in figure_page and "the value is above 5" in figure_page
    else:
        assert proc.returncode != 0
        assert ("fig-claimed: claim 'value_is_large' is false: “the value is above 50”; relied on by steps/big.md"
                in proc.stderr), proc.stderr
        assert not (tmp_path / "site" / "steps").exists(), "a false claim must stop the build before any page"


def test_a_teachers_build_can_mark_false_claims_instead_of_stopping(figures, tmp_path):
    add_claimed(figures, limit=50)
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(hook=ROOT / "figures_src" / "hooks" / "figures.py"))
    (project / "docs" / "index.md").write_text(
        '# Home\n\nThe value is large. {{ claim("fig-claimed", "value_is_large") }}\n')
    env = figures.env(FIGURES_CACHE=str(tmp_path / "cache"), FIGURES_FALSE_CLAIMS="warn")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=project,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING: fig-claimed: claim 'value_is_large' is false" in proc.stderr, proc.stderr
    assert "relied on by index.md" in proc.stderr
    page = (tmp_path / "site" / "index.html").read_text()
    assert "✗ not true for these examples" in page and "sav-claim-false" in page
