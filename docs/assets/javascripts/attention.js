// attention.js: the math of self-attention, for the widgets that recompute what a reader changes.
//
// One ES module, no dependencies, no DOM: pure functions over nested arrays of numbers. It is a
// port of attention_ref (the numpy reference every figure of the site is computed from) and is
// tested against it case by case (tests/browser/), so a widget can never disagree with a figure.
//
// Conventions, the same as attention_ref's:
// - tokens are row vectors: a sentence of T tokens is a (T, d_model) array, one row per token;
// - a shape is written (T_q, d_k) and means nested arrays, q[i][j] being row i, column j;
// - leading "batch" dimensions broadcast as in numpy: (2, 1, T, d) against (3, T, d) -> (2, 3, ...);
// - a mask is a nested array of booleans, true = this query may attend to this key;
// - a masked score is -Infinity, and a query with every key masked gets zero weights and a
//   zero output (nothing to attend to; PyTorch's scaled_dot_product_attention does the same).
//
// Only the exported functions check their arguments; bad input throws a TypeError (wrong kind
// of value, ragged array) or a RangeError (wrong shape or value) whose message names the
// argument and the shapes it got, as attention_ref's TypeError and ValueError do. The inner
// functions below the checks assume valid input and read like the formulas.

/**
 * A nested array of numbers: a number, or an array of NestedNumbers of equal shapes.
 * @typedef {number | NestedNumbers[]} NestedNumbers
 */
/**
 * A nested array of booleans (a mask): true = may attend.
 * @typedef {boolean | NestedBooleans[]} NestedBooleans
 */

// ------------------------------------------------------------------------------------ the math

/**
 * Softmax over the last axis: exp(x_i - max) / sum_j exp(x_j - max).
 *
 * Subtracting the row's largest kept entry changes nothing (softmax is shift invariant) and keeps
 * every exponent <= 0, so scores around 1e4 or 1e300 neither overflow nor turn into NaN.
 * -Infinity means masked (weight 0); a row with every entry -Infinity is all zeros.
 *
 * @param {NestedNumbers} x scores `(..., n)`, rank >= 1; finite or -Infinity.
 * @returns {NestedNumbers} weights `(..., n)`: each row's kept entries are positive and sum to 1.
 * @throws {TypeError | RangeError} ragged or non-numeric x, empty x, NaN or +Infinity in x.
 * @example softmax([1, 2, -Infinity])  // [0.2689..., 0.7310..., 0]
 */
export function softmax(x) {
  const xShape = checkScores("x", x);
  return mapRows(copy(x), xShape.length - 1, (row) => softmaxRow(row, row.map((s) => s !== -Infinity)));
}

/**
 * Scaled dot-product attention, every step of it: softmax(Q K^T * scale) V.
 *
 * Shapes: q `(..., T_q, d_k)`, k `(..., T_k, d_k)`, v `(..., T_k, d_v)`; the leading batch
 * dimensions of q, k and v broadcast against each other.
 *
 * @param {NestedNumbers} q queries `(..., T_q, d_k)`: what each token looks for.
 * @param {NestedNumbers} k keys `(..., T_k, d_k)`: what each token offers to be found by.
 * @param {NestedNumbers} v values `(..., T_k, d_v)`: what each token hands over when found.
 * @param {object} [options]
 * @param {NestedBooleans} [options.mask] broadcastable to `(..., T_q, T_k)`; true = may attend.
 * @param {boolean} [options.causal=false] query i may attend only to keys j <= i (aligned at the
 *     top left when T_q != T_k, as causalMask); combined with `mask` by logical and.
 * @param {number} [options.scale=1/sqrt(d_k)] the factor applied to Q K^T; positive.
 * @returns {{scores: NestedNumbers, scaled: NestedNumbers, weights: NestedNumbers,
 *     output: NestedNumbers, mask: NestedBooleans | null, scale: number}}
 *     scores `(..., T_q, T_k)` = Q K^T (step 2); scaled = scores * scale, -Infinity where masked
 *     (step 3); weights = softmax(scaled) over the keys (step 4); output `(..., T_q, d_v)` =
 *     weights V (step 5); mask `(..., T_q, T_k)` as applied, or null when neither mask nor causal
 *     was given; scale as applied. The batch dimensions of each field are those attention_ref's
 *     numpy broadcasting gives: scores has the batch of q and k; scaled and weights also have
 *     v's when a mask is applied; output has all three.
 * @throws {TypeError | RangeError} see the checks; each message names the argument and shapes.
 */
export function scaledDotProductAttention(q, k, v, options = {}) {
  const { mask, causal = false, scale } = checkOptions(options, ["mask", "causal", "scale"]);
  const qShape = checkFloats("q", q, 2);
  const kShape = checkFloats("k", k, 2);
  const vShape = checkFloats("v", v, 2);
  if (qShape.at(-1) !== kShape.at(-1)) {
    throw new RangeError(
      `q and k must have the same last dimension (d_k); got q ${fmt(qShape)} and k ${fmt(kShape)}`,
    );
  }
  if (kShape.at(-2) !== vShape.at(-2)) {
    throw new RangeError(
      `k and v must have the same number of tokens T_k (axis -2); got k ${fmt(kShape)} and v ${fmt(vShape)}`,
    );
  }
  const batch = checkBatch({ q: qShape, k: kShape, v: vShape });
  checkBool("causal", causal);
  const factor = scale === undefined || scale === null ? 1 / Math.sqrt(qShape.at(-1)) : checkPositive("scale", scale);
  const keep = combineMask(mask, causal, [...batch, qShape.at(-2), kShape.at(-2)]);
  return attend(copy(q), copy(k), copy(v), keep, factor);
}

/**
 * Multi-head self-attention: split into heads, attend in each, concatenate, mix with W_O.
 *
 * Head h uses columns h*d_head .. (h+1)*d_head - 1 of W_Q, W_K and W_V (d_head = d_model / nHeads):
 * Q_h = X W_Q[:, h], and so on; each head scales by 1/sqrt(d_head). As
 * attention_ref.multi_head_attention, and as torch.nn.MultiheadAttention(bias=False) with
 * wQ = in_proj_weight[:d_model].T and wO = out_proj.weight.T.
 *
 * @param {NestedNumbers} x token vectors `(..., T, d_model)`.
 * @param {NestedNumbers} wQ `(d_model, d_model)`.
 * @param {NestedNumbers} wK `(d_model, d_model)`.
 * @param {NestedNumbers} wV `(d_model, d_model)`.
 * @param {NestedNumbers} wO `(d_model, d_model)`, mixes the concatenated heads.
 * @param {object} options
 * @param {number} options.nHeads a positive integer that divides d_model.
 * @param {NestedBooleans} [options.mask] broadcastable to `(..., T, T)`, shared by all heads.
 * @param {boolean} [options.causal=false] as in scaledDotProductAttention.
 * @returns {{heads: Array<{q: NestedNumbers, k: NestedNumbers, v: NestedNumbers,
 *     scores: NestedNumbers, scaled: NestedNumbers, weights: NestedNumbers, output: NestedNumbers,
 *     mask: NestedBooleans | null, scale: number}>, concat: NestedNumbers, output: NestedNumbers,
 *     weights: NestedNumbers, nHeads: number}}
 *     heads: one per head, q, k, v `(..., T, d_head)` and the fields of scaledDotProductAttention;
 *     concat `(..., T, d_model)` = [head_1 | ... | head_h]; output `(..., T, d_model)` = concat W_O;
 *     weights `(..., nHeads, T, T)`, every head's weights stacked.
 * @throws {TypeError | RangeError} see the checks; each message names the argument and shapes.
 */
export function multiHeadAttention(x, wQ, wK, wV, wO, options = {}) {
  const { nHeads, mask, causal = false } = checkOptions(options, ["nHeads", "mask", "causal"]);
  const xShape = checkFloats("x", x, 2);
  const dModel = xShape.at(-1);
  checkPositiveInt("nHeads", nHeads);
  if (dModel % nHeads !== 0) {
    throw new RangeError(`nHeads = ${nHeads} must divide d_model = ${dModel} (the last axis of x ${fmt(xShape)})`);
  }
  for (const [name, w] of Object.entries({ wQ, wK, wV, wO })) {
    const wShape = checkFloats(name, w, 1);
    if (wShape.length !== 2 || wShape[0] !== dModel || wShape[1] !== dModel) {
      throw new RangeError(
        `${name} must have shape (d_model, d_model) = ${fmt([dModel, dModel])}; got ${fmt(wShape)}`,
      );
    }
  }
  checkBool("causal", causal);
  const t = xShape.at(-2);
  const keep = combineMask(mask, causal, [...xShape.slice(0, -2), t, t]);

  [x, wQ, wK, wV, wO] = [x, wQ, wK, wV, wO].map(copy); // plain arrays (typed-array rows are welcome)
  const dHead = dModel / nHeads;
  const heads = [];
  for (let h = 0; h < nHeads; h++) {
    const cols = (w) => w.map((row) => row.slice(h * dHead, (h + 1) * dHead)); // head h's block of columns
    heads.push(selfAttend(x, cols(wQ), cols(wK), cols(wV), keep));
  }
  const concat = concatLast(heads.map((head) => head.output)); // (..., T, nHeads * d_head)
  const output = matmulBatched(concat, wO); // (..., T, d_model) x (d_model, d_model) -> (..., T, d_model)
  const weights = stackAt(heads.map((head) => head.weights), xShape.length - 2); // (..., nHeads, T, T)
  return { heads, concat, output, weights, nHeads };
}

/**
 * The causal mask: true where key j <= query i (the lower triangle, diagonal included).
 * For T_q != T_k it is aligned at the top left, as numpy's tril and PyTorch's is_causal.
 *
 * @param {number} tQ number of queries T_q, a positive integer.
 * @param {number} [tK=tQ] number of keys T_k, a positive integer.
 * @returns {boolean[][]} `(T_q, T_k)`.
 */
export function causalMask(tQ, tK = tQ) {
  checkPositiveInt("tQ", tQ);
  checkPositiveInt("tK", tK);
  return tril(tQ, tK);
}

/**
 * Sinusoidal positional encoding (Vaswani et al. 2017, section 3.5):
 * PE[pos][2i] = sin(pos / base^(2i / d_model)), PE[pos][2i + 1] = cos(pos / base^(2i / d_model)).
 *
 * @param {number} nPositions number of positions T (rows 0 .. T-1), a positive integer.
 * @param {number} dModel vector size (columns), a positive integer; an odd one ends on a sine.
 * @param {number} [base=10000] the wavelength base.
 * @returns {number[][]} `(T, d_model)`.
 */
export function sinusoidalPositionalEncoding(nPositions, dModel, base = 10000) {
  checkPositiveInt("nPositions", nPositions);
  checkPositiveInt("dModel", dModel);
  checkPositive("base", base);
  return range(nPositions).map((pos) =>
    range(dModel).map((j) => {
      const angle = pos / base ** ((j - (j % 2)) / dModel); // column pair (2i, 2i + 1) shares 2i
      return j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }),
  );
}

/**
 * Shannon entropy in bits over the last axis: -sum_i p_i log2 p_i, where 0 log 0 counts as 0.
 * log2(n) for n equal weights (attention spread evenly), 0 for one-hot (all on one key).
 *
 * @param {NestedNumbers} p weights `(..., n)`, rank >= 1, finite.
 * @returns {NestedNumbers} `(...)`: a number for a single row `(n)`.
 */
export function entropyBits(p) {
  const pShape = checkFloats("p", p, 1);
  return mapRows(copy(p), pShape.length - 1, (row) => -sum(row.map((pi) => (pi > 0 ? pi * Math.log2(pi) : 0))));
}

/**
 * Matrix product with broadcast batch dimensions: `(..., m, n) x (..., n, p) -> (..., m, p)`.
 *
 * @param {NestedNumbers} a `(..., m, n)`, rank >= 2, finite.
 * @param {NestedNumbers} b `(..., n, p)`, rank >= 2, finite.
 * @returns {NestedNumbers} `(..., m, p)`.
 */
export function matmul(a, b) {
  const aShape = checkFloats("a", a, 2);
  const bShape = checkFloats("b", b, 2);
  if (aShape.at(-1) !== bShape.at(-2)) {
    throw new RangeError(
      `a and b must agree on the inner dimension (the last axis of a, axis -2 of b); ` +
        `got a ${fmt(aShape)} and b ${fmt(bShape)}`,
    );
  }
  checkBatch({ a: aShape, b: bShape });
  return matmulBatched(copy(a), copy(b));
}

/**
 * Swap the last two axes: `(..., m, n) -> (..., n, m)`; for a matrix, its transpose.
 *
 * @param {NestedNumbers | NestedBooleans} x rank >= 2, rectangular.
 * @returns {NestedNumbers | NestedBooleans} `(..., n, m)`.
 */
export function transpose(x) {
  const xShape = shape(x, "x");
  if (xShape.length < 2) throw new RangeError(`x must have at least 2 dimension(s); got shape ${fmt(xShape)}`);
  return swapLast(copy(x));
}

/**
 * The shape of a nested array, as numpy's `np.shape`: [] for a number, [3, 4] for 3 rows of 4.
 *
 * @param {NestedNumbers | NestedBooleans} x a rectangular nested array (or a single value).
 * @param {string} [name="x"] the argument's name, for the error message.
 * @returns {number[]} one length per axis.
 * @throws {TypeError} x is ragged (rows of different lengths, or arrays next to numbers).
 */
export function shape(x, name = "x") {
  const dims = [];
  for (let a = x; isArray(a); a = a[0]) {
    dims.push(a.length);
    if (a.length === 0) break;
  }
  checkRectangular(name, x, dims, []);
  return dims;
}

// ---------------------------------------------------------- the formula, on validated arrays

function attend(q, k, v, keep, scale) {
  const scores = matmulBatched(q, swapLast(k)); // (..., T_q, d_k) x (..., d_k, T_k) -> (..., T_q, T_k)
  let scaled = mapLeaves(scores, (s) => s * scale);
  let weights;
  if (keep === null) {
    weights = mapRows(scaled, rank(scaled) - 1, (row) => softmaxRow(row, row.map(() => true)));
  } else {
    scaled = broadcastTo(scaled, dims(keep)); // the batch dimensions of v join, as numpy's where
    scaled = zipLeaves(scaled, keep, (s, kept) => (kept ? s : -Infinity));
    weights = zipAt(scaled, keep, rank(keep) - 1, softmaxRow);
  }
  const output = matmulBatched(weights, v); // (..., T_q, T_k) x (..., T_k, d_v) -> (..., T_q, d_v)
  return { scores, scaled, weights, output, mask: keep === null ? null : copy(keep), scale };
}

function selfAttend(x, wQ, wK, wV, keep) {
  const q = matmulBatched(x, wQ); // (..., T, d_model) x (d_model, d_head) -> (..., T, d_head)
  const k = matmulBatched(x, wK); // (..., T, d_head)
  const v = matmulBatched(x, wV); // (..., T, d_head)
  return { q, k, v, ...attend(q, k, v, keep, 1 / Math.sqrt(wQ[0].length)) };
}

// One row of attention_ref's _masked_softmax: the largest kept entry is subtracted first.
function softmaxRow(x, keep) {
  let max = -Infinity;
  x.forEach((xi, i) => {
    if (keep[i] && xi > max) max = xi;
  });
  if (!Number.isFinite(max)) max = 0; // a fully masked row
  const e = x.map((xi, i) => (keep[i] ? Math.exp(xi - max) : 0));
  const total = sum(e);
  return e.map((ei) => (total > 0 ? ei / total : 0));
}

function combineMask(mask, causal, target) {
  let keep = mask === undefined || mask === null ? null : checkMask("mask", mask, target);
  if (causal) {
    const tri = broadcastTo(tril(target.at(-2), target.at(-1)), target);
    keep = keep === null ? tri : zipLeaves(keep, tri, (a, b) => a && b);
  }
  return keep;
}

const tril = (tQ, tK) => range(tQ).map((i) => range(tK).map((j) => j <= i));

// (m, n) x (n, p) -> (m, p), the sum of products in index order.
const matmul2 = (a, b) => a.map((row) => b[0].map((_, j) => sum(row.map((aik, kk) => aik * b[kk][j]))));

function matmulBatched(a, b) {
  const aDims = dims(a);
  const bDims = dims(b);
  const batch = broadcastShapes([aDims.slice(0, -2), bDims.slice(0, -2)]);
  const aFull = broadcastTo(a, [...batch, ...aDims.slice(-2)]);
  const bFull = broadcastTo(b, [...batch, ...bDims.slice(-2)]);
  return zipAt(aFull, bFull, batch.length, matmul2);
}

// ------------------------------------------------------------------ nested-array plumbing

const isArray = (a) => Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView));
const range = (n) => Array.from({ length: n }, (_, i) => i);
const sum = (xs) => xs.reduce((s, x) => s + x, 0);
const dims = (x) => {
  const d = [];
  for (let a = x; isArray(a); a = a[0]) d.push(a.length);
  return d;
};
const rank = (x) => dims(x).length;

// f on every sub-array `depth` levels down (depth 0: on x itself).
const mapRows = (x, depth, f) => (depth === 0 ? f(x) : x.map((a) => mapRows(a, depth - 1, f)));
const zipAt = (x, y, depth, f) => (depth === 0 ? f(x, y) : x.map((a, i) => zipAt(a, y[i], depth - 1, f)));
const mapLeaves = (x, f) => (Array.isArray(x) ? x.map((a) => mapLeaves(a, f)) : f(x));
const zipLeaves = (x, y, f) => (Array.isArray(x) ? x.map((a, i) => zipLeaves(a, y[i], f)) : f(x, y));
// A fresh nested Array (typed-array rows become Arrays); the public functions copy their inputs.
const copy = (x) => (isArray(x) ? Array.from(x, copy) : x);

// (..., m, n) -> (..., n, m)
const swapLast = (x) => (rank(x) > 2 ? x.map(swapLast) : range(x[0].length).map((j) => x.map((row) => row[j])));

// Arrays of the same shape (..., rest) -> (..., n, rest), stacked at `depth`.
const stackAt = (xs, depth) => (depth === 0 ? xs : xs[0].map((_, i) => stackAt(xs.map((a) => a[i]), depth - 1)));

// Arrays (..., n_i) -> (..., sum n_i), side by side along the last axis.
const concatLast = (xs) => (Array.isArray(xs[0][0]) ? xs[0].map((_, i) => concatLast(xs.map((a) => a[i]))) : xs.flat());

// numpy's broadcast_shapes; null when the shapes do not broadcast.
function broadcastShapes(shapes) {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  const out = [];
  for (let d = 0; d < n; d++) {
    const sizes = shapes.map((s) => s[s.length - n + d] ?? 1).filter((size) => size !== 1);
    if (new Set(sizes).size > 1) return null;
    out.push(sizes.length ? sizes[0] : 1);
  }
  return out;
}

// numpy's broadcast_to (the shapes are known to broadcast); rows are shared, not copied.
function broadcastTo(x, target) {
  const from = dims(x);
  const lead = target.length - from.length;
  const go = (a, d) => {
    if (d === target.length) return a;
    if (d < lead) return range(target[d]).map(() => go(a, d + 1));
    const size = from[d - lead];
    return range(target[d]).map((i) => go(a[size === 1 ? 0 : i], d + 1));
  };
  return go(x, 0);
}

// --------------------------------------------------------------- the checks (the boundary)

// A shape as Python prints a tuple, so the messages read like attention_ref's: (3, 4), (5,), ().
const fmt = (s) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(", ")})`);
function describe(value) {
  if (value === null || value === undefined) return String(value);
  if (isArray(value)) return `an array of length ${value.length}`;
  return `${typeof value} ${typeof value === "string" ? JSON.stringify(value) : String(value)}`;
}
const at = (path) => path.map((i) => `[${i}]`).join("");

function checkRectangular(name, x, expected, path) {
  const depth = path.length;
  if (depth === expected.length) {
    if (isArray(x)) {
      throw new TypeError(
        `${name} must be a rectangular nested array; ${name}${at(path)} is an array where ` +
          `${name}${at(path.map(() => 0))} is not`,
      );
    }
    return;
  }
  if (!isArray(x)) {
    throw new TypeError(
      `${name} must be a rectangular nested array; ${name}${at(path)} is ${describe(x)} where ` +
        `${name}${at(path.map(() => 0))} is an array of length ${expected[depth]}`,
    );
  }
  if (x.length !== expected[depth]) {
    const row = (p) => (p.length === 1 ? `row ${p[0]}` : `row ${at(p)}`);
    const first = path.map(() => 0);
    throw new TypeError(
      `${name} must be a rectangular nested array; ${row(path)} has length ${x.length}, ` +
        `${row(first)} has ${expected[depth]}`,
    );
  }
  for (let i = 0; i < x.length; i++) checkRectangular(name, x[i], expected, [...path, i]);
}

// Returns the path of the first leaf failing `ok`, or null.
function findLeaf(x, ok, path = []) {
  if (!isArray(x)) return ok(x) ? null : path;
  for (let i = 0; i < x.length; i++) {
    const found = findLeaf(x[i], ok, [...path, i]);
    if (found) return found;
  }
  return null;
}
const leafAt = (x, path) => path.reduce((a, i) => a[i], x);
const anyLeaf = (x, test) => findLeaf(x, (a) => !test(a)) !== null;

function checkNumbers(name, x) {
  if (x === undefined || x === null || (typeof x !== "number" && !isArray(x))) {
    throw new TypeError(`${name} must be an array of numbers; got ${describe(x)}`);
  }
  const s = shape(x, name);
  const bad = findLeaf(x, (a) => typeof a === "number");
  if (bad) {
    throw new TypeError(
      `${name} must be an array of numbers; got ${describe(leafAt(x, bad))} at ${name}${at(bad)} ` +
        `(shape ${fmt(s)})`,
    );
  }
  return s;
}

// attention_ref's as_float_array: numbers, at least minRank axes, not empty, every entry finite.
function checkFloats(name, x, minRank) {
  const s = checkNumbers(name, x);
  if (s.length < minRank) throw new RangeError(`${name} must have at least ${minRank} dimension(s); got shape ${fmt(s)}`);
  if (s.includes(0)) throw new RangeError(`${name} must not be empty; got shape ${fmt(s)}`);
  if (anyLeaf(x, (a) => !Number.isFinite(a))) {
    const bad = anyLeaf(x, Number.isNaN) ? "NaN" : "inf";
    throw new RangeError(`${name} contains ${bad}; got shape ${fmt(s)} (every entry must be finite)`);
  }
  return s;
}

// attention_ref's softmax input: as checkFloats, but -Infinity is allowed (it means masked).
function checkScores(name, x) {
  const s = checkNumbers(name, x);
  if (s.length === 0 || s.includes(0)) {
    throw new RangeError(`${name} must be a non-empty array with at least one dimension; got shape ${fmt(s)}`);
  }
  if (anyLeaf(x, (a) => Number.isNaN(a) || a === Infinity)) {
    const bad = anyLeaf(x, Number.isNaN) ? "NaN" : "+inf";
    throw new RangeError(`${name} contains ${bad}; got shape ${fmt(s)} (only -Infinity is allowed, meaning 'masked')`);
  }
  return s;
}

// attention_ref's as_mask: booleans, broadcast to the scores' shape (a fresh array of that shape).
function checkMask(name, mask, target) {
  if (typeof mask !== "boolean" && !isArray(mask)) {
    throw new TypeError(`${name} must be a boolean nested array (true = may attend); got ${describe(mask)}`);
  }
  const s = shape(mask, name);
  const bad = findLeaf(mask, (a) => typeof a === "boolean");
  if (bad) {
    throw new TypeError(
      `${name} must be a boolean nested array (true = may attend); got ${describe(leafAt(mask, bad))} ` +
        `at ${name}${at(bad)} (shape ${fmt(s)})`,
    );
  }
  const fits = s.length <= target.length && s.every((size, d) => size === 1 || size === target[target.length - s.length + d]);
  if (!fits) throw new RangeError(`${name} with shape ${fmt(s)} does not broadcast to the scores' shape ${fmt(target)}`);
  return copy(broadcastTo(mask, target));
}

function checkBatch(shapesByName) {
  const names = Object.keys(shapesByName);
  const batch = broadcastShapes(Object.values(shapesByName).map((s) => s.slice(0, -2)));
  if (batch === null) {
    const got = names.map((n) => `${n} ${fmt(shapesByName[n])}`).join(", ");
    throw new RangeError(`the batch dimensions of ${names.join(", ")} do not broadcast; got ${got}`);
  }
  return batch;
}

function checkBool(name, value) {
  if (typeof value !== "boolean") throw new TypeError(`${name} must be a boolean; got ${describe(value)}`);
}

function checkPositiveInt(name, value) {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer; got ${describe(value)}`);
  }
  if (value <= 0) throw new RangeError(`${name} must be positive; got ${value}`);
  return value;
}

function checkPositive(name, value) {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number; got ${describe(value)}`);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive finite number; got ${value}`);
  return value;
}

function checkOptions(options, allowed) {
  if (options === null || typeof options !== "object" || isArray(options)) {
    throw new TypeError(`options must be an object {${allowed.join(", ")}}; got ${describe(options)}`);
  }
  const unknown = Object.keys(options).filter((key) => !allowed.includes(key));
  if (unknown.length) {
    throw new TypeError(`unknown option ${unknown.join(", ")}; the options are ${allowed.join(", ")}`);
  }
  return options;
}
