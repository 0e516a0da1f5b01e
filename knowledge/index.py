"""The persistent Chroma index of the component library.

One Chroma entry per searchable text of a part: its display name, its key, each alias, its
description, its typical use and each capability it provides (``provides``), embedded with the bundled all-MiniLM-L6-v2 (we pass our own
vectors; Chroma never embeds or downloads anything). The store is embedded
(``chromadb.PersistentClient`` under ``$CIRCUITSMITH_HOME/index``) unless ``CHROMA_HOST``
(and ``CHROMA_PORT``, default 8000) names a Chroma server.

The collection's metadata holds a content hash of the library (plus the model and the
document schema). ``PartIndex.ensure()`` compares it and, when the library changed, updates
the collection: texts already embedded keep their vectors, new or changed texts take their
vectors from the shipped cache (``knowledge.embedding_cache``: the built-in records' texts, so a
fresh index needs no model run) or are embedded (with a progress bar for anything that takes a
while), and stale entries are deleted.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from knowledge import index_snapshot, lazy_imports
from knowledge.documents import Doc, library_documents, part_documents
from knowledge.embedding import DIM, MODEL_NAME, EmbeddingError, get_embedder
from knowledge.embedding_cache import shipped
from knowledge.library import user_home

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.embedding import Embedder
    from knowledge.library import Library
    from knowledge.record import ComponentRecord

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

SCHEMA = 3  # bump when part_documents() (knowledge/documents.py) changes what is indexed (3: the text is in the metadata, not a document)
COLLECTION = os.environ.get("CIRCUITSMITH_CHROMA_COLLECTION", "circuitsmith_parts")
FIELDS = ("name", "key", "alias", "description", "use", "capability")
MEANING_FIELDS = ("description", "use", "capability")  # what a part does, not what it is called
# Chroma's HNSW graph serves only the optional ``semantic="chroma"`` search (the default ranks in numpy over
# every stored vector), yet building it is a large part of a fresh index's time (``make demo``'s first search),
# and it grows with the library: a smaller graph (8 neighbours, build beam 32; Chroma's defaults 16 and 100)
# builds in about three quarters of the time and, with the 120 hits that search asks for, still finds the same
# top hits over a few thousand texts (tests/test_retrieval.py compares both searches). An index built before
# keeps its own settings.
HNSW = {"space": "cosine", "ef_construction": 32, "max_neighbors": 8}


class RetrievalError(RuntimeError):
    """The index cannot be opened, built or searched; the message says what to check."""


def index_hash(library: "Library") -> str:
    """What the index was built from: the searchable texts, the model and the schema."""
    h = hashlib.sha256(f"{MODEL_NAME}|schema{SCHEMA}".encode())
    for d in library_documents(library):
        h.update(f"\x00{d.id}\x01{d.text}".encode())
    return h.hexdigest()[:20]


def index_dir() -> Path:
    return user_home() / "index"


def _settings():
    return lazy_imports.chromadb().config.Settings(anonymized_telemetry=False, allow_reset=False)


def client_from_env(path: Path | None = None):
    """A Chroma server client when ``CHROMA_HOST`` is set, else the embedded store at ``path``."""
    chromadb = lazy_imports.chromadb()
    host = os.environ.get("CHROMA_HOST")
    if host:
        port_text = os.environ.get("CHROMA_PORT", "8000")
        try:
            port = int(port_text)
        except ValueError:
            raise RetrievalError(f"CHROMA_PORT={port_text!r} is not a port number") from None
        try:
            client = chromadb.HttpClient(host=host, port=port, settings=_settings())
            client.heartbeat()
        except Exception as e:
            raise RetrievalError(
                f"cannot reach the Chroma server at {host}:{port} (CHROMA_HOST/CHROMA_PORT): {e}; "
                "start it or unset CHROMA_HOST to use the embedded index"
            ) from e
        return client
    path = Path(path) if path else index_dir()
    path.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(path), settings=_settings())
    except Exception as e:
        raise RetrievalError(f"cannot open the Chroma index at {path}: {e}") from e


@dataclass
class BuildReport:
    action: str  # "fresh", "updated", "built"
    embedded: int = 0  # texts new to the index
    from_cache: int = 0  # of those, how many had a shipped vector (the rest ran through the model)
    reused: int = 0
    deleted: int = 0


@dataclass
class PartIndex:
    """The library's Chroma collection plus an in-memory copy of its vectors for fast search."""

    library: "Library"
    client: object = None
    embedder_factory: object = None  # callable -> Embedder; lazy so a fresh index needs no model
    progress: bool = True
    path: Path | None = None
    collection_name: str = COLLECTION
    vector_cache: object = None  # a knowledge.embedding_cache.VectorCache; None = the shipped one, False = none
    # filled by ensure()
    ids: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, DIM), dtype=np.float32))
    report: BuildReport | None = None

    def __post_init__(self) -> None:
        # the embedded store is opened in ensure(), under the build lock (a Chroma server needs none)
        self._embedded = self.client is None and not os.environ.get("CHROMA_HOST")
        if self.client is None and not self._embedded:
            self.client = client_from_env(self.path)
        if self.embedder_factory is None:
            self.embedder_factory = get_embedder
        self._collection = None
        self._hash = ""

    # ---- build / update ---------------------------------------------------------------
    def _open_collection(self):
        try:
            return self.client.get_or_create_collection(
                self.collection_name,
                configuration={"hnsw": HNSW},
                embedding_function=None,
            )
        except Exception as e:
            raise RetrievalError(f"cannot open Chroma collection {self.collection_name!r}: {e}") from e

    def ensure(self) -> "PartIndex":
        """Bring the collection in line with the library (cheap when nothing changed).

        The embedded store is built under an exclusive file lock (concurrent first uses wait for
        the first to finish, then find it fresh); a store that cannot be read is only a cache of the
        library, so it is deleted and rebuilt, with a one-line notice on stderr."""
        if not self._embedded:
            return self._ensure_reported()
        folder = Path(self.path) if self.path else index_dir()
        with _build_lock(folder):
            if self.client is None and self._read_snapshot(folder):
                return self  # the rows of an unchanged store, kept when they were last read (no Chroma opened)
            try:
                if self.client is None:
                    self.client = client_from_env(folder)
                self._ensure_reported()
            except Exception as e:
                if isinstance(e, EmbeddingError):
                    raise
                why = " ".join(str(e).split())[:160]
                print(f"notice: the part index at {folder} could not be read ({why}); rebuilding it from the library",
                      file=sys.stderr)
                self._discard(folder)
                self.client = client_from_env(folder)
                self._ensure_reported()
            index_snapshot.write(folder, self._hash, self.ids, self.keys, self.fields, self.texts, self.matrix)
            return self

    def _read_snapshot(self, folder: Path) -> bool:
        """Fill the rows from the copy kept beside an unchanged store (``knowledge.index_snapshot``)."""
        self._hash = index_hash(self.library)
        rows = index_snapshot.read(folder, self._hash)
        if rows is None:
            return False
        self.ids, self.keys, self.fields, self.texts, self.matrix = rows
        self.report = BuildReport("fresh", reused=len(self.ids))
        return True

    def _discard(self, folder: Path) -> None:
        """Forget the damaged store: the client, Chroma's per-path cache and the folder."""
        self.client = None
        self._collection = None
        try:
            lazy_imports.chromadb().api.client.SharedSystemClient.clear_system_cache()
        except Exception:
            pass
        shutil.rmtree(folder, ignore_errors=True)

    def _ensure_reported(self) -> "PartIndex":
        try:
            return self._ensure()
        except RetrievalError:
            raise
        except Exception as e:  # a damaged store or a server that went away: say where and what to do

            if isinstance(e, EmbeddingError):
                raise
            where = f"the Chroma server {os.environ['CHROMA_HOST']}" if os.environ.get("CHROMA_HOST") else \
                f"the index folder {self.path or index_dir()}"
            raise RetrievalError(
                f"the part index in {where} could not be read or updated ({type(e).__name__}: {e}); "
                "it is only a cache of the library: delete it (or its collection) and it is rebuilt"
            ) from e

    def _ensure(self) -> "PartIndex":
        col = self._open_collection()
        want_hash = self._hash = index_hash(self.library)
        meta = dict(col.metadata or {})
        got = col.get(include=["embeddings", "metadatas"])
        have = {
            i: (_text(meta), emb)
            for i, meta, emb in zip(got["ids"], got["metadatas"] or [], _rows(got.get("embeddings")))
        }
        docs = library_documents(self.library)
        if meta.get("content_hash") == want_hash and len(have) == len(docs):
            self.report = BuildReport("fresh", reused=len(docs))
        else:
            self.report = self._update(col, docs, have, want_hash)
            got = col.get(include=["embeddings", "metadatas"])
        self._collection = col
        self._load(got)
        return self

    def _update(self, col, docs: list[Doc], have: dict, want_hash: str) -> BuildReport:
        wanted_ids = {d.id for d in docs}
        stale = [i for i in have if i not in wanted_ids]
        todo = [d for d in docs if d.id not in have or have[d.id][0] != d.text]
        reused = len(docs) - len(todo)
        if stale:
            col.delete(ids=stale)
        from_cache = 0
        if todo:
            vectors, from_cache = self._vectors([d.text for d in todo])
            for start in range(0, len(todo), 500):
                part = todo[start : start + 500]
                col.upsert(
                    ids=[d.id for d in part],
                    embeddings=vectors[start : start + len(part)],
                    # the text rides in the metadata, not as a Chroma document: a document is also put in
                    # Chroma's full-text index, which nothing here searches and which cost a third of a build
                    metadatas=[{"key": d.key, "field": d.field, "text": d.text} for d in part],
                )
        col.modify(metadata={"content_hash": want_hash, "model": MODEL_NAME, "schema": SCHEMA,
                             "parts": len(self.library)})
        action = "built" if reused == 0 else "updated"
        return BuildReport(action, embedded=len(todo), reused=reused, deleted=len(stale), from_cache=from_cache)

    def _vectors(self, texts: list[str]) -> tuple[np.ndarray, int]:
        """Vectors for new texts: shipped ones where the cache has them, the model for the rest."""
        cache = self.vector_cache
        if cache is None:
            cache = shipped()
        if cache is False:
            return self._embed(texts), 0
        found, missing = cache.lookup(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, v in found.items():
            out[i] = v
        if missing:
            out[missing] = self._embed([texts[i] for i in missing])
        return out, len(found)

    def _embed(self, texts: list[str]) -> np.ndarray:
        embedder: Embedder = self.embedder_factory()
        show = self.progress and len(texts) > 64 and sys.stderr.isatty()
        if not show:
            return embedder.encode(texts)
        with Progress(
            TextColumn("[bold]indexing parts"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("embed", total=len(texts))
            return embedder.encode(texts, on_batch=lambda n: bar.advance(task, n))

    def _load(self, got: dict) -> None:
        rows = _rows(got.get("embeddings"))
        order = sorted(range(len(got["ids"])), key=lambda i: got["ids"][i])
        self.ids = [got["ids"][i] for i in order]
        metas = got.get("metadatas") or [{}] * len(order)
        self.keys = [metas[i]["key"] for i in order]
        self.fields = [metas[i]["field"] for i in order]
        self.texts = [_text(metas[i]) for i in order]
        if order:
            m = np.asarray([rows[i] for i in order], dtype=np.float32)
            norms = np.linalg.norm(m, axis=1, keepdims=True)
            self.matrix = m / np.maximum(norms, 1e-12)
        else:
            self.matrix = np.zeros((0, DIM), dtype=np.float32)

    # ---- search -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ids)

    def similarities(self, vec: np.ndarray) -> np.ndarray:
        """Cosine of ``vec`` with every indexed text (numpy, over the vectors Chroma stores).

        einsum runs on the calling thread: a BLAS product would wake its thread pool, which on a
        small shared CPU costs more (and fights the model for cores) than this whole product."""
        return np.einsum("ij,j->i", self.matrix, vec.astype(np.float32))

    def chroma_query(self, vec: np.ndarray, n: int = 60) -> list[tuple[int, float]]:
        """The same search through Chroma's HNSW index: (row, cosine) pairs."""
        if not self.ids:
            return []
        if self._collection is None:  # the rows came from the kept copy: open the store now
            folder = Path(self.path) if self.path else index_dir()
            with _build_lock(folder):
                if self.client is None:
                    self.client = client_from_env(folder)
                self._collection = self._open_collection()
        res = self._collection.query(query_embeddings=[vec.tolist()], n_results=min(n, len(self.ids)),
                                     include=["distances"])
        pos = {i: r for r, i in enumerate(self.ids)}
        return [(pos[i], 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]


def _text(meta: dict | None) -> str:
    """The indexed text of one entry (kept in its metadata)."""
    return str((meta or {}).get("text", ""))


class _build_lock:
    """An exclusive flock beside the index folder, held while the store is opened and brought up to date."""

    def __init__(self, folder: Path, wait: float = 600.0):
        self.path = folder.parent / f".{folder.name}.lock"
        self.wait = wait
        self.fd: int | None = None

    def __enter__(self) -> "_build_lock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    raise RetrievalError(f"the part index is being built by another process ({self.path} is held "
                                         f"past {self.wait:g} s); try again when it has finished") from None
                time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def _rows(embeddings) -> list:
    if embeddings is None:
        return []
    return list(embeddings)


def reset_index(path: Path | None = None) -> None:
    """Delete the embedded index folder (it is rebuilt on next use)."""
    path = Path(path) if path else index_dir()
    if path.is_dir():
        shutil.rmtree(path)
