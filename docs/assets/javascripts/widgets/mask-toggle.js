// The mask toggles of docs/masking.md, under figure padding-mask: the short sentence's row of the
// padded batch (its q, k and v from the figure's data, pads included), attended with attention.js's
// scaledDotProductAttention. Two toggle buttons (aria-pressed), "causal" and "padding", choose the
// masks; the weights of the real words' rows are recomputed and shown as a table (row and column
// headers are the words, each cell a percentage, a blocked cell says "masked"). A polite live region
// reads the focus word's row: "causal on, padding on: “sat” may attend to 3 words".
//
// It starts where the figure's right panel is: padding mask on, causal off (the figure's
// weights_masked). With both on, the real words' rows are the causal-mask figure's weights.
//
// Progressive enhancement: the static figure stays (no script, print, downloads); the widget follows it.
import { scaledDotProductAttention } from "../attention.js";
import { argmax, el, loadFigureData, onPage, pct } from "./pct.js";

export const FIGURE = "padding-mask";
export const PAD = "<pad>";
const START = { causal: false, padding: true };

/**
 * The weights of the real words' rows (n_real × length) under the chosen masks, and the mask applied.
 * @param {object} data the figure's data: q, k, v of the padded row, valid flags, n_real.
 * @param {{causal: boolean, padding: boolean}} masks
 */
export function maskedWeights(data, { causal, padding }) {
  const valid = data.valid[data.short]; // (length) true = a real word
  const n = data.n_real;
  const options = { causal };
  if (padding) options.mask = [valid]; // (1, length): the pad keys, in every query's row
  const att = scaledDotProductAttention(data.q, data.k, data.v, options);
  const allowed = att.mask ? att.mask.slice(0, n) : data.q.slice(0, n).map(() => valid.map(() => true));
  return { weights: att.weights.slice(0, n), allowed };
}

/** What the reader hears for the focus row: the masks, how many positions it may attend to, its top word. */
export function readout(data, masks, result) {
  const tokens = data.tokens[data.short];
  const i = data.focus_index;
  const row = result.weights[i];
  const allowed = result.allowed[i];
  const words = allowed.filter((a, j) => a && tokens[j] !== PAD).length;
  const pads = allowed.filter((a, j) => a && tokens[j] === PAD).length;
  const top = argmax(row);
  const on = (x) => (x ? "on" : "off");
  const what = `${words} word${words === 1 ? "" : "s"}` + (pads ? ` and ${pads} pad${pads === 1 ? "" : "s"}` : "");
  return (
    `causal ${on(masks.causal)}, padding ${on(masks.padding)}: “${data.focus}” may attend to ${what}; ` +
    `most to “${tokens[top]}” ${pct(row[top])}`
  );
}

let counter = 0;

export function buildMaskToggle(data) {
  const tokens = data.tokens[data.short];
  const n = data.n_real;
  const rowsWords = tokens.slice(0, n);
  const uid = `sav-mask-${++counter}`;
  const masks = { ...START };

  const root = el("section", "sav-widget sav-mask");
  root.dataset.savWidget = "mask-toggle";
  root.dataset.figure = FIGURE;
  root.setAttribute("aria-labelledby", `${uid}-title`);
  const heading = el("p", "sav-widget__title", "Try it: switch the masks on and off");
  heading.id = `${uid}-title`;
  const how = el(
    "p",
    "sav-widget__how",
    `“${data.short_sentence}” padded to ${data.length} positions, as in the figure. ` +
      "Each button switches a mask on or off; the weights are computed again. " +
      "A cell that says “masked” is blocked: its weight is exactly zero.",
  );
  how.id = `${uid}-how`;

  const controls = el("div", "sav-mask__toggles");
  controls.setAttribute("role", "group");
  controls.setAttribute("aria-label", "Masks");
  controls.setAttribute("aria-describedby", how.id);
  const buttons = {};
  for (const name of ["causal", "padding"]) {
    const b = el("button", "sav-mask__toggle");
    b.type = "button";
    b.dataset.mask = name;
    b.append(el("span", "sav-mask__name", name), el("span", "sav-mask__state"));
    b.addEventListener("click", () => {
      masks[name] = !masks[name];
      update();
    });
    controls.append(b);
    buttons[name] = b;
  }

  // The table: a column per position of the padded row, a row per real word.
  const scroller = el("div", "sav-mask__scroll");
  scroller.tabIndex = 0; // scrollable by keyboard on a narrow screen
  scroller.setAttribute("role", "region");
  scroller.setAttribute("aria-labelledby", `${uid}-caption`);
  const table = el("table", "sav-mask__table");
  table.setAttribute("aria-labelledby", `${uid}-caption`);
  // The table's title, above the scrolled box (a <caption> would be as wide as the table).
  const caption = el("p", "sav-mask__caption");
  caption.id = `${uid}-caption`;
  const head = el("thead");
  const headRow = el("tr");
  const corner = el("th", "sav-mask__corner", "looks ↓ at →");
  corner.scope = "col";
  headRow.append(corner);
  tokens.forEach((t) => {
    const th = el("th", t === PAD ? "sav-mask__pad" : null, t);
    th.scope = "col";
    headRow.append(th);
  });
  head.append(headRow);
  const body = el("tbody");
  const cells = rowsWords.map((word, i) => {
    const tr = el("tr", i === data.focus_index ? "sav-mask__focus" : null);
    const th = el("th", null, word);
    th.scope = "row";
    tr.append(th);
    const tds = tokens.map(() => {
      const td = el("td");
      tr.append(td);
      return td;
    });
    body.append(tr);
    return tds;
  });
  table.append(head, body);
  scroller.append(table);

  const live = el("p", "sav-widget__readout");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  root.append(heading, how, controls, caption, scroller, live);

  function update() {
    const result = maskedWeights(data, masks);
    for (const [name, b] of Object.entries(buttons)) {
      b.setAttribute("aria-pressed", masks[name] ? "true" : "false");
      b.lastChild.textContent = masks[name] ? "on" : "off";
    }
    result.weights.forEach((row, i) =>
      row.forEach((w, j) => {
        const td = cells[i][j];
        const blocked = !result.allowed[i][j];
        td.textContent = blocked ? "masked" : pct(w);
        td.className = blocked ? "sav-mask__masked" : "";
      }),
    );
    const which = [masks.causal && "causal", masks.padding && "padding"].filter(Boolean);
    caption.textContent =
      `Attention weights of each real word (rows) over the ${data.length} positions (columns), ` +
      (which.length ? `with the ${which.join(" and ")} mask${which.length > 1 ? "s" : ""}` : "with no mask") +
      `; ▶ marks “${data.focus}”, the row read out below`;
    live.textContent = readout(data, masks, result);
  }
  update();
  return root;
}

async function enhance() {
  const figure = document.getElementById(`fig-${FIGURE}`);
  if (!figure || figure.dataset.savMask) return;
  figure.dataset.savMask = "pending";
  const data = await loadFigureData(figure, FIGURE);
  if (!data || !data.q) {
    delete figure.dataset.savMask;
    return;
  }
  figure.dataset.savMask = "ready";
  figure.after(buildMaskToggle(data));
}

onPage(enhance);
