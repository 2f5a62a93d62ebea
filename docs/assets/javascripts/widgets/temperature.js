// The temperature slider of docs/generating.md (under figure decoding-temperature): the hand-made
// scores of the next word from the figure's data, divided by a temperature the reader chooses, then
// softmax (decoding.js). The bars show the probabilities; a polite live region reads the top word,
// its probability and the entropy. It starts at temperature 1, the figure's middle panel.
//
// Progressive enhancement: the static figure stays (no script, print, downloads); the widget follows it.
import { entropyBits } from "../attention.js";
import { softmaxWithTemperature } from "../decoding.js";
import { argmax, barList, el, f2, loadFigureData, onPage, pct } from "./pct.js";

export const FIGURE = "decoding-temperature";
// A doubling scale: position p is the temperature 2^p, from 1/8 to 4, in quarter steps.
const P_MIN = -3;
const P_MAX = 2;
const P_STEP = 0.25;

let counter = 0;

export function buildTemperature(data) {
  const { candidates, logits, prompt } = data;
  const uid = `sav-temp-${++counter}`;
  const root = el("section", "sav-widget sav-temp");
  root.dataset.savWidget = "temperature";
  root.dataset.figure = FIGURE;
  root.setAttribute("aria-labelledby", `${uid}-title`);
  const heading = el("p", "sav-widget__title", "Try it: the temperature of the next word");
  heading.id = `${uid}-title`;
  const how = el(
    "p",
    "sav-widget__how",
    `The slider sets the temperature the scores of the next word after “${prompt}” are divided by ` +
      "before softmax. Below 1 the top word takes more; above 1 the words even out. Their order never changes.",
  );
  how.id = `${uid}-how`;

  const control = el("div", "sav-dk__control");
  const label = el("label", "sav-dk__label", "Temperature ");
  label.htmlFor = `${uid}-range`;
  const value = el("output", "sav-dk__value");
  value.htmlFor = `${uid}-range`;
  label.append(value);
  const range = document.createElement("input");
  range.type = "range";
  range.id = `${uid}-range`;
  range.className = "sav-dk__range";
  range.min = String(P_MIN);
  range.max = String(P_MAX);
  range.step = String(P_STEP);
  range.value = "0";
  range.setAttribute("aria-describedby", how.id);
  const reset = el("button", "sav-dk__reset", "Back to temperature 1");
  reset.type = "button";
  const track = el("div", "sav-dk__track");
  const sharper = el("span", "sav-dk__end", "sharper");
  const even = el("span", "sav-dk__end", "more even");
  sharper.setAttribute("aria-hidden", "true");
  even.setAttribute("aria-hidden", "true");
  track.append(sharper, range, even);
  control.append(label, track, reset);

  const bars = barList(candidates, `Probability of each next word after “${prompt}”`);
  const live = el("p", "sav-widget__readout");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  root.append(heading, how, control, bars.element, live);

  function update() {
    const temperature = 2 ** Number(range.value);
    const p = softmaxWithTemperature(logits, temperature);
    const top = argmax(p);
    value.textContent = f2(temperature);
    range.setAttribute("aria-valuetext", `temperature ${f2(temperature)}`);
    bars.update(p, top);
    live.textContent =
      `Temperature ${f2(temperature)}: ${candidates[top]} ${pct(p[top])}, entropy ${f2(entropyBits(p))} bits; ` +
      `greedy decoding takes ${candidates[top]}, sampling takes it ${pct(p[top])} of the time`;
    reset.disabled = Number(range.value) === 0;
  }
  range.addEventListener("input", update);
  reset.addEventListener("click", () => {
    range.value = "0";
    update();
    range.focus();
  });
  update();
  return root;
}

async function enhance() {
  const figure = document.getElementById(`fig-${FIGURE}`);
  if (!figure || figure.dataset.savTemp) return;
  figure.dataset.savTemp = "pending";
  const data = await loadFigureData(figure, FIGURE);
  if (!data || !data.logits || !data.candidates) {
    delete figure.dataset.savTemp;
    return;
  }
  figure.dataset.savTemp = "ready";
  figure.after(buildTemperature(data));
}

onPage(enhance);
