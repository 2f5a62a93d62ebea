"""The HTML of a notebook page, made fit for this site. No MkDocs here: plain strings in, out.

mkdocs-jupyter renders an executed notebook through nbconvert's JupyterLab
template. `rewrite()` then, on each notebook page:

1. removes the scripts that template loads from other hosts: MathJax (this
   site renders math with its own KaTeX) and Mermaid (no notebook here draws
   a Mermaid diagram; one that does stops the build, as it could not render
   offline);
2. takes out the notebook's <style> blocks (about 600 KB of JupyterLab CSS,
   the same on every notebook page) and links one shared stylesheet instead;
   the caller writes that file from the blocks it is handed back;
3. wraps the math of Markdown cells ($...$ and $$...$$) the way
   pymdownx.arithmatex does, so that the site's KaTeX renders it;
4. puts the box "download this notebook and the wheel, run it" under the title.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass


class PageError(Exception):
    """A notebook page that cannot be shown without another host."""


@dataclass(frozen=True)
class Links:
    ipynb: str  # URL of the executed notebook, relative to the page
    py: str  # URL of its jupytext source, relative to the page
    css: str  # URL of the shared notebook stylesheet, relative to the page
    wheel: str  # URL of the wheel the notebooks install, relative to the page
    wheel_name: str  # its file name
    install: str  # the notebook's `%pip install` line (figures_src.notebooks.download)
    wheel_url: str | None = None  # the wheel's absolute URL, when the site's address is known


MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
EMPTY_SCRIPT = re.compile(r'<script src="">\s*</script>')
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
MARKDOWN_CELL = re.compile(r'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>')
CODE = re.compile(r"(<(code|pre)\b.*?</\2>)", re.S)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
# $...$ with no space just inside the dollars and no digit right after the closing one ("$5 and $6" is not math).
INLINE_MATH = re.compile(r"(?<![\\$])\$(?=\S)([^$]+?)(?<=\S)(?<!\\)\$(?![\d$])")
H1_END = re.compile(r"</h1>")


def rewrite(page_html: str, name: str, source: str, links: Links) -> tuple[str, list[str]]:
    """The page's HTML for this site, and the <style> blocks taken out of it (in page order)."""
    page_html = _drop_foreign_scripts(page_html, name)
    page_html, styles = _take_styles(page_html, links.css)
    page_html = _markdown_math(page_html)
    return _insert_box(page_html, run_box(name, source, links)), styles


def _drop_foreign_scripts(page_html: str, name: str) -> str:
    page_html = MATHJAX.sub("", page_html)
    page_html = EMPTY_SCRIPT.sub("", page_html)

    def script(m: re.Match) -> str:
        text = m.group(0)
        if "mermaid" not in text:
            return text
        if 'class="jp-Mermaid' in page_html:
            raise PageError(f"notebook {name} draws a Mermaid diagram, which needs a script from another host")
        return ""  # the loader nbconvert adds to every page "in case"; it would import from a CDN

    page_html = SCRIPT.sub(script, page_html)
    foreign = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=\"(?:https?:)?//[^\"]*\"", page_html)
    if foreign:
        raise PageError(f"notebook {name} would load {foreign[0]!r} from another host")
    return page_html


def _take_styles(page_html: str, css_url: str) -> tuple[str, list[str]]:
    """Replace the <style> blocks by one <link> to the shared stylesheet (where the first block was)."""
    styles: list[str] = []

    def take(m: re.Match) -> str:
        css = m.group(1).strip()
        # mkdocs-jupyter 0.26 appends the Pygments CSS of .ipynb files once more, as the repr of a
        # Python list (not CSS at all); the same rules are in the first block already.
        if css.startswith("['") and css.endswith("']"):
            return ""
        first = not styles
        styles.append(css)
        return f'<link rel="stylesheet" href="{html_lib.escape(css_url, quote=True)}">' if first else ""

    return STYLE.sub(take, page_html), styles


def _markdown_math(page_html: str) -> str:
    """Wrap $...$ and $$...$$ of the Markdown cells in <span class="arithmatex">, as the site's KaTeX expects."""
    out, pos = [], 0
    for m in MARKDOWN_CELL.finditer(page_html):
        if m.start() < pos:
            continue  # nested inside the previous cell
        end = _closing_div(page_html, m.end())
        out.append(page_html[pos : m.end()])
        out.append(_math_outside_code(page_html[m.end() : end]))
        pos = end
    out.append(page_html[pos:])
    return "".join(out)


def _closing_div(text: str, start: int) -> int:
    """Index of the `</div>` that closes a <div> opened just before `start`."""
    depth = 1
    for m in re.finditer(r"<div\b|</div>", text[start:]):
        depth += 1 if m.group(0) == "<div" else -1
        if depth == 0:
            return start + m.start()
    return len(text)


def _math_outside_code(fragment: str) -> str:
    parts = CODE.split(fragment)
    # re.split with two groups yields: text, whole code element, tag name, text, ...
    out = []
    for i in range(0, len(parts), 3):
        text = DISPLAY_MATH.sub(lambda m: f'<span class="arithmatex">\\[{m.group(1)}\\]</span>', parts[i])
        text = INLINE_MATH.sub(lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', text)
        out.append(text)
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def run_box(name: str, source: str, links: Links) -> str:
    """The box under the title: the notebook and the wheel to download, and the one line that installs."""
    e = html_lib.escape
    ipynb, py, wheel = (e(u, quote=True) for u in (links.ipynb, links.py, links.wheel))
    where = ("from this site" if links.wheel_url else
             f"with <code>{e(links.wheel_name)}</code> downloaded into the notebook's folder")
    return f"""<div class="admonition info sav-notebook-run">
<p class="admonition-title">Download and run this notebook</p>
<p>Download the notebook <a href="{ipynb}" download><code>{e(name)}.ipynb</code></a> (with the outputs shown here)
and the wheel <a href="{wheel}" download><code>{e(links.wheel_name)}</code></a>: <code>attention_ref</code>, the
reference implementation behind every figure, with the figure code the notebooks import. This page was executed
when the site was built: every number on it was computed by <code>attention_ref</code>.</p>
<p>The notebook's first cell installs what it needs into the Python that runs it (3.11 or newer; JupyterLab,
Notebook and VS Code all run it), {where}:</p>
<pre><code>{e(links.install)}</code></pre>
<p>Its source, <a href="{py}" download><code>{e(name)}.py</code></a>, is a Jupytext percent-format script (in the
repository: <code>{e(source)}</code>); with the same three packages installed, <code>python {e(name)}.py</code>
runs it as a plain script and prints the same numbers.</p>
</div>
"""


def _insert_box(page_html: str, box: str) -> str:
    m = H1_END.search(page_html)
    if m is None:
        return box + page_html
    return page_html[: m.end()] + box + page_html[m.end() :]


# --------------------------------------------------------------------------- where the notebook files go on the site

SECTION = "notebooks"  # the folder in docs/ and on the site
CSS_URI = "assets/notebooks/notebook.css"  # the JupyterLab CSS every notebook page links
KEEP_OFF = (".py", ".ipynb", "ruff.toml")  # files of docs/notebooks/ that are not published as they are
CHECKPOINTS = ".ipynb_checkpoints/"


def unpublished(src_uri: str) -> bool:
    """A file of docs/notebooks/ that is not published as it is: the jupytext sources (replaced by their
    executed notebooks), a notebook made from one by hand (it would clash with the page), Jupyter's
    checkpoints, the lint config."""
    return src_uri.startswith(f"{SECTION}/") and (src_uri.endswith(KEEP_OFF) or CHECKPOINTS in src_uri)


def page_uri(name: str) -> str:
    return f"{SECTION}/{name}.ipynb"


def download_uri(name: str, suffix: str) -> str:
    return f"{SECTION}/{name}/{name}{suffix}"


def wheel_uri(wheel_name: str) -> str:
    """Where the site serves the wheel, beside the teacher pack."""
    return f"downloads/{wheel_name}"


class SharedStyles:
    """The union of the notebook pages' stylesheets, in the order they appear, as one CSS file."""

    def __init__(self) -> None:
        self.styles: dict[str, None] = {}

    def add(self, styles) -> str:
        for css in styles:
            self.styles.setdefault(css, None)
        return "\n\n".join(self.styles) + "\n"
