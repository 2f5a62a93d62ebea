// The calculator under figure softmax-calculator (docs/steps/softmax.md): the query q and the three
// keys K as number inputs; every intermediate of the figure's table recomputed as the reader types:
// the scores q · k, the scaled scores s = q · k / √d_k, e^s, their sum, and each weight e^s / sum.
// The weights (and the scores) come from attention.js's scaledDotProductAttention; e^s and the sum
// are written out as the figure writes them. It starts from the figure's own data.
//
// Progressive enhancement: the static table stays (no script, print, downloads); the widget follows it.
import { scaledDotProductAttention } from "../attention.js";
import { argmax, barList, el, fixed, loadFigureData, onPage, pct } from "./pct.js";

export const FIGURE = "softmax-calculator";
const SUB = ["₁", "₂", "₃", "₄"];
const NB = "\u00a0"; // a division "a / b" stays on one line; a narrow cell wraps at its " = "

/**
 * Every number of the table for query q `(d_k,)` and keys k `(T_k, d_k)`.
 * @returns {{scores: number[], scaled: number[], exp: number[], sum: number, weights: number[]}}
 */
export function compute(q, k) {
  const identity = k.map((_, i) => k.map((__, j) => (i === j ? 1 : 0))); // v: only the weights are shown
  const att = scaledDotProductAttention([q], k, identity);
  const scaled = att.scaled[0];
  const exp = scaled.map((s) => Math.exp(s));
  const sum = exp.reduce((a, b) => a + b, 0);
  return { scores: att.scores[0], scaled, exp, sum, weights: att.weights[0], scale: att.scale };
}

/** The table's cells as the figure writes them (with no-break spaces around "/"), one row per key, then the sum. */
export function cells(result, dk) {
  const root = `√${dk}`;
  return {
    rows: result.scores.map((s, j) => ({
      score: fixed(s, 2),
      scaled: `${fixed(s, 2)}${NB}/${NB}${root} = ${fixed(result.scaled[j], 2)}`,
      exp: fixed(result.exp[j], 2),
      weight: `${fixed(result.exp[j], 2)}${NB}/${NB}${fixed(result.sum, 2)} = ${pct(result.weights[j])}`,
    })),
    sum: fixed(result.sum, 2),
  };
}

let counter = 0;

export function buildCalculator(data) {
  const { tokens, d_k: dk, limit } = data;
  const uid = `sav-calc-${++counter}`;
  const root = el("section", "sav-widget sav-calc");
  root.dataset.savWidget = "calculator";
  root.dataset.figure = FIGURE;
  root.setAttribute("aria-labelledby", `${uid}-title`);
  const title = el("p", "sav-widget__title", "Try it: your own query and keys");
  title.id = `${uid}-title`;
  const how = el(
    "p",
    "sav-widget__how",
    `Change any entry of q or of a key (a number from −${limit} to ${limit}); every column of the table follows.`,
  );
  how.id = `${uid}-how`;

  // The inputs: q, then one fieldset per key; each input's name says which entry it is.
  const inputs = [];
  function numberInput(name, text, value) {
    const wrap = el("span", "sav-calc__field");
    const input = document.createElement("input");
    input.type = "number";
    input.id = `${uid}-${inputs.length}`;
    input.className = "sav-calc__input";
    input.min = String(-limit);
    input.max = String(limit);
    input.step = "0.1";
    input.inputMode = "decimal";
    input.value = String(value);
    input.defaultValue = String(value);
    input.dataset.name = name;
    input.setAttribute("aria-describedby", `${uid}-how ${uid}-error`);
    const label = el("label", "sav-calc__label", text);
    label.htmlFor = input.id;
    wrap.append(label, input);
    inputs.push(input);
    return wrap;
  }
  const form = el("div", "sav-calc__inputs");
  const qSet = el("fieldset", "sav-calc__vector");
  qSet.append(el("legend", null, "the query q"));
  data.q.forEach((x, m) => qSet.append(numberInput(`q, entry ${m + 1}`, `q${SUB[m]}`, x)));
  form.append(qSet);
  tokens.forEach((word, j) => {
    const set = el("fieldset", "sav-calc__vector");
    set.append(el("legend", null, `the key of “${word}”`));
    data.k[j].forEach((x, m) => set.append(numberInput(`k of “${word}”, entry ${m + 1}`, `k${SUB[m]}`, x)));
    form.append(set);
  });

  // The table, as the figure's: key | q · k | s | e^s | weight = e^s / sum.
  const table = el("table", "sav-calc__table");
  const caption = el("caption", "sav-sr", "Every step for the query and keys above");
  const head = el("thead");
  const hr = el("tr");
  const es = () => [el("var", null, "e"), el("sup", null, "s")];
  for (const h of [["key"], ["q · k"], [`s = q · k / √${dk}`], es(), ["weight = ", ...es(), " / sum"]]) {
    const th = el("th");
    th.append(...h);
    th.scope = "col";
    hr.append(th);
  }
  head.append(hr);
  const body = el("tbody");
  const rowCells = tokens.map((word) => {
    const tr = el("tr");
    const th = el("th", "sav-calc__key", word);
    th.scope = "row";
    const c = { score: el("td"), scaled: el("td"), exp: el("td"), weight: el("td") };
    for (const td of Object.values(c)) td.className = "sav-calc__num";
    c.scaled.classList.add("sav-calc__step"); // "a / √2 = b" may wrap at its spaces on a phone
    c.weight.classList.add("sav-calc__step");
    tr.append(th, c.score, c.scaled, c.exp, c.weight);
    body.append(tr);
    return { tr, ...c };
  });
  const foot = el("tfoot");
  const fr = el("tr");
  const sumLabel = el("th", null, "sum");
  sumLabel.scope = "row";
  sumLabel.colSpan = 3;
  const sumCell = el("td", "sav-calc__num sav-calc__sum");
  fr.append(sumLabel, sumCell, el("td"));
  foot.append(fr);
  table.append(caption, head, body, foot);
  const scroll = el("div", "sav-calc__scroll");
  scroll.append(table);

  const bars = barList(tokens, "The weights of the three keys");
  const error = el("p", "sav-calc__error");
  error.id = `${uid}-error`;
  error.hidden = true;
  const reset = el("button", "sav-calc__reset", "Back to the figure’s numbers");
  reset.type = "button";
  const live = el("p", "sav-widget__readout");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  root.append(title, how, form, error, scroll, bars.element, reset, live);

  /** The inputs as q and K, or the first field that is not a number in range. */
  function read() {
    const values = [];
    for (const input of inputs) {
      const raw = input.value.trim();
      const x = raw === "" ? NaN : Number(raw);
      if (!Number.isFinite(x)) return { bad: input, why: raw === "" ? "is empty" : "is not a number" };
      if (Math.abs(x) > limit) return { bad: input, why: `must lie between −${limit} and ${limit}` };
      values.push(x);
    }
    const q = values.slice(0, dk);
    const k = tokens.map((_, j) => values.slice(dk * (j + 1), dk * (j + 2)));
    return { q, k };
  }

  function update() {
    const got = read();
    inputs.forEach((input) => input.removeAttribute("aria-invalid"));
    if (got.bad) {
      got.bad.setAttribute("aria-invalid", "true");
      error.textContent = `${got.bad.dataset.name} ${got.why}: enter a number from −${limit} to ${limit}. The table shows the last valid numbers.`;
      error.hidden = false;
      root.classList.add("sav-calc--stale");
      live.textContent = error.textContent;
      return;
    }
    error.hidden = true;
    root.classList.remove("sav-calc--stale");
    const result = compute(got.q, got.k);
    const text = cells(result, dk);
    const top = argmax(result.weights);
    rowCells.forEach((r, j) => {
      for (const key of ["score", "scaled", "exp", "weight"]) r[key].textContent = text.rows[j][key];
      r.tr.classList.toggle("sav-calc__row--top", j === top);
    });
    sumCell.textContent = text.sum;
    bars.update(result.weights, top);
    live.textContent =
      "Weights: " + tokens.map((t, j) => `${t} ${pct(result.weights[j])}`).join(", ") + `; the exponentials add up to ${text.sum}.`;
    reset.disabled = inputs.every((input) => input.value === input.defaultValue);
  }
  inputs.forEach((input) => input.addEventListener("input", update));
  reset.addEventListener("click", () => {
    inputs.forEach((input) => {
      input.value = input.defaultValue;
    });
    update();
    inputs[0].focus();
  });
  update();
  return root;
}

async function enhance() {
  const figure = document.getElementById(`fig-${FIGURE}`);
  if (!figure || figure.dataset.savCalc) return;
  figure.dataset.savCalc = "pending";
  const data = await loadFigureData(figure, FIGURE);
  if (!data) {
    delete figure.dataset.savCalc;
    return;
  }
  figure.dataset.savCalc = "ready";
  figure.after(buildCalculator(data));
}

onPage(enhance);
