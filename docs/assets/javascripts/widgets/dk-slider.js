// The temperature slider of step 4 (docs/steps/softmax.md, under figure softmax-pie-it): the raw
// scores of "it" from the figure's data, divided by a number the reader chooses, then softmax
// (attention.js). The bars show the weights and a polite live region reads the entropy and the
// top word. It starts where the figure is: the scores divided by √d_k.
//
// Step 3 (docs/steps/scaling.md) has the same slider under figure softmax-entropy-dk, whose data
// carries the same row of "it" (its `example`): there the end of the track at 1 is "no scaling",
// the raw scores, and the live region's entropy is the quantity the figure plots.
//
// Progressive enhancement: the static figure stays (no script, print, downloads); the widget follows it.
import { entropyBits, softmax } from "../attention.js";
import { argmax, barList, el, f2, loadFigureData, onPage, pct } from "./pct.js";

export const FIGURE = "softmax-pie-it";
/** The figures the slider enhances: how to find the row of scores in each one's data, and its title. */
export const FIGURES = {
  "softmax-pie-it": {
    row: (data) => data,
    title: () => ["Try it: the temperature of softmax"],
    where: "the figure", // who divides by √d_k
  },
  "softmax-entropy-dk": {
    row: (data) => data.example,
    title: (focus) => [`Try it: divide the scores of “${focus}” by √`, dk_(), ", or by another number"],
    where: "step 3",
  },
};
// The slider moves on a doubling scale: position p divides the scores by 2^p, from 2^-4 to 2^3
// times the figure's √d_k (the range is placed around it, so the figure's own value is on the grid).
const P_BELOW = 4;
const P_ABOVE = 3;
const P_STEP = 0.25;

/** √d_k as the figure used it: the ratio of raw to scaled scores (the same for every nonzero score). */
export function figureDivisor(data) {
  const j = data.scores.findIndex((s) => s !== 0);
  return j < 0 ? 1 : data.scores[j] / data.scaled[j];
}

/** The weights and their entropy for the scores divided by `divisor`. */
export function weightsAt(scores, divisor) {
  const weights = softmax(scores.map((s) => s / divisor));
  return { weights, entropy: entropyBits(weights) };
}

/** d_k as the page's prose writes it: an italic d with a subscript k. */
function dk_() {
  const span = el("span", "sav-dk__symbol");
  span.append(el("var", null, "d"), el("sub", null, "k"));
  return span;
}

let counter = 0;

export function buildSlider(data, figureId = FIGURE) {
  const { tokens, scores, focus } = data;
  const sqrtDk = figureDivisor(data);
  const dk = Math.round(sqrtDk * sqrtDk);
  const startP = Math.log2(sqrtDk);
  const uid = `sav-dk-${++counter}`;

  const root = el("section", "sav-widget sav-dk");
  root.dataset.savWidget = "dk-slider";
  root.dataset.figure = figureId;
  root.setAttribute("aria-labelledby", `${uid}-title`);
  const { title, where } = FIGURES[figureId];
  const heading = el("p", "sav-widget__title");
  heading.append(...title(focus));
  heading.id = `${uid}-title`;
  // What the slider divides, said in the widget; d_k written as the page writes it (d, subscript k).
  const what = el("p", "sav-widget__how");
  what.append(
    `The slider sets the number the raw scores of “${focus}” are divided by before softmax. `,
    `${where[0].toUpperCase()}${where.slice(1)} divides them by √`, dk_(), ` = ${f2(sqrtDk)} (`, dk_(), ` = ${dk}). `,
    "A smaller number sharpens the weights, a larger one evens them out.",
  );
  what.id = `${uid}-how`;

  const control = el("div", "sav-dk__control");
  const label = el("label", "sav-dk__label", "Divide the scores by ");
  label.htmlFor = `${uid}-range`;
  const value = el("output", "sav-dk__value");
  value.htmlFor = `${uid}-range`;
  label.append(value);
  const range = document.createElement("input");
  range.type = "range";
  range.id = `${uid}-range`;
  range.className = "sav-dk__range";
  range.min = String(startP - P_BELOW);
  range.max = String(startP + P_ABOVE);
  range.step = String(P_STEP);
  range.value = String(startP);
  range.setAttribute("aria-describedby", what.id);
  const reset = el("button", "sav-dk__reset");
  reset.append("Back to √", dk_(), ` = ${f2(sqrtDk)}`);
  reset.type = "button";
  const track = el("div", "sav-dk__track");
  const sharper = el("span", "sav-dk__end", "sharper");
  const even = el("span", "sav-dk__end", "more even");
  sharper.setAttribute("aria-hidden", "true"); // the description says it; these mark the two ends
  even.setAttribute("aria-hidden", "true");
  track.append(sharper, range, even);
  control.append(label, track, reset);

  const bars = barList(tokens, `Attention weights of “${focus}” over every word`);
  const live = el("p", "sav-widget__readout");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  root.append(heading, what, control, bars.element, live);

  function update() {
    const divisor = 2 ** Number(range.value);
    const { weights, entropy } = weightsAt(scores, divisor);
    const top = argmax(weights);
    const atFigure = Math.abs(divisor - sqrtDk) < 1e-9;
    const raw = Math.abs(divisor - 1) < 1e-9;
    value.replaceChildren(f2(divisor));
    if (atFigure) value.append(" (√", dk_(), `, as in ${where})`);
    if (raw) value.append(" (no scaling: the raw scores)");
    range.setAttribute(
      "aria-valuetext",
      `divide by ${f2(divisor)}${atFigure ? `, the square root of d k, as in ${where}` : ""}` +
        `${raw ? ", no scaling: the raw scores" : ""}`,
    );
    bars.update(weights, top);
    live.textContent =
      `÷ ${f2(divisor)}: ${focus} → ${tokens[top]} ${pct(weights[top])}, ` +
      `entropy ${f2(entropy)} bits (at most ${f2(Math.log2(tokens.length))})`;
    reset.disabled = atFigure;
  }
  range.addEventListener("input", update);
  reset.addEventListener("click", () => {
    range.value = String(startP);
    update();
    range.focus();
  });
  update();
  return root;
}

async function enhance(figureId) {
  const figure = document.getElementById(`fig-${figureId}`);
  if (!figure || figure.dataset.savDk) return;
  figure.dataset.savDk = "pending";
  const data = await loadFigureData(figure, figureId);
  const row = data && FIGURES[figureId].row(data);
  if (!row || !row.scores || !row.scaled) {
    delete figure.dataset.savDk;
    return;
  }
  figure.dataset.savDk = "ready";
  figure.after(buildSlider(row, figureId));
}

onPage(() => Object.keys(FIGURES).forEach(enhance));
