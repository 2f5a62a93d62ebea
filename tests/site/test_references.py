"""The references page (docs/references.md) and CITATION.cff's references: whole, linked and checkable.

Every entry names its authors, its year and a link; an arXiv id is a link to
its abstract; the page renders one list item per entry (a line that starts with
"2018." would start a numbered list and split the entry); the explainer the page
criticises is quoted with numbers a reader can check, and the criticism holds;
CITATION.cff lists the same works.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import numpy as np
import pytest
import yaml

from attention_ref import softmax

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "references.md"
YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\bn\.d\.")
LINK = re.compile(r"\]\((https?://[^)\s]+)\)")
ARXIV = re.compile(r"\d{4}\.\d{4,5}")
# The explainers whose copy (in the project's sources) names no author and no address: the page says so
# instead of guessing. Remove a title from here once its author and address are known and on the page.
UNATTRIBUTED = {
    "Self-Attention Explained Visually: Unpacking the Heart of Modern AI.",
    "Attention Mechanism",
}
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences",
              "pymdownx.arithmatex"]


def without_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)


def entries(text: str) -> dict[str, list[str]]:
    """{section heading: [entry text, one per top-level list item, its lines joined]}."""
    out: dict[str, list[str]] = {}
    section = None
    for line in without_code_blocks(text).splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            out[section] = []
        elif section and line.startswith("- "):
            out[section].append(line[2:])
        elif section and out[section] and line.startswith("  ") and line.strip():
            out[section][-1] += " " + line.strip()
    return out


def title(entry: str) -> str:
    m = re.search(r'"(.+?)"', entry)
    return m.group(1) if m else ""


@pytest.fixture(scope="module")
def page_entries():
    found = entries(PAGE.read_text(encoding="utf-8"))
    assert set(found) == {"The paper", "The explainers this site builds on", "Further reading"}, set(found)
    return [e for section in found.values() for e in section]


def test_the_page_lists_the_paper_the_four_explainers_and_the_further_reading():
    found = entries(PAGE.read_text(encoding="utf-8"))
    assert [len(found[s]) for s in ("The paper", "The explainers this site builds on", "Further reading")] == [1, 4, 9]


def test_every_entry_names_its_authors_a_year_and_a_link(page_entries):
    for entry in page_entries:
        authors = entry.split('"', 1)[0].strip()
        assert '"' in entry and len(authors) > 3, f"no authors before the title: {entry[:80]}"
        assert YEAR.search(LINK.sub("", entry)), f"no year (or n.d.): {entry[:80]}"
        if title(entry) in UNATTRIBUTED:
            assert authors.startswith("Author not named") and "address was not recorded" in entry, entry[:80]
        else:
            assert not authors.startswith("Author not named"), entry[:80]
            assert LINK.search(entry), f"no link: {entry[:80]}"


def test_every_arxiv_id_is_a_link_to_its_abstract():
    text = without_code_blocks(PAGE.read_text(encoding="utf-8"))
    ids = ARXIV.findall(text)
    assert len(ids) >= 7
    for arxiv_id in ids:
        link = f"[`arXiv:{arxiv_id}`](https://arxiv.org/abs/{arxiv_id})"  # code: the id is not a number of prose
        outside = text.replace(link, "").replace(f"https://arxiv.org/abs/{arxiv_id}", "")
        assert link in text and arxiv_id not in outside, f"arXiv:{arxiv_id} is not (only) a link to its abstract"


def test_the_page_renders_one_list_item_per_entry(page_entries):
    """A continuation line starting with "2019." once became a numbered list: the entry lost its year and its end."""
    html = markdown.markdown(PAGE.read_text(encoding="utf-8"), extensions=EXTENSIONS)
    items = re.findall(r"<li>(.*?)</li>", html, re.S)
    assert "<ol>" not in html
    assert len(items) == len(page_entries)
    for item in items:
        assert YEAR.search(re.sub(r"<[^>]+>", "", item)), item[:80]


def test_alammar_and_gpt2_are_whole(page_entries):
    alammar = next(e for e in page_entries if "The Illustrated Transformer" in e)
    assert alammar.startswith("Jay Alammar.") and "2018" in alammar
    assert "](https://jalammar.github.io/illustrated-transformer/)" in alammar
    gpt2 = next(e for e in page_entries if "Unsupervised Multitask Learners" in e)
    for name in ("Alec Radford", "Jeffrey Wu", "Rewon Child", "David Luan", "Dario Amodei", "Ilya", "Sutskever"):
        assert name in gpt2, name
    assert "OpenAI" in gpt2 and "2019" in gpt2
    assert re.search(r"\]\(https://cdn\.openai\.com/[^)]+\.pdf\)", gpt2)


def test_the_criticised_explainer_is_quoted_checkably_and_the_criticism_holds(page_entries):
    entry = next(e for e in page_entries if title(e) == "Attention Mechanism")
    spans = [s for s in re.findall(r"`([^`]*)`", entry) if "arXiv" not in s]
    scores, weights = (np.array([float(x) for x in s.split(",")]) for s in spans[:2])
    assert f"softmax(np.array([{spans[0]}]))" in spans, "the check a reader can run quotes the same scores"
    assert weights.sum() == pytest.approx(1.0, abs=0.005), "the page says its weights add up to one"
    words = ["The", "cat", "sat", "on", "the", "mat"]
    assert [words[i] for i in np.argsort(-weights)[:2]] == ["cat", "mat"] == [words[i] for i in np.argsort(-scores)[:2]]
    assert np.abs(softmax(scores) - weights).max() > 0.05, "the page says they are not the softmax of the scores"
    assert "notebooks/from-scratch.ipynb" in entry


def test_citation_cff_references_are_whole_and_the_same_works_as_the_page(page_entries):
    refs = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["references"]
    for ref in refs:
        assert ref.get("authors") and all(a.get("name") or a.get("family-names") for a in ref["authors"]), ref["title"]
        assert str(ref.get("url", "")).startswith("https://"), ref["title"]
        assert ref.get("year") or "Undated" in ref.get("notes", ""), ref["title"]
        for ident in ref.get("identifiers", []):
            if "arXiv" in ident.get("description", ""):
                assert ident["value"] == "https://arxiv.org/abs/" + ident["description"].split(":")[1]
    cff = {ref["title"].split(" (")[0] for ref in refs}
    linked = {title(e).rstrip(".") for e in page_entries if title(e) not in UNATTRIBUTED}
    assert cff == linked, (cff ^ linked)
