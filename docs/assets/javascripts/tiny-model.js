// tiny-model.js: the trained tiny transformer of "A model that learned it", in the browser.
//
// A port of attention_ref/tiny_model.py (numpy) on the very same weights: the site build writes
// them as assets/models/tiny-model.json (vocabulary, nouns, config, an index of the weights) and
// assets/models/tiny-model.f32 (every weight, little-endian float32), from
// figures_src/site/model_export.py. The math is attention.js's (positional encoding, multi-head
// attention, softmax, matmul); this module adds the LayerNorms, the MLP, the residual stream and
// the tokenizer. tests/browser/test_tiny_model_js.py checks it against attention_ref, sentence by
// sentence. No DOM: a widget calls loadTinyModel once, then forward for each sentence.
//
//   x_0    = tok_emb[ids] + PE                         (T, d)
//   per layer: x += MHA(LN_1(x)); x += relu(LN_2(x) W_in + b_in) W_out + b_out
//   logits = LN_f(x)[i_it] W_head + b_head             (n_nouns,)

import { matmul, multiHeadAttention, sinusoidalPositionalEncoding, softmax } from "./attention.js";

const FORMAT = "tiny-model/1";
const PAD = "<pad>";
const LAYER_KEYS = [
  "ln_1.weight", "ln_1.bias", "w_q", "w_k", "w_v", "w_o",
  "ln_2.weight", "ln_2.bias", "mlp.w_in", "mlp.b_in", "mlp.w_out", "mlp.b_out",
];
// Python's str.split() splits on these (str.isspace); JavaScript's \s is a slightly different set.
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;
const STRIP = /^[.,!?;:"]+|[.,!?;:"]+$/g;

/** A sentence the model cannot read: an unknown word, no words, or not exactly one query word. */
export class SentenceError extends Error {
  /**
   * @param {string} message names the problem, as attention_ref's ValueError does.
   * @param {{word?: string, suggestions?: string[]}} [details] the unknown word and the nearest known words.
   */
  constructor(message, { word = null, suggestions = [] } = {}) {
    super(message);
    this.name = "SentenceError";
    this.word = word;
    this.suggestions = suggestions;
  }
}

/**
 * Fetch the model: `tiny-model.json` and the weights file it names, both from `baseUrl`.
 *
 * @param {string | URL} baseUrl the folder of the two files (ends in "/"); relative to the page.
 * @returns {Promise<object>} the model: {config, vocabulary, nouns, query, referenceHead, tokEmb,
 *     layers: [{ln1Weight, ln1Bias, wQ, wK, wV, wO, ln2Weight, ln2Bias, wIn, bIn, wOut, bOut}],
 *     lnFWeight, lnFBias, headW, headB, arrays: {npz name: nested array}}; every weight a nested
 *     Array of numbers (float32 values, held as float64 like attention_ref).
 * @throws {Error} a file did not load, or does not fit the format (naming the file and the array).
 */
export async function loadTinyModel(baseUrl) {
  const base = new URL(String(baseUrl), globalThis.location?.href);
  const jsonUrl = new URL("tiny-model.json", base);
  const index = await (await fetchOk(jsonUrl)).json();
  if (index.format !== FORMAT) throw new Error(`${jsonUrl}: format must be ${FORMAT}; got ${index.format}`);
  const binUrl = new URL(index.weights_file, base);
  const buffer = await (await fetchOk(binUrl)).arrayBuffer();
  return modelFromFiles(index, buffer, String(binUrl));
}

/**
 * The model from the two files' contents (what loadTinyModel does after fetching).
 *
 * @param {object} index the parsed tiny-model.json.
 * @param {ArrayBuffer} buffer the bytes of tiny-model.f32.
 * @param {string} [binName="tiny-model.f32"] the weights file's name, for the error messages.
 * @returns {object} the model, as loadTinyModel.
 */
export function modelFromFiles(index, buffer, binName = "tiny-model.f32") {
  if (buffer.byteLength !== index.byte_length) {
    throw new Error(`${binName}: ${buffer.byteLength} bytes; tiny-model.json says ${index.byte_length}`);
  }
  const view = new DataView(buffer);
  const arrays = {};
  for (const { name, shape, offset } of index.arrays) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (offset % 4 !== 0 || offset + 4 * size > buffer.byteLength) {
      throw new Error(`${binName}: array ${name} (shape ${shape.join("x")}) at byte ${offset} does not fit the file`);
    }
    const flat = Array.from({ length: size }, (_, i) => view.getFloat32(offset + 4 * i, true));
    arrays[name] = nest(flat, shape);
  }
  const get = (name) => {
    if (!(name in arrays)) throw new Error(`tiny-model.json: array ${name} is missing`);
    return arrays[name];
  };
  const { n_layers: nLayers } = index.config;
  const layers = Array.from({ length: nLayers }, (_, l) => {
    const [ln1Weight, ln1Bias, wQ, wK, wV, wO, ln2Weight, ln2Bias, wIn, bIn, wOut, bOut] = LAYER_KEYS.map((key) =>
      get(`layers.${l}.${key}`),
    );
    return { ln1Weight, ln1Bias, wQ, wK, wV, wO, ln2Weight, ln2Bias, wIn, bIn, wOut, bOut };
  });
  const vocabulary = [...index.vocabulary];
  return {
    config: { ...index.config },
    vocabulary,
    nouns: [...index.nouns],
    query: index.query,
    referenceHead: { ...index.reference_head },
    known: vocabulary.filter((w) => w !== PAD).sort(),
    ids: new Map(vocabulary.map((w, i) => [w, i])),
    tokEmb: get("tok_emb"),
    layers,
    lnFWeight: get("ln_f.weight"),
    lnFBias: get("ln_f.bias"),
    headW: get("head.w"),
    headB: get("head.b"),
    arrays,
  };
}

/**
 * The words of a sentence as the model reads them, each checked against its vocabulary.
 * As attention_ref: lower case, split on whitespace, strip `.,!?;:"` from both ends of each
 * word ("didn't" stays one word), drop what is left empty.
 *
 * @param {string | string[]} sentence a string, or its words (joined with spaces first).
 * @param {object} model from loadTinyModel.
 * @returns {string[]} the tokens.
 * @throws {TypeError} sentence is not a string or an array of strings.
 * @throws {SentenceError} no words, or a word the model does not know (naming it and the
 *     nearest known words, the same as attention_ref's difflib.get_close_matches).
 */
export function tokenize(sentence, model) {
  let text = sentence;
  if (Array.isArray(sentence) && sentence.every((w) => typeof w === "string")) text = sentence.join(" ");
  else if (typeof sentence !== "string") {
    throw new TypeError(`sentence must be a string or a sequence of words; got ${typeName(sentence)}`);
  }
  const tokens = splitWords(text);
  if (tokens.length === 0) throw new SentenceError(`sentence has no words; got ${pyRepr(sentence)}`);
  for (const word of tokens) {
    if (!model.ids.has(word) || word === PAD) {
      const near = closeMatches(word, model.known);
      const hint = near.length ? `nearest known words: ${near.join(", ")}` : "no known word is close";
      throw new SentenceError(
        `sentence: unknown word ${pyRepr(word)} (the tiny model knows ${model.known.length} words); ${hint}`,
        { word, suggestions: near },
      );
    }
  }
  return tokens;
}

/** The tokenizer alone, without the vocabulary check. */
export function splitWords(text) {
  return text
    .toLowerCase()
    .split(PY_WHITESPACE)
    .map((w) => w.replace(STRIP, ""))
    .filter((w) => w.length > 0);
}

/**
 * Run the model on one sentence; as attention_ref's TinyModel.forward.
 *
 * @param {object} model from loadTinyModel.
 * @param {string | string[]} sentence must contain the query word ("it") exactly once.
 * @returns {{tokens: string[], ids: number[], queryIndex: number, attention: number[][][][],
 *     logits: number[], probabilities: number[], nouns: string[], prediction: string,
 *     probability: number}} attention `(n_layers, n_heads, T, T)`, row i = query token i;
 *     logits and probabilities `(n_nouns,)` over `nouns`; prediction the noun of the largest
 *     probability (the first, on a tie, as numpy's argmax) and probability its probability.
 * @throws {TypeError | SentenceError} as tokenize, and when the query word is missing or repeated.
 */
export function forward(model, sentence) {
  const tokens = tokenize(sentence, model);
  const count = tokens.filter((w) => w === model.query).length;
  if (count !== 1) {
    throw new SentenceError(
      `sentence must contain ${pyRepr(model.query)} exactly once (the model names its referent); ` +
        `found ${count} in ${pyRepr(tokens.join(" "))}`,
    );
  }
  const { d_model: dModel, n_heads: nHeads, eps } = model.config;
  const ids = tokens.map((w) => model.ids.get(w));
  const queryIndex = tokens.indexOf(model.query);
  const positions = sinusoidalPositionalEncoding(tokens.length, dModel); // (T, d)
  let x = ids.map((id, t) => add(model.tokEmb[id], positions[t])); // (T, d)
  const attention = [];
  for (const layer of model.layers) {
    const ln1 = x.map((row) => layerNorm(row, layer.ln1Weight, layer.ln1Bias, eps)); // (T, d)
    const att = multiHeadAttention(ln1, layer.wQ, layer.wK, layer.wV, layer.wO, { nHeads });
    attention.push(att.weights); // (n_heads, T, T)
    const mid = x.map((row, t) => add(row, att.output[t])); // (T, d)
    const ln2 = mid.map((row) => layerNorm(row, layer.ln2Weight, layer.ln2Bias, eps)); // (T, d)
    const hidden = matmul(ln2, layer.wIn).map((row) => add(row, layer.bIn).map(relu)); // (T, d_mlp)
    const mlpOut = matmul(hidden, layer.wOut).map((row) => add(row, layer.bOut)); // (T, d)
    x = mid.map((row, t) => add(row, mlpOut[t]));
  }
  const final = layerNorm(x[queryIndex], model.lnFWeight, model.lnFBias, eps); // (d,)
  const logits = add(matmul([final], model.headW)[0], model.headB); // (n_nouns,)
  const probabilities = softmax(logits);
  let best = 0;
  probabilities.forEach((p, i) => {
    if (p > probabilities[best]) best = i;
  });
  return {
    tokens,
    ids,
    queryIndex,
    attention,
    logits,
    probabilities,
    nouns: [...model.nouns],
    prediction: model.nouns[best],
    probability: probabilities[best],
  };
}

/**
 * The known words nearest to `word`, as Python's difflib.get_close_matches(word, known, n, cutoff):
 * each candidate's SequenceMatcher ratio 2M / (len(a) + len(b)) against `word`, those >= cutoff,
 * the best n, a tie going to the later word in code-unit order (Python compares (score, word)).
 *
 * @param {string} word the unknown word.
 * @param {string[]} known the candidates.
 * @param {number} [n=3] at most this many.
 * @param {number} [cutoff=0.6] the smallest ratio kept.
 * @returns {string[]} best first.
 */
export function closeMatches(word, known, n = 3, cutoff = 0.6) {
  const scored = [];
  for (const candidate of known) {
    const r = ratio(candidate, word);
    if (r >= cutoff) scored.push([r, candidate]);
  }
  scored.sort((p, q) => q[0] - p[0] || (q[1] > p[1] ? 1 : q[1] < p[1] ? -1 : 0));
  return scored.slice(0, n).map((p) => p[1]);
}

// --------------------------------------------------------------------------- the pieces

const relu = (v) => (v > 0 ? v : 0); // np.maximum(v, 0.0)
const add = (a, b) => a.map((ai, i) => ai + b[i]);
const sum = (xs) => xs.reduce((s, v) => s + v, 0);

// attention_ref's _layer_norm: (x - mean) / sqrt(var + eps) * weight + bias, biased variance.
function layerNorm(row, weight, bias, eps) {
  const mean = sum(row) / row.length;
  const centred = row.map((v) => v - mean);
  const variance = sum(centred.map((v) => v * v)) / row.length;
  const denominator = Math.sqrt(variance + eps);
  return centred.map((v, i) => (v / denominator) * weight[i] + bias[i]);
}

function nest(flat, shape) {
  if (shape.length <= 1) return flat;
  const step = flat.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => nest(flat.slice(i * step, (i + 1) * step), shape.slice(1)));
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} (the tiny model's files are in assets/models/)`);
  return response;
}

// difflib.SequenceMatcher(None, a, b).ratio(): no junk, and no "popular" heuristic (b is short).
function ratio(a, b) {
  const [ca, cb] = [[...a], [...b]]; // code points, as Python indexes a str
  const total = ca.length + cb.length;
  return total ? (2.0 * matchingCharacters(ca, cb)) / total : 1.0;
}

// a, b: arrays of code points. The sum of the sizes of SequenceMatcher's matching blocks: the
// longest match, then recursively the longest matches to its left and to its right (the same tie
// rule: earliest in a, then in b).
function matchingCharacters(a, b) {
  const b2j = new Map();
  b.forEach((ch, j) => (b2j.get(ch) ?? b2j.set(ch, []).get(ch)).push(j));
  const longest = (alo, ahi, blo, bhi) => {
    let [besti, bestj, bestsize] = [alo, blo, 0];
    let j2len = new Map();
    for (let i = alo; i < ahi; i++) {
      const next = new Map();
      for (const j of b2j.get(a[i]) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestsize) [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k];
      }
      j2len = next;
    }
    return [besti, bestj, bestsize];
  };
  let matched = 0;
  const queue = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop();
    const [i, j, k] = longest(alo, ahi, blo, bhi);
    if (k) {
      matched += k;
      if (alo < i && blo < j) queue.push([alo, i, blo, j]);
      if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
    }
  }
  return matched;
}

// Python's repr of a string, for the messages to read like attention_ref's (printable text).
function pyRepr(value) {
  if (typeof value !== "string") return Array.isArray(value) ? `[${value.map(pyRepr).join(", ")}]` : String(value);
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

function typeName(value) {
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? "array (not all strings)" : typeof value;
}
