// The head picker of docs/multi-head.md, under figure multi-head-grid: one button per head, named by
// the head's title in the figure's data ("previous word", "pronoun → its noun", ...), and one button
// per word for the query. Choosing a head (click, tap, Enter/Space; ← → Home End move between the
// heads) shows its attention as the explorer does: the query word's row of that head's weights as
// labelled bars (pct.js's barList). The query starts on the figure's focus word; hovering, focusing
// or tapping a word makes it the query. A polite live region names the head and the top word:
// "pronoun → its noun: it → animal 71.2%".
//
// Progressive enhancement: the static grid stays (no script, print, downloads); the widget follows it.
import { readout as explorerReadout } from "./explorer.js";
import { argmax, barList, el, loadFigureData, onPage, rovingFocus } from "./pct.js";

export const FIGURE = "multi-head-grid";

/** The heads in the figure's order: {name, title, rows}. */
export function headsOf(data) {
  return data.head_names.map((name) => ({ name, title: data.heads[name].title, rows: data.heads[name].weights }));
}

/** What a reader hears: the head, then the query, its top word and that weight. */
export function readout(tokens, head, query) {
  return `${head.title}: ${explorerReadout(tokens, head.rows[query], query)}`;
}

function toolbar(label, describedBy, names, className) {
  const bar = el("div", "sav-heads__bar");
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", label);
  bar.setAttribute("aria-describedby", describedBy);
  const buttons = names.map((name, i) => {
    const b = el("button", className, name);
    b.type = "button";
    b.dataset.index = String(i);
    b.setAttribute("aria-pressed", "false");
    bar.append(b);
    return b;
  });
  return { bar, buttons };
}

let counter = 0;

export function buildHeadPicker(data) {
  const tokens = data.tokens;
  const heads = headsOf(data);
  const uid = `sav-heads-${++counter}`;
  let head = 0;
  let query = data.focus_index;

  const root = el("section", "sav-widget sav-heads");
  root.dataset.savWidget = "head-picker";
  root.dataset.figure = FIGURE;
  root.setAttribute("aria-labelledby", `${uid}-title`);
  const heading = el("p", "sav-widget__title", `Try it: one head at a time (${heads.length} heads)`);
  heading.id = `${uid}-title`;
  const how = el(
    "p",
    "sav-widget__how",
    "Choose a head to see where the query word looks in it; hover, focus or tap a word to make it the " +
      "query. ← and → move along a row of buttons.",
  );
  how.id = `${uid}-how`;

  const headBar = toolbar("Head", how.id, heads.map((h) => h.title), "sav-heads__head");
  const headLabel = el("p", "sav-heads__label", "Head:");
  const wordBar = toolbar("Query word", how.id, tokens, "sav-explorer__word");
  const wordLabel = el("p", "sav-heads__label", "Query word:");
  const chartTitle = el("p", "sav-explorer__charttitle");
  const bars = barList(tokens, "Attention weights of the query in the chosen head");
  const live = el("p", "sav-widget__readout");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  root.append(heading, how, headLabel, headBar.bar, wordLabel, wordBar.bar, chartTitle, bars.element, live);

  function show() {
    const h = heads[head];
    const row = h.rows[query];
    bars.update(row, argmax(row));
    headBar.buttons.forEach((b, j) => b.setAttribute("aria-pressed", j === head ? "true" : "false"));
    wordBar.buttons.forEach((b, j) => {
      b.setAttribute("aria-pressed", j === query ? "true" : "false");
      b.classList.toggle("sav-explorer__word--query", j === query);
    });
    chartTitle.textContent = `Where “${tokens[query]}” looks in the head “${h.title}” (adding up to 100%):`;
    live.textContent = readout(tokens, h, query);
  }

  headBar.buttons.forEach((b, i) =>
    b.addEventListener("click", () => {
      head = i;
      show();
    }),
  );
  wordBar.buttons.forEach((b, i) => {
    const choose = () => {
      if (query === i) return;
      query = i;
      show();
    };
    b.addEventListener("pointerenter", choose);
    b.addEventListener("focus", choose);
    b.addEventListener("click", choose);
  });
  rovingFocus(headBar.bar, headBar.buttons, head);
  rovingFocus(wordBar.bar, wordBar.buttons, query);

  show();
  return root;
}

async function enhance() {
  const figure = document.getElementById(`fig-${FIGURE}`);
  if (!figure || figure.dataset.savHeads) return;
  figure.dataset.savHeads = "pending";
  const data = await loadFigureData(figure, FIGURE);
  if (!data || data.focus_index === undefined) {
    delete figure.dataset.savHeads;
    return;
  }
  figure.dataset.savHeads = "ready";
  figure.after(buildHeadPicker(data));
}

onPage(enhance);
