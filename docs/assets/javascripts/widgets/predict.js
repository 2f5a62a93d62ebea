// Predict, then reveal (one per step page, docs/steps/*.md): before the page gives the answer, the
// reader picks the word they expect to come out on top, or the direction of a change; then the
// widget shows the answer computed from the figure's published data and the page's "why" sentence.
//
// The page writes the question as an HTML block (no number in it: the numbers come from the JSON):
//
//   <div class="sav-predict" data-figure="softmax-pie-it" data-question="top" data-key="weights"
//        data-format="pct" data-says="the most attention goes to">
//   <p class="sav-predict__question">Which word will “it” give the most attention?</p>
//   <details class="sav-predict__answer"><summary>…</summary>{{ value(...) }}</details>
//   </div>
//
//   The why sentence, with its {{ claim(...) }}.
//   {: .sav-predict__why }
//
// data-question="top": one button per word of data[data-words] (default "tokens"); data-key is a
//   list of one value per word, or a {word key: value} table (kit/common.py's keyed, looked up by
//   wordKeys); the answer is the largest.
// data-question="direction": buttons grows / shrinks / stays; data-key is the value before and
//   data-after the value after; the answer is the direction between them as the page writes them
//   (equal when formatted alike: "stays").
// data-format: "pct" (pct.js) or "f2" (the site's f2). data-says: the answer's subject, in words.
//
// Without scripts (or without the figure's data) the block stays as written: the question, the
// answer in its <details>, and the why sentence. With them the <details> is hidden on screen, the
// why sentence waits until the reveal, and a polite live region reads the pick and the answer.
import { el, fetchFigureData, figurePageDataUrl, fixed, onPage, pct } from "./pct.js";

const DIRECTIONS = ["grows", "shrinks", "stays"];
const FORMATS = { pct, f2: (x) => fixed(x, 2) };

/** `data["a"]["b"]` for "a.b", list items by index ("a.3", "a.-1"), as the site's value() macro. */
export function lookup(data, path) {
  let node = data;
  for (const part of path.split(".")) {
    if (Array.isArray(node) && /^-?\d+$/.test(part)) {
      const i = Number(part);
      node = node[i < 0 ? node.length + i : i];
    } else if (node !== null && typeof node === "object" && Object.hasOwn(node, part)) {
      node = node[part];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * A key per token, as figures_src/kit/common.py's word_keys: lower case, no apostrophe, repeats
 * numbered ("An", "Apple", "An") -> ["an", "apple", "an_2"]: the keys of a figure's {word: value} tables.
 */
export function wordKeys(tokens) {
  const seen = new Map();
  return tokens.map((t) => {
    const w = String(t).toLowerCase().replaceAll("'", "");
    seen.set(w, (seen.get(w) || 0) + 1);
    return seen.get(w) === 1 ? w : `${w}_${seen.get(w)}`;
  });
}

/**
 * The question's choices and answer, from the figure's data; null when the data do not fit.
 * @returns {{choices: string[], answer: number[], values?: number[], text: string,
 *     before?: string, after?: string}} answer: the indices of the right choices (a tie has several).
 */
export function solve(data, spec) {
  const format = FORMATS[spec.format || "pct"];
  if (!format) return null;
  if (spec.question === "top") {
    const words = lookup(data, spec.words || "tokens");
    let values = lookup(data, spec.key);
    if (Array.isArray(words) && values && !Array.isArray(values) && typeof values === "object") {
      const table = values; // {word key: value}; the published JSON sorts its keys, so look each word up
      values = wordKeys(words).map((k) => table[k]);
    }
    if (!Array.isArray(words) || !Array.isArray(values) || words.length !== values.length || !words.length) return null;
    if (!values.every((v) => typeof v === "number" && Number.isFinite(v))) return null;
    const best = Math.max(...values);
    const answer = values.flatMap((v, j) => (v === best ? [j] : []));
    return { choices: words.map(String), answer, values, text: format(best) };
  }
  if (spec.question === "direction") {
    const before = lookup(data, spec.key);
    const after = lookup(data, spec.after);
    if (typeof before !== "number" || typeof after !== "number") return null;
    const [b, a] = [format(before), format(after)];
    const direction = a === b ? "stays" : after > before ? "grows" : "shrinks";
    return { choices: DIRECTIONS, answer: [DIRECTIONS.indexOf(direction)], before: b, after: a, text: direction };
  }
  return null;
}

/** What the live region says after a pick (or after "Show the answer", pick = null). */
export function verdict(solved, spec, pick) {
  const picked = pick === null ? "You did not pick" : `You picked “${solved.choices[pick]}”`;
  const says = spec.says ? `${spec.says} ` : "";
  if (spec.question === "top") {
    const words = solved.answer.map((j) => `“${solved.choices[j]}”`).join(" and ");
    return `${picked}; ${says}${words} (${solved.text}).`;
  }
  const change = solved.text === "stays" ? `stays at ${solved.after}` : `${solved.text}, from ${solved.before} to ${solved.after}`;
  return `${picked}; ${says}${change}.`;
}

/** The paragraph of the why sentence: the first element after the block, if it is marked so. */
function whyOf(block) {
  const next = block.nextElementSibling;
  return next && next.classList.contains("sav-predict__why") ? next : null;
}

/** The figure's data: from the figure on this page, else from any link to the figure's page (a claim's ✓). */
async function dataFor(id, block) {
  const links = [];
  const figure = document.getElementById(`fig-${id}`);
  if (figure) links.push(...figure.querySelectorAll("a.sav-figure__more[href]"));
  const why = whyOf(block);
  if (why) links.push(...why.querySelectorAll("a[href]"));
  links.push(...document.querySelectorAll(".md-content a[href*='figures/']"));
  for (const a of links) {
    const url = figurePageDataUrl(a.getAttribute("href"), id);
    if (url) return fetchFigureData(url);
  }
  return null;
}

let counter = 0;

export function buildPredict(block, data) {
  const spec = { ...block.dataset };
  const solved = solve(data, spec);
  if (!solved) return null;
  const uid = `sav-predict-${++counter}`;
  const question = block.querySelector(".sav-predict__question");
  if (question && !question.id) question.id = `${uid}-q`;
  const why = whyOf(block);

  const root = el("div", "sav-widget sav-predict__widget");
  root.dataset.savWidget = "predict"; // its figure is the block's data-figure (one widget per figure stays findable)
  const group = el("div", "sav-predict__choices");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "Your prediction");
  if (question) group.setAttribute("aria-describedby", question.id);
  const buttons = solved.choices.map((choice, j) => {
    const b = el("button", "sav-predict__choice");
    b.type = "button";
    b.dataset.index = String(j);
    b.setAttribute("aria-pressed", "false");
    b.append(el("span", "sav-predict__word", choice));
    group.append(b);
    return b;
  });
  const show = el("button", "sav-predict__show", "Just show the answer");
  show.type = "button";
  const reveal = el("p", "sav-predict__reveal");
  reveal.hidden = true;
  reveal.id = `${uid}-answer`;
  const live = el("p", "sav-widget__readout sav-predict__live");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  root.append(group, show, reveal, live);

  function answerText() {
    if (spec.question === "top") {
      const words = solved.answer.map((j) => `“${solved.choices[j]}”`).join(" and ");
      return `The answer: ${words}, ${solved.text}.`;
    }
    const change = solved.text === "stays" ? `it stays at ${solved.after}` : `it ${solved.text}, from ${solved.before} to ${solved.after}`;
    return `The answer: ${change}.`;
  }

  function pick(j) {
    buttons.forEach((b, i) => {
      b.setAttribute("aria-pressed", String(i === j));
      const right = solved.answer.includes(i);
      b.classList.toggle("sav-predict__choice--answer", right);
      if (right && !b.querySelector(".sav-predict__mark")) {
        const mark = el("span", "sav-predict__mark", " ✓");
        mark.setAttribute("aria-hidden", "true");
        const sr = el("span", "sav-sr", " (the answer)");
        b.append(mark, sr);
      }
    });
    const hit = j !== null && solved.answer.includes(j);
    reveal.replaceChildren(
      el("strong", null, j === null ? "" : hit ? "Right. " : "Not this time. "),
      answerText(),
    );
    reveal.hidden = false;
    if (why) why.classList.remove("sav-predict__why--waiting");
    show.hidden = true;
    root.dataset.revealed = "true";
    live.textContent = verdict(solved, spec, j);
  }
  buttons.forEach((b, j) => b.addEventListener("click", () => pick(j)));
  show.addEventListener("click", () => {
    pick(null);
    buttons[solved.answer[0]].focus();
  });
  return { root, why, solved, spec };
}

async function enhance() {
  for (const block of document.querySelectorAll(".sav-predict[data-figure]")) {
    if (block.dataset.savPredict) continue;
    block.dataset.savPredict = "pending";
    const data = await dataFor(block.dataset.figure, block);
    const built = data && buildPredict(block, data);
    if (!built) {
      delete block.dataset.savPredict;
      continue;
    }
    block.append(built.root);
    block.classList.add("sav-predict--ready"); // hides the static answer on screen (predict.css)
    if (built.why) built.why.classList.add("sav-predict__why--waiting");
    block.dataset.savPredict = "ready";
  }
}

onPage(enhance);
