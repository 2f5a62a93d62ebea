// The step button of docs/generating.md (under figure generation-steps): the hand-made model reads
// "The cat sat on the" one word per press, with a KV cache (decoding.js's decodeStep on the
// figure's x and W's), then chooses the next word from the hand-made scores of the figure's data:
// greedy (the most likely) or a seeded draw at temperature 1 (mulberry32, the seed shown and
// editable, so the same seed always draws the same word). Each step lists which keys the new word
// reads, cached or its own, as labelled bars; a polite live region says it in words.
//
// Progressive enhancement: the static figure stays (no script, print, downloads); the widget follows it.
import { decodeStep, sampleIndex, softmaxWithTemperature, uniformDraws } from "../decoding.js";
import { argmax, barList, el, loadFigureData, onPage, pct } from "./pct.js";

export const FIGURE = "generation-steps";

/** The word chosen after the prompt, its index among the candidates, and the u drawn (null for greedy). */
export function chooseNext(next, mode, seed) {
  const p = softmaxWithTemperature(next.logits, 1);
  if (mode === "greedy") return { index: argmax(p), u: null, p };
  const u = uniformDraws(seed, 1)[0];
  return { index: sampleIndex(p, u), u, p };
}

let counter = 0;

export function buildSteps(data) {
  const { tokens, x, w_q: wQ, w_k: wK, w_v: wV, next } = data;
  const promptLength = data.prompt_length;
  const uid = `sav-gen-${++counter}`;
  const root = el("section", "sav-widget sav-gen");
  root.dataset.savWidget = "decode-steps";
  root.dataset.figure = FIGURE;
  root.setAttribute("aria-labelledby", `${uid}-title`);
  const heading = el("p", "sav-widget__title", "Try it: generate one word at a time");
  heading.id = `${uid}-title`;
  const how = el(
    "p",
    "sav-widget__how",
    `Each press of “Next step” feeds one more word. The new word computes its own query, key and value; ` +
      `the keys and values of the words before it come from the cache. After “${tokens.slice(0, promptLength).join(" ")}” ` +
      "the next word is chosen from the hand-made scores: the most likely one (greedy), or a draw at temperature 1 " +
      "with the seed below (the same seed always draws the same word).",
  );

  const modes = el("div", "sav-gen__modes");
  modes.setAttribute("role", "group");
  modes.setAttribute("aria-label", "How the next word is chosen");
  const greedy = el("button", "sav-gen__mode", "Greedy");
  const sample = el("button", "sav-gen__mode", "Sample");
  for (const b of [greedy, sample]) b.type = "button";
  const seedLabel = el("label", "sav-gen__seed", "Seed ");
  const seedInput = document.createElement("input");
  seedInput.type = "number";
  seedInput.min = "0";
  seedInput.max = String(2 ** 32 - 1);
  seedInput.step = "1";
  seedInput.value = String(next.seed);
  seedInput.id = `${uid}-seed`;
  seedLabel.htmlFor = seedInput.id;
  seedLabel.append(seedInput);
  modes.append(greedy, sample, seedLabel);

  const controls = el("div", "sav-gen__controls");
  const step = el("button", "sav-gen__step", "Next step");
  const restart = el("button", "sav-gen__restart", "Start over");
  for (const b of [step, restart]) b.type = "button";
  controls.append(step, restart);

  const text = el("p", "sav-gen__text");
  const cacheLine = el("p", "sav-gen__cache");
  const barsHolder = el("div", "sav-gen__bars");
  const live = el("p", "sav-widget__readout");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  root.append(heading, how, modes, controls, text, cacheLine, barsHolder, live);

  let mode = "greedy";
  let words = [];
  let cache = null;

  function setMode(m) {
    mode = m;
    greedy.setAttribute("aria-pressed", String(m === "greedy"));
    sample.setAttribute("aria-pressed", String(m === "sample"));
    seedInput.disabled = m !== "sample";
  }

  function seed() {
    const s = Number(seedInput.value);
    return Number.isInteger(s) && s >= 0 && s < 2 ** 32 ? s : next.seed;
  }

  function show(result, chosen) {
    const keys = words.map((w, j) => `${w} (${j < result.nCached ? "cached" : "new"})`);
    const bars = barList(keys, `Keys the new word “${words.at(-1)}” reads, and its weights`);
    const top = argmax(result.weights);
    bars.update(result.weights, top);
    barsHolder.replaceChildren(bars.element);
    text.textContent = `Text so far: ${words.join(" ")}`;
    cacheLine.textContent =
      `Cache: the keys and values of ${result.cache.k.length} words (${words.join(", ")}); ` +
      `computed at this step: the q, k and v of “${words.at(-1)}” only.`;
    const how = chosen ? `${chosen} ` : "";
    live.textContent =
      `Step ${words.length}: ${how}“${words.at(-1)}” reads ${words.length} keys, ${result.nCached} from the cache ` +
      `and its own; most to “${words[top]}” ${pct(result.weights[top])}`;
    const done = words.length > promptLength;
    step.disabled = done;
    if (done) step.textContent = "The example stops here";
  }

  function advance() {
    let xT;
    let chosen = null;
    if (words.length < promptLength) {
      xT = x[words.length];
      words.push(tokens[words.length]);
    } else {
      const pick = chooseNext(next, mode, seed());
      xT = next.vectors[pick.index];
      words.push(next.candidates[pick.index]);
      chosen = mode === "greedy"
        ? `greedy takes the most likely word (${pct(pick.p[pick.index])}):`
        : `seed ${seed()} draws u = ${pick.u.toFixed(3)}, which picks “${next.candidates[pick.index]}” ` +
          `(${pct(pick.p[pick.index])}):`;
    }
    const result = decodeStep(xT, wQ, wK, wV, cache);
    cache = result.cache;
    show(result, chosen);
  }

  function restartAll() {
    words = [];
    cache = null;
    barsHolder.replaceChildren();
    text.textContent = "Text so far: (nothing yet)";
    cacheLine.textContent = "Cache: empty.";
    live.textContent = "";
    step.disabled = false;
    step.textContent = "Next step";
  }

  greedy.addEventListener("click", () => setMode("greedy"));
  sample.addEventListener("click", () => setMode("sample"));
  step.addEventListener("click", advance);
  restart.addEventListener("click", () => {
    restartAll();
    step.focus();
  });
  setMode("greedy");
  restartAll();
  return root;
}

async function enhance() {
  const figure = document.getElementById(`fig-${FIGURE}`);
  if (!figure || figure.dataset.savGen) return;
  figure.dataset.savGen = "pending";
  const data = await loadFigureData(figure, FIGURE);
  if (!data || !data.x || !data.next) {
    delete figure.dataset.savGen;
    return;
  }
  figure.dataset.savGen = "ready";
  figure.after(buildSteps(data));
}

onPage(enhance);
