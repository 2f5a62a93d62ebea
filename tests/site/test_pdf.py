"""`make pdf`: the print page printed to PDF by headless Chromium (figures_src.site.pdf).

The slow part prints the print page of the site built once per session
(`built_site`; TEST_SITE_DIR reuses one) twice, and reads the PDFs with
pypdf: the same build gives the same number of pages (the render waits for
images, fonts and KaTeX, so the layout is final when it prints), every
figure's caption is in the text, and no page is blank. The fast part checks
the errors: no Chromium, no built site, and that a failed render leaves no file.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest

from figures_src.core.identity import BuildInfo
from figures_src.site import pdf

# A figure's caption on the print page: its text, then the link to its own page.
FIGCAPTION = re.compile(r'<figcaption[^>]*>(.*?)<a class="sav-figure__more" href="[^"]*figures/([a-z0-9-]+)/"', re.S)


def squeeze(text: str) -> str:
    """Text as compared: ligatures undone (NFKC), no whitespace (PDF lines break anywhere), one kind of quote."""
    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}))
    return re.sub(r"\s+", "", text)


def captions(site: Path) -> dict[str, str]:
    """{figure id: caption} of every figure of the print page."""
    page = (site / pdf.PRINT_PAGE / "index.html").read_text(encoding="utf-8")
    found = {fig_id: re.sub(r"<[^>]+>", "", text).strip() for text, fig_id in FIGCAPTION.findall(page)}
    assert len(found) >= 20, f"only {len(found)} figure captions found on the print page"
    return found


# --------------------------------------------------------------------------- fast: the errors


def test_the_name_carries_the_version():
    info = BuildInfo(version="v1.1-3-gabc", commit="abc", date="2026-01-01", site_url="/")
    assert pdf.pdf_name(info) == "self-attention-visually-v1.1-3-gabc.pdf"
    odd = BuildInfo(version="a b/c", commit="", date="", site_url="/")
    assert pdf.pdf_name(odd) == "self-attention-visually-a-b-c.pdf"


def test_without_chromium_the_error_says_how_to_get_it(tmp_path, monkeypatch):
    (tmp_path / "print_page").mkdir()
    (tmp_path / "print_page" / "index.html").write_text("<h1>x</h1>", encoding="utf-8")
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium-here"))
    with pytest.raises(pdf.PdfError, match=r"Chromium is not installed at .*no-chromium-here: `make setup`"):
        pdf.render_pdf(tmp_path, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_without_a_built_site_the_error_says_build_it(tmp_path):
    with pytest.raises(pdf.PdfError, match=r"print_page/index.html is not there: build the site first"):
        pdf.render_pdf(tmp_path, tmp_path / "out.pdf")


@pytest.mark.browser
def test_a_broken_image_stops_the_render_and_leaves_no_file(tmp_path):
    if not Path(pdf.DEFAULT_CHROMIUM).is_file():
        pytest.skip(f"{pdf.DEFAULT_CHROMIUM} is not installed")
    (tmp_path / "print_page").mkdir()
    (tmp_path / "print_page" / "index.html").write_text('<h1>x</h1><img src="missing.png" alt="x">', encoding="utf-8")
    with pytest.raises(pdf.PdfError, match=r"broken images: .*missing\.png"):
        pdf.render_pdf(tmp_path, tmp_path / "out.pdf")
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".*")) == []


# --------------------------------------------------------------------------- slow: the real PDF


@pytest.fixture(scope="module")
def printed(built_site, tmp_path_factory) -> tuple[pdf.Pdf, pdf.Pdf]:
    if not Path(pdf.DEFAULT_CHROMIUM).is_file():
        pytest.skip(f"{pdf.DEFAULT_CHROMIUM} is not installed")
    out = tmp_path_factory.mktemp("pdf")
    return pdf.render_pdf(built_site, out / "a.pdf"), pdf.render_pdf(built_site, out / "b.pdf")


@pytest.fixture(scope="module")
def pages_text(printed) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(printed[0].path)).pages]


@pytest.mark.slow
@pytest.mark.browser
def test_two_renders_of_one_build_have_the_same_page_count(printed):
    a, b = printed
    assert a.pages == b.pages == pdf.page_count(a.path)
    assert a.pages >= 20 and a.size > 100_000
    assert a.path.read_bytes().startswith(b"%PDF-")


@pytest.mark.slow
@pytest.mark.browser
def test_every_figure_caption_is_in_the_pdf(built_site, pages_text):
    text = squeeze("".join(pages_text))
    missing = {fig_id: cap for fig_id, cap in captions(built_site).items() if squeeze(cap) not in text}
    assert not missing, f"captions missing from the PDF: {missing}"
    # KaTeX has typeset the math: no TeX source is left on paper.
    assert "\\frac" not in text and "\\sqrt" not in text


@pytest.mark.slow
@pytest.mark.browser
def test_no_page_is_blank(printed, pages_text):
    from pypdf import PdfReader

    reader = PdfReader(str(printed[0].path))
    blank = [i + 1 for i, (page, text) in enumerate(zip(reader.pages, pages_text, strict=True))
             if not without_page_number(text).strip() and "/XObject" not in (page.get("/Resources") or {})]
    assert not blank, f"blank pages (nothing but the page number): {blank}"


def without_page_number(text: str) -> str:
    """A page's text less the "Page N" the print-site plugin's CSS prints on every sheet."""
    return re.sub(r"^\s*Page \d+\s*", "", text)


def test_a_page_with_only_its_number_counts_as_blank():
    assert without_page_number("Page 12\n") == "" and without_page_number("Page 3\nContents") == "Contents"
