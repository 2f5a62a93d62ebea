// The attention explorer: under the attention matrix of every-word.md (figure
// attention-matrix-animal) and under the trained model's heads (tiny-model-heads, its reference
// head), one button per word. Hovering, focusing or tapping a word makes it the query and shows
// its row of attention weights as labelled bars; a click (tap, Enter, Space) locks that word,
// the Unlock button (or clicking the locked word again) unlocks. Left/Right (Home/End) move
// between the words. A polite live region reads the result: "it → animal 32.2%".
//
// Progressive enhancement: the static figure stays where it is (no script, print, downloads);
// the widget is added after it and starts from the figure's own published data (its JSON).
import { argmax, barList, el, loadFigureData, onPage, pct, rovingFocus } from "./pct.js";

/** What each figure offers the explorer: its words, a row of weights per query, the first query. */
export const SOURCES = {
  "attention-matrix-animal": (data) => ({
    tokens: data.tokens,
    rows: data.weights,
    start: data.focus_index,
    title: "Attention explorer",
    of: "its row of the matrix",
  }),
  "tiny-model-heads": (data) => {
    const { layer, head } = data.reference_head;
    return {
      tokens: data.tokens,
      rows: data.attention[layer][head],
      start: data.query_index,
      title: `Attention explorer: the reference head (layer ${layer}, head ${head})`,
      of: "the reference head",
    };
  },
};

/** The result a reader hears: "it → animal 32.2%" (the query, its top key and that weight). */
export function readout(tokens, row, query) {
  const top = argmax(row);
  return `${tokens[query]} → ${tokens[top]} ${pct(row[top])}`;
}

let counter = 0;

/** Build the explorer for one figure's data; returns its root element (not yet in the page). */
export function buildExplorer(figureId, source) {
  const { tokens, rows, start, title, of } = source;
  const uid = `sav-explorer-${++counter}`;
  const root = el("section", "sav-widget sav-explorer");
  root.dataset.savWidget = "explorer";
  root.dataset.figure = figureId;
  root.setAttribute("aria-labelledby", `${uid}-title`);

  const heading = el("p", "sav-widget__title", title);
  heading.id = `${uid}-title`;
  const how = el(
    "p",
    "sav-widget__how",
    "Hover, focus or tap a word to make it the query; click it (or press Enter) to lock it. " +
      "← and → move between the words.",
  );
  how.id = `${uid}-how`;

  const words = el("div", "sav-explorer__words");
  words.setAttribute("role", "toolbar");
  words.setAttribute("aria-label", "Query word");
  words.setAttribute("aria-describedby", how.id);
  const buttons = tokens.map((word, i) => {
    const b = el("button", "sav-explorer__word", word);
    b.type = "button";
    b.dataset.index = String(i);
    b.setAttribute("aria-pressed", "false");
    words.append(b);
    return b;
  });

  const lockLine = el("div", "sav-explorer__lock");
  const lockState = el("span", "sav-explorer__lockstate");
  const unlock = el("button", "sav-explorer__unlock", "Unlock");
  unlock.type = "button";
  lockLine.append(lockState, unlock);

  const chartTitle = el("p", "sav-explorer__charttitle");
  const bars = barList(tokens, "Attention weights of the query over every word");
  const live = el("p", "sav-widget__readout");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");

  root.append(heading, how, words, lockLine, chartTitle, bars.element, live);

  let shown = -1;
  let locked = -1;

  function show(i) {
    if (i === shown) return;
    shown = i;
    const row = rows[i];
    bars.update(row, argmax(row));
    buttons.forEach((b, j) => b.classList.toggle("sav-explorer__word--query", j === i));
    chartTitle.textContent = `Where “${tokens[i]}” looks (${of}, adding up to 100%):`;
    live.textContent = readout(tokens, row, i);
  }

  function renderLock() {
    buttons.forEach((b, j) => b.setAttribute("aria-pressed", j === locked ? "true" : "false"));
    unlock.disabled = locked < 0;
    lockState.textContent = locked < 0 ? "Not locked." : `Locked on “${tokens[locked]}”.`;
    root.classList.toggle("sav-explorer--locked", locked >= 0);
  }

  buttons.forEach((b, i) => {
    b.addEventListener("pointerenter", () => {
      if (locked < 0) show(i);
    });
    b.addEventListener("focus", () => {
      if (locked < 0) show(i);
    });
    b.addEventListener("click", () => {
      locked = locked === i ? -1 : i;
      show(i);
      renderLock();
    });
  });

  rovingFocus(words, buttons, start); // one tab stop; ← → Home End move between the words

  unlock.addEventListener("click", () => {
    const was = locked;
    locked = -1;
    renderLock();
    if (was >= 0) buttons[was].focus(); // the Unlock button is now disabled: focus goes back to the word
  });

  show(start);
  renderLock();
  return root;
}

async function enhance(figureId) {
  const figure = document.getElementById(`fig-${figureId}`);
  if (!figure || figure.dataset.savExplorer) return;
  figure.dataset.savExplorer = "pending";
  const data = await loadFigureData(figure, figureId);
  if (!data) {
    delete figure.dataset.savExplorer;
    return;
  }
  figure.dataset.savExplorer = "ready";
  figure.after(buildExplorer(figureId, SOURCES[figureId](data)));
}

onPage(() => Object.keys(SOURCES).forEach(enhance));
