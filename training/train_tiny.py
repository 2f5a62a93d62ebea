"""Train the site's tiny transformer to say what "it" refers to. One file, one sitting.

    python training/train_tiny.py                    # makes attention_ref/model/tiny.npz + manifest.json
    python training/train_tiny.py --steps=300        # any variable of the configuration below, overridden

The corpus comes from the `[corpus]` section of attention_ref/examples.toml
(attention_ref.corpus generates it): "the animal didn't cross the street because
it was too tired / wide" and its siblings, where only the words AFTER "it" say
whether "it" is the animal or the place.

The model (the numpy twin of `forward` is attention_ref/tiny_model.py):

- an encoder: no causal mask, since the clue comes after "it";
- token embeddings plus the fixed sinusoidal positions of attention_ref
  (`sinusoidal_positional_encoding`): no position parameters to learn, the
  same encoding the site explains, and defined for a sentence of any length a
  reader types;
- `n_layers` pre-norm blocks: x + attention(LN(x)), then x + MLP(LN(x)); the
  attention has no biases (Q = X W_Q, exactly attention_ref's
  `multi_head_attention`), the MLP is Linear -> ReLU -> Linear;
- the objective: from the final hidden state at the position of "it", a linear
  classifier over the corpus' nouns (animals and places) names the referent.
  A classifier over nouns, not a pointer over positions, because then the only
  way for the noun's identity to reach the "it" position is through attention:
  some head has to look from "it" at the right noun, which is what the site
  wants to show. (A pointer head would compare "it" with the nouns in its own
  bilinear score and could leave the attention heads unreadable.)

Reproducible: explicit seeds, `torch.use_deterministic_algorithms(True)`, a
fixed number of threads, CPU only; the weights file is written with fixed zip
timestamps, so the same command on the same machine gives the same bytes.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import platform
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from attention_ref import load_examples, sinusoidal_positional_encoding  # noqa: E402
from attention_ref.corpus import PAD, corpus_hash, generate_corpus, tokenize  # noqa: E402

# ----------------------------------------------------------------------------- configuration
# Every variable here can be overridden from the command line: --name=value.
seed = 5  # torch's seed: initial weights, batch order, head dropout (the cleanest head of 9 seeds; README)
n_layers = 2
n_heads = 2
d_model = 32
d_mlp = 128  # hidden width of each block's MLP
steps = 1500
batch_size = 64
learning_rate = 3e-3  # AdamW, linear warm-up then cosine decay to a tenth
warmup_steps = 100
weight_decay = 0.01
head_dropout = 0.25  # training only: each head's output is dropped with this probability (DropHead)
log_interval = 100  # a log line (train loss, held-out accuracy) every this many steps
n_threads = 1  # torch.set_num_threads; part of what makes a rerun bit for bit identical
examples = ""  # examples file with the [corpus] section; "" = the packaged attention_ref/examples.toml
out_dir = "attention_ref/model"  # relative to the repository root
# -----------------------------------------------------------------------------

CONFIG_KEYS = [k for k, v in dict(globals()).items() if not k.startswith("_") and isinstance(v, (int, float, str))]
CONFIG_KEYS = CONFIG_KEYS[CONFIG_KEYS.index("seed") :]
LN_EPS = 1e-5


def apply_overrides(argv: list[str]) -> None:
    """nanoGPT-style overrides: each argument is --name=value for a variable of the configuration."""
    for arg in argv:
        if not arg.startswith("--") or "=" not in arg:
            sys.exit(f"arguments are --name=value; got {arg!r} (names: {', '.join(CONFIG_KEYS)})")
        key, value = arg[2:].split("=", 1)
        if key not in CONFIG_KEYS:
            sys.exit(f"unknown configuration variable {key!r} (names: {', '.join(CONFIG_KEYS)})")
        old = globals()[key]
        new = value if isinstance(old, str) else ast.literal_eval(value)
        if type(new) is not type(old) and not (isinstance(old, float) and isinstance(new, int)):
            sys.exit(f"--{key} must be a {type(old).__name__}; got {value!r}")
        globals()[key] = type(old)(new)


# ----------------------------------------------------------------------------- the model


class Block(nn.Module):
    """One pre-norm transformer block: x + MHA(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, d_model: int, n_heads: int, d_mlp: int, head_dropout: float = 0.0):
        super().__init__()
        self.n_heads = n_heads
        self.head_dropout = head_dropout
        self.ln_1 = nn.LayerNorm(d_model, eps=LN_EPS)
        self.w_q = nn.Linear(d_model, d_model, bias=False)
        self.w_k = nn.Linear(d_model, d_model, bias=False)
        self.w_v = nn.Linear(d_model, d_model, bias=False)
        self.w_o = nn.Linear(d_model, d_model, bias=False)
        self.ln_2 = nn.LayerNorm(d_model, eps=LN_EPS)
        self.mlp_in = nn.Linear(d_model, d_mlp)
        self.mlp_out = nn.Linear(d_mlp, d_model)

    def attention(self, x: torch.Tensor, keep: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        B, T, C = x.size()  # batch size, sequence length, d_model
        hs = C // self.n_heads  # d_head
        q = self.w_q(x).view(B, T, self.n_heads, hs).transpose(1, 2)  # (B, nh, T, hs)
        k = self.w_k(x).view(B, T, self.n_heads, hs).transpose(1, 2)  # (B, nh, T, hs)
        v = self.w_v(x).view(B, T, self.n_heads, hs).transpose(1, 2)  # (B, nh, T, hs)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))  # (B, nh, T, hs) x (B, nh, hs, T) -> (B, nh, T, T)
        att = att.masked_fill(~keep, float("-inf"))  # padding keys get weight 0; no causal mask
        att = F.softmax(att, dim=-1)
        y = att @ v  # (B, nh, T, T) x (B, nh, T, hs) -> (B, nh, T, hs)
        if self.training and self.head_dropout > 0:  # drop whole heads, so each must do the job alone
            keep_head = torch.rand(B, self.n_heads, 1, 1) >= self.head_dropout  # (B, nh, 1, 1)
            y = y * keep_head / (1 - self.head_dropout)
        y = y.transpose(1, 2).reshape(B, T, C)  # the heads side by side
        return self.w_o(y), att

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        a, att = self.attention(self.ln_1(x), keep)
        x = x + a
        x = x + self.mlp_out(F.relu(self.mlp_in(self.ln_2(x))))
        return x, att


class TinyEncoder(nn.Module):
    """Token embedding + sinusoidal positions, `n_layers` blocks, final LayerNorm, a referent classifier."""

    def __init__(
        self, vocab_size: int, n_nouns: int, d_model: int, n_heads: int, n_layers: int, d_mlp: int, head_dropout=0.0
    ):
        super().__init__()
        self.d_model = d_model
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads, d_mlp, head_dropout) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model, eps=LN_EPS)
        self.head = nn.Linear(d_model, n_nouns)

    def forward(self, ids: torch.Tensor, query_pos: torch.Tensor, pad_id: int = 0):
        """ids (B, T) int, query_pos (B,) int -> logits (B, n_nouns), attention (n_layers, B, nh, T, T)."""
        B, T = ids.size()
        pe = torch.from_numpy(sinusoidal_positional_encoding(T, self.d_model))  # (T, d), float64, exact
        x = self.tok_emb(ids) + pe.to(self.tok_emb.weight.dtype)  # (B, T, d)
        keep = (ids != pad_id)[:, None, None, :]  # (B, 1, 1, T): True = a real word, may be attended to
        attentions = []
        for block in self.blocks:
            x, att = block(x, keep)
            attentions.append(att)
        x = self.ln_f(x)
        h_it = x[torch.arange(B), query_pos]  # (B, d): the final hidden state at "it"
        return self.head(h_it), torch.stack(attentions)


def n_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ----------------------------------------------------------------------------- weights <-> arrays
# Row-vector convention of attention_ref: Q = X W_Q, so W_Q = nn.Linear.weight.T.


def export_arrays(model: TinyEncoder) -> dict[str, np.ndarray]:
    """The model's parameters as float32 arrays named as in attention_ref/tiny_model.py."""
    f = lambda t: t.detach().cpu().numpy().astype(np.float32)  # noqa: E731
    arrays = {"tok_emb": f(model.tok_emb.weight)}  # (V, d)
    for i, b in enumerate(model.blocks):
        p = f"layers.{i}."
        arrays |= {
            p + "ln_1.weight": f(b.ln_1.weight),  # (d,)
            p + "ln_1.bias": f(b.ln_1.bias),  # (d,)
            p + "w_q": f(b.w_q.weight).T,  # (d, d)
            p + "w_k": f(b.w_k.weight).T,  # (d, d)
            p + "w_v": f(b.w_v.weight).T,  # (d, d)
            p + "w_o": f(b.w_o.weight).T,  # (d, d)
            p + "ln_2.weight": f(b.ln_2.weight),  # (d,)
            p + "ln_2.bias": f(b.ln_2.bias),  # (d,)
            p + "mlp.w_in": f(b.mlp_in.weight).T,  # (d, d_mlp)
            p + "mlp.b_in": f(b.mlp_in.bias),  # (d_mlp,)
            p + "mlp.w_out": f(b.mlp_out.weight).T,  # (d_mlp, d)
            p + "mlp.b_out": f(b.mlp_out.bias),  # (d,)
        }
    arrays |= {
        "ln_f.weight": f(model.ln_f.weight),  # (d,)
        "ln_f.bias": f(model.ln_f.bias),  # (d,)
        "head.w": f(model.head.weight).T,  # (d, n_nouns)
        "head.b": f(model.head.bias),  # (n_nouns,)
    }
    return {k: np.ascontiguousarray(v) for k, v in arrays.items()}


def model_from_arrays(arrays, n_heads: int, dtype=torch.float32) -> TinyEncoder:
    """A TinyEncoder holding the weights of a tiny.npz (the inverse of `export_arrays`)."""
    n_layers = len({k.split(".")[1] for k in arrays if k.startswith("layers.")})
    vocab_size, d = arrays["tok_emb"].shape
    n_nouns = arrays["head.b"].shape[0]
    d_mlp = arrays["layers.0.mlp.b_in"].shape[0]
    model = TinyEncoder(vocab_size, n_nouns, d, n_heads, n_layers, d_mlp)
    t = lambda name: torch.from_numpy(np.array(arrays[name], dtype=np.float64))  # noqa: E731
    with torch.no_grad():
        model.tok_emb.weight.copy_(t("tok_emb"))
        for i, b in enumerate(model.blocks):
            p = f"layers.{i}."
            for ln in ("ln_1", "ln_2"):
                getattr(b, ln).weight.copy_(t(p + ln + ".weight"))
                getattr(b, ln).bias.copy_(t(p + ln + ".bias"))
            for w in ("w_q", "w_k", "w_v", "w_o"):
                getattr(b, w).weight.copy_(t(p + w).T)
            b.mlp_in.weight.copy_(t(p + "mlp.w_in").T)
            b.mlp_in.bias.copy_(t(p + "mlp.b_in"))
            b.mlp_out.weight.copy_(t(p + "mlp.w_out").T)
            b.mlp_out.bias.copy_(t(p + "mlp.b_out"))
        model.ln_f.weight.copy_(t("ln_f.weight"))
        model.ln_f.bias.copy_(t("ln_f.bias"))
        model.head.weight.copy_(t("head.w").T)
        model.head.bias.copy_(t("head.b"))
    return model.to(dtype)


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez, but with fixed zip timestamps, so equal arrays give equal bytes."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for key, value in arrays.items():
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as member:
                np.lib.format.write_array(member, value, allow_pickle=False)
    tmp.replace(path)


# ----------------------------------------------------------------------------- data


def encode(sentences, vocabulary, nouns, query: str) -> dict[str, torch.Tensor]:
    """Token ids (N, T_max) padded with PAD, the position of `query` (N,), the referent's class (N,)."""
    index = {w: i for i, w in enumerate(vocabulary)}
    tokens = [tokenize(e.text) for e in sentences]
    t_max = max(len(t) for t in tokens)
    ids = torch.full((len(tokens), t_max), index[PAD], dtype=torch.long)
    for n, words in enumerate(tokens):
        ids[n, : len(words)] = torch.tensor([index[w] for w in words])
    query_pos = torch.tensor([words.index(query) for words in tokens])
    labels = torch.tensor([nouns.index(e.referent) for e in sentences])
    return {"ids": ids, "query_pos": query_pos, "labels": labels}


@torch.no_grad()
def evaluate(model: TinyEncoder, data: dict[str, torch.Tensor]) -> tuple[float, float, int]:
    """Mean cross-entropy, accuracy and number correct of the model on a whole encoded set."""
    model.eval()
    logits, _ = model(data["ids"], data["query_pos"])
    model.train()
    loss = F.cross_entropy(logits, data["labels"]).item()
    correct = int((logits.argmax(-1) == data["labels"]).sum())
    return loss, correct / len(data["labels"]), correct


@torch.no_grad()
def head_report(model: TinyEncoder, examples, data: dict[str, torch.Tensor]) -> dict:
    """Per head: mean attention from "it" to the referent and to the other noun, on each side, on `examples`.

    The reference head is the one whose weaker side is strongest: max over heads of
    min(mean weight on the referent when it is the animal, ... when it is the place).
    """
    model.eval()
    _, att = model(data["ids"], data["query_pos"])  # (n_layers, N, nh, T, T)
    model.train()
    n = torch.arange(len(examples))
    rows = att.permute(1, 0, 2, 3, 4)[n, :, :, data["query_pos"], :]  # (N, n_layers, nh, T): the row of "it"
    pos = {k: torch.tensor([tokenize(e.text).index(getattr(e, k)) for e in examples]) for k in ("animal", "place")}
    side = torch.tensor([e.side == "animal" for e in examples])
    heads = {}
    for layer in range(att.shape[0]):
        for h in range(att.shape[2]):
            to_animal, to_place = rows[n, layer, h, pos["animal"]], rows[n, layer, h, pos["place"]]  # (N,)
            heads[f"layer {layer} head {h}"] = {
                "animal_side": {"to_referent": to_animal[side].mean().item(), "to_other": to_place[side].mean().item()},
                "place_side": {
                    "to_referent": to_place[~side].mean().item(),
                    "to_other": to_animal[~side].mean().item(),
                },
            }
    best = max(heads, key=lambda k: min(heads[k]["animal_side"]["to_referent"], heads[k]["place_side"]["to_referent"]))
    layer, head = (int(w) for w in best.split()[1::2])
    return {"reference_head": {"layer": layer, "head": head}, "heads_on_heldout": heads}


def lr_at(step: int) -> float:
    if step < warmup_steps:
        return learning_rate * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / max(1, steps - warmup_steps)
    return learning_rate * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


# ----------------------------------------------------------------------------- training


def main(argv: list[str]) -> None:
    apply_overrides(argv)
    config = {k: globals()[k] for k in CONFIG_KEYS}
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(n_threads)

    corpus = generate_corpus(load_examples(examples or None))
    vocabulary, nouns, query = corpus.vocabulary, corpus.nouns, corpus.config.query
    train = encode(corpus.train, vocabulary, nouns, query)
    heldout = encode(corpus.heldout, vocabulary, nouns, query)

    model = TinyEncoder(len(vocabulary), len(nouns), d_model, n_heads, n_layers, d_mlp, head_dropout)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=weight_decay)
    batches = torch.Generator().manual_seed(seed)
    print(
        f"{n_parameters(model)} parameters; {len(corpus.train)} training sentences, "
        f"{len(corpus.heldout)} held-out ({len(corpus.heldout_pairs)} unseen animal-place pairs)"
    )

    log, running, start = [], 0.0, time.perf_counter()
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step)
        idx = torch.randint(len(train["labels"]), (batch_size,), generator=batches)  # get a batch
        logits, _ = model(train["ids"][idx], train["query_pos"][idx])  # forward
        loss = F.cross_entropy(logits, train["labels"][idx])  # loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()  # backward
        optimizer.step()  # step
        running += loss.item()
        if (step + 1) % log_interval == 0 or step + 1 == steps:  # log, with the held-out score
            n = (step % log_interval) + 1
            _, acc, _ = evaluate(model, heldout)
            elapsed = time.perf_counter() - start
            print(f"step {step + 1:5d}  loss {running / n:.4f}  held-out accuracy {acc:.2%}  {elapsed:5.1f} s")
            log.append({"step": step + 1, "train_loss": round(running / n, 6), "heldout_accuracy": acc})
            running = 0.0
    seconds = time.perf_counter() - start

    final_loss, train_acc, _ = evaluate(model, train)
    heldout_loss, heldout_acc, heldout_correct = evaluate(model, heldout)
    heads = head_report(model, corpus.heldout, heldout)
    out = ROOT / out_dir
    out.mkdir(parents=True, exist_ok=True)
    arrays = export_arrays(model)
    arrays["vocabulary"] = np.array(vocabulary)  # (V,) str; index = token id; 0 is PAD
    arrays["nouns"] = np.array(nouns)  # (n_nouns,) str; the classes of head.w's columns
    save_npz(out / "tiny.npz", arrays)
    manifest = {
        "what": "A tiny transformer encoder that names the referent of 'it'; see training/README.md.",
        "command": " ".join(["python", "training/train_tiny.py", *argv]),
        "seed": seed,
        "config": config,
        "model": {
            "n_layers": n_layers,
            "n_heads": n_heads,
            "d_model": d_model,
            "d_head": d_model // n_heads,
            "d_mlp": d_mlp,
            "vocab_size": len(vocabulary),
            "n_nouns": len(nouns),
            "positions": "sinusoidal (attention_ref.sinusoidal_positional_encoding, base 10000), added to tok_emb",
            "norm": "pre-norm LayerNorm; a final LayerNorm before the head",
            "layer_norm_eps": LN_EPS,
            "mlp": "Linear(d_model, d_mlp) -> ReLU -> Linear(d_mlp, d_model)",
            "attention": "no causal mask, no biases; Q = X W_Q (row vectors)",
            "objective": "cross-entropy of head(LN_f(h[it])) over the nouns",
            "head_dropout": f"{head_dropout} during training only (whole heads dropped at random, DropHead)",
            "query": query,
        },
        "n_parameters": n_parameters(model),
        "vocabulary": list(vocabulary),
        "nouns": list(nouns),
        "corpus": {
            "examples_file": str(Path(examples).resolve()) if examples else "attention_ref/examples.toml",
            "sha256": corpus_hash(corpus.train),
            "heldout_sha256": corpus_hash(corpus.heldout),
            "n_train": len(corpus.train),
            "n_heldout": len(corpus.heldout),
            "heldout_pairs": [list(p) for p in corpus.heldout_pairs],
        },
        "results": {
            "final_loss": round(final_loss, 6),
            "train_accuracy": train_acc,
            "heldout_loss": round(heldout_loss, 6),
            "heldout_accuracy": heldout_acc,
            "heldout_correct": heldout_correct,
            "steps": steps,
            "training_seconds": round(seconds, 1),
            "log": log,
        },
        "reference_head": heads["reference_head"],
        "reference_head_rule": (
            "the head whose attention from 'it' to the referent, averaged over the held-out sentences, "
            "is highest on its weaker side (animal referents vs place referents)"
        ),
        "heads_on_heldout": heads["heads_on_heldout"],
        "versions": {
            "torch": torch.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "machine": platform.machine(),
        },
        "weights_file": "tiny.npz",
        "weights_sha256": hashlib.sha256((out / "tiny.npz").read_bytes()).hexdigest(),
        "reproducibility": (
            "Rerunning the command on the same machine (same torch, numpy, CPU, n_threads) reproduces tiny.npz "
            "bit for bit (same weights_sha256; measured by training twice). Other CPUs may round differently."
        ),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(
        f"final loss {final_loss:.4f}, train accuracy {train_acc:.2%}, held-out accuracy {heldout_acc:.2%} "
        f"({heldout_correct}/{len(corpus.heldout)}), {seconds:.1f} s; wrote {out / 'tiny.npz'} and manifest.json"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
