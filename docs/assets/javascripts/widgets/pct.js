// What the widgets share: the site's number formats (figures_src/kit/formats.py), finding a
// figure's published data from the figure itself, and the few DOM pieces every widget draws with.

/**
 * A weight as a share, one decimal and %, exactly as Python's f"{100 * x:.1f}%" (the site's "pct").
 * toFixed rounds an exact tie (x.x5 held exactly, i.e. a fraction of .25 or .75) upwards; Python
 * rounds it to the even digit, which differs only at .25: that case is rounded down here.
 * @param {number} x a weight in [0, 1].
 * @returns {string} e.g. "32.2%".
 */
export function pct(x) {
  const v = 100 * x;
  const quarters = v * 4;
  if (Number.isInteger(quarters) && quarters % 2 !== 0 && v - Math.floor(v) === 0.25) {
    return `${(Math.floor(v * 10) / 10).toFixed(1)}%`;
  }
  return `${v.toFixed(1)}%`;
}

/** Python's f"{x:.2f}" for the values the widgets show (no exact ties arise there). */
export function f2(x) {
  return x.toFixed(2);
}

/**
 * The URL of a figure's published numbers, figures/<id>/<id>.json, from the figure's own link to
 * its page (relative to the page, so it works under any version prefix and under `mkdocs serve`).
 * Null when the link does not lead to a figure page (e.g. on the print page, where links are anchors).
 * @param {Element} figure a `<figure class="sav-figure" id="fig-<id>">`.
 * @param {string} id the figure id.
 * @returns {URL | null}
 */
export function figureDataUrl(figure, id) {
  const more = figure.querySelector("a.sav-figure__more[href]");
  return more ? figurePageDataUrl(more.getAttribute("href"), id) : null;
}

/**
 * The URL of figures/<id>/<id>.json from any link to the figure's page (the figure's own link, or a
 * claim's ✓ on a page that cites the figure without showing it). Null for a link elsewhere.
 * @param {string} href as written in the page, relative to it.
 * @param {string} id the figure id.
 * @returns {URL | null}
 */
export function figurePageDataUrl(href, id) {
  const page = new URL(href, document.baseURI);
  let path = page.pathname.replace(/index\.html$/, "");
  if (!path.endsWith("/")) path += "/";
  if (!path.endsWith(`/figures/${id}/`)) return null;
  page.pathname = path;
  page.hash = "";
  page.search = "";
  return new URL(`${id}.json`, page);
}

/** The figure's data, or null when it cannot be had (the static figure then stays alone). */
export async function loadFigureData(figure, id) {
  return fetchFigureData(figureDataUrl(figure, id));
}

/** The JSON at `url` (from figureDataUrl or figurePageDataUrl), or null when it cannot be had. */
export async function fetchFigureData(url) {
  if (!url) return null;
  try {
    const response = await fetch(url);
    if (!response.ok) return null;
    return await response.json();
  } catch (e) {
    return null;
  }
}

/** Run `setUp` once the page is there (and again after Material's instant navigation, if enabled). */
export function onPage(setUp) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => setUp());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => setUp(), { once: true });
  } else {
    setUp();
  }
}

const SVG = "http://www.w3.org/2000/svg";

/**
 * An ordered list of labelled bars: word, an SVG bar as wide as the weight (the track is 100%),
 * and the percentage as text. Returns an `update(weights, top)` that redraws in place.
 * @param {string[]} words one per bar, in the sentence's order.
 * @param {string} label the list's accessible name.
 */
export function barList(words, label) {
  const list = document.createElement("ol");
  list.className = "sav-bars";
  list.setAttribute("aria-label", label);
  const rows = words.map((word) => {
    const li = document.createElement("li");
    li.className = "sav-bars__row";
    const name = document.createElement("span");
    name.className = "sav-bars__word";
    name.textContent = word;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "sav-bars__track");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const bg = document.createElementNS(SVG, "rect");
    bg.setAttribute("class", "sav-bars__bg");
    bg.setAttribute("width", "100%");
    bg.setAttribute("height", "100%");
    const bar = document.createElementNS(SVG, "rect");
    bar.setAttribute("class", "sav-bars__bar");
    bar.setAttribute("height", "100%");
    svg.append(bg, bar);
    const value = document.createElement("span");
    value.className = "sav-bars__pct";
    li.append(name, svg, value);
    list.append(li);
    return { li, bar, value };
  });
  function update(weights, top) {
    weights.forEach((w, j) => {
      const r = rows[j];
      r.bar.setAttribute("width", `${Math.max(0, Math.min(1, w)) * 100}%`);
      r.value.textContent = pct(w);
      r.li.classList.toggle("sav-bars__row--top", j === top);
    });
  }
  return { element: list, update };
}

/** The index of the largest entry (the first one on a tie, as numpy's argmax). */
export function argmax(row) {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/**
 * One tab stop for a row of buttons (roving tabindex): Left/Right move the focus (wrapping),
 * Home/End go to the ends; the button in focus becomes the row's tab stop. The explorer's words
 * and the head picker's heads use it.
 * @param {Element} toolbar the element holding the buttons (its keydown is listened to).
 * @param {HTMLButtonElement[]} buttons in order.
 * @param {number} start the index of the first tab stop.
 * @returns {(i: number) => void} makes button i the tab stop without focusing it.
 */
export function rovingFocus(toolbar, buttons, start) {
  const rove = (i) => buttons.forEach((b, j) => (b.tabIndex = j === i ? 0 : -1));
  rove(start);
  buttons.forEach((b, i) => b.addEventListener("focus", () => rove(i)));
  toolbar.addEventListener("keydown", (event) => {
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    buttons[(to + buttons.length) % buttons.length].focus();
  });
  return rove;
}

/**
 * A number as the site's "f1"/"f2"/"f3" write it (figures_src/kit/formats.py's fmt): Python's
 * f"{x:.{digits}f}", a real minus sign (−), and no "−0.00". Python rounds an exact tie (x held
 * exactly halfway, i.e. x · 2^(digits+1) an odd integer) to the even digit; toFixed rounds it away
 * from zero: such ties are rounded here as Python does, so a value the reader types (0.125) is
 * written as the figure would write it.
 * @param {number} x a finite number, |x| < 1e21.
 * @param {number} [digits=2] 1, 2 or 3.
 * @returns {string} e.g. "−0.12" for -0.125.
 */
export function fixed(x, digits = 2) {
  if (!Number.isFinite(x)) return x < 0 ? "−∞" : "∞";
  const scaled = Math.abs(x) * 2 ** (digits + 1);
  let text;
  if (Number.isInteger(scaled) && scaled % 2 === 1) {
    const v = Math.abs(x) * 10 ** digits; // exact: x is a small dyadic number here
    const n = Math.floor(v) % 2 === 0 ? Math.floor(v) : Math.floor(v) + 1;
    text = `${x < 0 ? "-" : ""}${(n / 10 ** digits).toFixed(digits)}`;
  } else {
    text = x.toFixed(digits);
  }
  if (text.startsWith("-") && Number(text) === 0) text = text.slice(1);
  return text.replace("-", "−");
}

/**
 * A new element, the one way every widget makes its DOM.
 * @param {string} tag e.g. "div".
 * @param {string} [className] its class attribute, if any.
 * @param {string} [text] its text content, if any (never parsed as HTML).
 * @returns {HTMLElement}
 */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
