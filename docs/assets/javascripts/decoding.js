// decoding.js: attention while generating, for the widgets of docs/generating.md.
//
// A port of attention_ref/decoding.py (tested against it: tests/browser/test_decoding_js_node.py):
// one decoding step with a KV cache, the softmax with a temperature, and the seeded choice of the
// next token. Pure functions over arrays of numbers, no DOM; the softmax is attention.js's.
// Bad input throws a TypeError or RangeError naming the argument, as attention.js does.
import { matmul, softmax } from "./attention.js";

/**
 * softmax(logits / temperature): the next token's probabilities.
 * @param {number[]} logits `(n)`, finite.
 * @param {number} temperature positive and finite.
 * @returns {number[]} `(n)`, summing to 1.
 */
export function softmaxWithTemperature(logits, temperature) {
  checkVector("logits", logits);
  if (typeof temperature !== "number" || !Number.isFinite(temperature) || temperature <= 0) {
    throw new RangeError(`temperature must be a positive finite number; got ${temperature}`);
  }
  return softmax(logits.map((s) => s / temperature));
}

/**
 * One step of causal decoding with a KV cache: the new token computes its own q, k, v, appends k
 * and v to the cache, and attends over every cached key and its own.
 * @param {number[]} xT the new token's vector `(d_model)`.
 * @param {number[][]} wQ `(d_model, d_k)`; wK `(d_model, d_k)`; wV `(d_model, d_v)`.
 * @param {{k: number[][], v: number[][]} | null} [cache] the tokens before it (null at the first step).
 * @returns {{position: number, q: number[], k: number[], v: number[], scores: number[],
 *     scaled: number[], weights: number[], output: number[], cache: {k: number[][], v: number[][]},
 *     nCached: number}} the arrays of attention_ref's DecodeStep; `cache` is a new object (the one
 *     given is left unchanged).
 */
export function decodeStep(xT, wQ, wK, wV, cache = null) {
  checkVector("xT", xT);
  const dModel = xT.length;
  for (const [name, w] of [["wQ", wQ], ["wK", wK], ["wV", wV]]) {
    if (!Array.isArray(w) || w.length !== dModel || !w.every((row) => Array.isArray(row) && row.length === w[0].length)) {
      throw new RangeError(`${name} must have shape (d_model, d) with d_model = ${dModel} (the length of xT)`);
    }
  }
  if (wQ[0].length !== wK[0].length) throw new RangeError("wQ and wK must project to the same d_k");
  if (cache !== null && (!Array.isArray(cache?.k) || !Array.isArray(cache?.v) || cache.k.length !== cache.v.length)) {
    throw new TypeError("cache must be null or {k, v} with one row per earlier token");
  }
  const project = (w) => matmul([xT], w)[0];
  const q = project(wQ);
  const k = project(wK);
  const v = project(wV);
  const keys = cache === null ? [k] : [...cache.k.map((r) => [...r]), k];
  const values = cache === null ? [v] : [...cache.v.map((r) => [...r]), v];
  const scale = 1 / Math.sqrt(q.length);
  const scores = keys.map((kj) => dot(q, kj));
  const scaled = scores.map((s) => s * scale);
  const weights = softmax(scaled);
  const output = values[0].map((_, c) => weights.reduce((acc, w, j) => acc + w * values[j][c], 0));
  return {
    position: keys.length - 1, q, k, v, scores, scaled, weights, output,
    cache: { k: keys, v: values }, nCached: cache === null ? 0 : cache.k.length,
  };
}

/**
 * n numbers in [0, 1) from mulberry32 with the given seed, as attention_ref.uniform_draws.
 * @param {number} seed an integer in [0, 2^32).
 * @param {number} n a positive integer.
 * @returns {number[]}
 */
export function uniformDraws(seed, n) {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new RangeError(`seed must be an integer in [0, 2^32); got ${seed}`);
  }
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`n must be a positive integer; got ${n}`);
  const out = [];
  let a = seed | 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out.push(((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/**
 * The first token whose cumulative probability exceeds u (inverse CDF), as attention_ref.sample_index.
 * @param {number[]} probabilities `(n)`, non-negative, summing to 1.
 * @param {number} u in [0, 1).
 * @returns {number} the index drawn.
 */
export function sampleIndex(probabilities, u) {
  checkVector("probabilities", probabilities);
  const total = probabilities.reduce((a, p) => a + p, 0);
  if (probabilities.some((p) => p < 0) || Math.abs(total - 1) > 1e-9) {
    throw new RangeError(`probabilities must be non-negative and sum to 1; got sum ${total}`);
  }
  if (typeof u !== "number" || !(u >= 0 && u < 1)) throw new RangeError(`u must lie in [0, 1); got ${u}`);
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    sum += probabilities[i];
    if (u < sum) return i;
  }
  let last = probabilities.length - 1;
  while (probabilities[last] === 0) last--;
  return last;
}

function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function checkVector(name, x) {
  if (!Array.isArray(x) || x.length === 0) throw new TypeError(`${name} must be a non-empty array of numbers`);
  if (!x.every((e) => typeof e === "number")) throw new TypeError(`${name} must hold numbers only`);
  if (!x.every(Number.isFinite)) throw new RangeError(`${name} contains NaN or Infinity (every entry must be finite)`);
}
