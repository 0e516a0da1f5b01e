"""Shipped vectors of the library's texts, so that a fresh index needs (almost) no model run.

Embedding the ~1,800 texts of the built-in library takes 40-80 s on a small shared CPU, and
every fresh ``$CIRCUITSMITH_HOME`` (a new install, each test session) would pay it. This module
keeps those vectors in ``knowledge/part_vectors.npz`` (about 0.7 MB), keyed by a hash of the
model name and the exact text:

- a text that changed, or a vector from another model, simply has no entry: it is embedded by
  the model as before, so a stale file costs time, never accuracy;
- vectors are stored as int8 with one scale per vector (cosine to the model's own vector above
  0.9999) and renormalised on load;
- a file that is missing, unreadable or of another shape is ignored (empty cache), never an error.

Refresh it after the library's texts change (``benchmarks/calibrate_ood.py`` does this first):

    .venv/bin/python -m knowledge.embedding_cache          # re-embed what changed, drop the rest
    .venv/bin/python -m knowledge.embedding_cache --check  # coverage of the current library only
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from knowledge.documents import library_documents
from knowledge.embedding import DIM, MODEL_NAME, get_embedder
from knowledge.library import BUILTIN_DIR, Library

CACHE_FILE = Path(__file__).resolve().parent / "part_vectors.npz"
FORMAT = 1


def text_key(text: str, model: str = MODEL_NAME) -> int:
    """The cache key of one text for one model (64 bits of SHA-256)."""
    digest = hashlib.sha256(f"{model}\x00{text}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little")


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors -> (int8 codes, float32 scale per row)."""
    v = np.asarray(vectors, dtype=np.float32)
    scale = np.abs(v).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    codes = np.clip(np.rint(v / scale[:, None]), -127, 127).astype(np.int8)
    return codes, scale.astype(np.float32)


def dequantize(codes: np.ndarray, scale: np.ndarray) -> np.ndarray:
    v = codes.astype(np.float32) * scale[:, None]
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


@dataclass
class VectorCache:
    """Text vectors by ``text_key``; ``lookup`` gives the vectors it has and the texts it lacks."""

    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    codes: np.ndarray = field(default_factory=lambda: np.zeros((0, DIM), dtype=np.int8))
    scale: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    model: str = MODEL_NAME

    def __post_init__(self) -> None:
        self._row = {int(k): i for i, k in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, text: str) -> bool:
        return text_key(text, self.model) in self._row

    def lookup(self, texts: Sequence[str]) -> tuple[dict[int, np.ndarray], list[int]]:
        """({position: unit vector} for the texts it holds, [positions it lacks])."""
        found: dict[int, np.ndarray] = {}
        missing: list[int] = []
        rows, where = [], []
        for i, t in enumerate(texts):
            r = self._row.get(text_key(t, self.model))
            if r is None:
                missing.append(i)
            else:
                rows.append(r)
                where.append(i)
        if rows:
            vecs = dequantize(self.codes[rows], self.scale[rows])
            found = {i: vecs[j] for j, i in enumerate(where)}
        return found, missing

    # ---- file ------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | None = None) -> "VectorCache":
        """The cache in ``path`` (default the shipped file); empty when it is absent or unusable."""
        path = Path(path) if path else CACHE_FILE
        try:
            with np.load(path, allow_pickle=False) as data:
                model = str(data["model"])
                fmt = int(data["format"])
                keys, codes, scale = data["keys"], data["codes"], data["scale"]
        except Exception:  # absent, truncated, not an npz, other keys: an empty cache, never an error
            return cls()
        ok = (fmt == FORMAT and model == MODEL_NAME and codes.ndim == 2 and codes.shape[1] == DIM
              and codes.dtype == np.int8 and len(keys) == len(codes) == len(scale))
        if not ok:
            return cls()
        return cls(keys.astype(np.uint64), codes, scale.astype(np.float32), model)

    def save(self, path: Path | None = None) -> Path:
        path = Path(path) if path else CACHE_FILE
        order = np.argsort(self.keys, kind="stable")  # stable bytes for the same content
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, format=np.int64(FORMAT), model=np.str_(self.model),
                            keys=self.keys[order], codes=self.codes[order], scale=self.scale[order])
        tmp.replace(path)
        return path

    @classmethod
    def from_vectors(cls, texts: Sequence[str], vectors: np.ndarray) -> "VectorCache":
        keys = np.asarray([text_key(t) for t in texts], dtype=np.uint64)
        codes, scale = quantize(vectors)
        return cls(keys, codes, scale)


_shipped: VectorCache | None = None


def save_embedded(texts: Sequence[str], path: Path) -> int:
    """Embed the distinct texts with the model and save them as a shipped vector file; how many were saved."""
    unique = list(dict.fromkeys(texts))
    VectorCache.from_vectors(unique, get_embedder().encode(unique)).save(path)
    return len(unique)


def refresh_command(argv: list[str] | None, *, prog: str, what: str, refresh, default: Path) -> int:
    """The command line of a module that re-embeds its own texts (`refresh(path=...)` returns how many)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ap = argparse.ArgumentParser(prog=prog, description=f"Refresh the shipped vectors of {what}.")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    print(f"{refresh(path=args.out)} {what} -> {args.out or default}")
    return 0


def shipped() -> VectorCache:
    """The shipped cache, read once per process."""
    global _shipped
    if _shipped is None:
        _shipped = VectorCache.load()
    return _shipped


def library_texts(library: Library) -> list[str]:
    return list(dict.fromkeys(d.text for d in library_documents(library)))


@dataclass
class RefreshReport:
    texts: int
    kept: int
    embedded: int
    dropped: int
    path: Path


def refresh(library: Library | None = None, path: Path | None = None, embedder=None) -> RefreshReport:
    """Make the cache hold exactly the texts of ``library`` (default: the built-in records only):
    vectors it has are kept, missing ones embedded with the model, unused ones dropped."""
    global _shipped
    library = library if library is not None else Library.from_dirs([BUILTIN_DIR])
    path = Path(path) if path else CACHE_FILE
    old = VectorCache.load(path)
    texts = library_texts(library)
    keys = np.asarray([text_key(t) for t in texts], dtype=np.uint64)
    codes = np.zeros((len(texts), DIM), dtype=np.int8)
    scale = np.zeros(len(texts), dtype=np.float32)
    todo = []
    for i, k in enumerate(keys):
        r = old._row.get(int(k))
        if r is None:
            todo.append(i)
        else:
            codes[i], scale[i] = old.codes[r], old.scale[r]
    if todo:
        if embedder is None:
            embedder = get_embedder()
        c, s = quantize(embedder.encode([texts[i] for i in todo]))
        codes[todo], scale[todo] = c, s
    new = VectorCache(keys, codes, scale)
    new.save(path)
    if path == CACHE_FILE:
        _shipped = None
    return RefreshReport(len(texts), len(texts) - len(todo), len(todo), len(old) - (len(texts) - len(todo)), path)


def coverage(library: Library, cache: VectorCache | None = None) -> tuple[int, int]:
    """(texts the cache holds, texts of the library)."""
    cache = cache if cache is not None else shipped()
    texts = library_texts(library)
    return sum(1 for t in texts if t in cache), len(texts)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ap = argparse.ArgumentParser(prog="python -m knowledge.embedding_cache",
                                 description="Refresh the shipped vectors of the built-in library's texts.")
    ap.add_argument("--check", action="store_true", help="only report how many current texts the file covers")
    ap.add_argument("--out", type=Path, default=None, help=f"where to write (default {CACHE_FILE})")
    args = ap.parse_args(argv)

    lib = Library.from_dirs([BUILTIN_DIR])
    if args.check:
        have, n = coverage(lib, VectorCache.load(args.out))
        print(f"shipped vectors cover {have}/{n} texts of the built-in library")
        return 0 if have == n else 1
    rep = refresh(lib, args.out)
    size = rep.path.stat().st_size / 1024
    print(f"{rep.texts} texts: {rep.kept} kept, {rep.embedded} embedded, {rep.dropped} dropped -> {rep.path} ({size:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
