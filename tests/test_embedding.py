"""The numpy MiniLM gives the model's vectors (the shipped ones were made by torch) and needs no torch."""

import subprocess
import sys

import numpy as np

from knowledge.capabilities import VECTORS_FILE, entries
from knowledge.embedding import get_embedder
from knowledge.embedding_cache import VectorCache, library_texts
from knowledge.library import BUILTIN_DIR, Library


def _sample(texts, cache, n):
    held = [t for t in texts if t in cache]
    return held[:: max(1, len(held) // n)][:n]


def test_vectors_match_the_shipped_vectors_of_library_and_capability_texts():
    lib = Library.from_dirs([BUILTIN_DIR])
    emb = get_embedder()
    for texts, cache in ((library_texts(lib), VectorCache.load()),
                         (list(dict.fromkeys(e.description for e in entries(lib))), VectorCache.load(VECTORS_FILE))):
        sample = _sample(texts, cache, 24)
        assert len(sample) >= 12, "the shipped vector files hold too few current texts to compare"
        found, missing = cache.lookup(sample)
        assert not missing
        ours = emb.encode(sample)
        cos = np.array([float(found[i] @ ours[i]) for i in range(len(sample))])
        # int8 storage keeps cosine > 0.9999 to the model's own vector; a wrong layer or pooling gives < 0.99
        assert cos.min() > 0.9999, sample[int(cos.argmin())]


def test_padded_batches_give_each_texts_own_vector():
    emb = get_embedder()
    texts = ["led", "a long description of a logic-level n-channel MOSFET that switches a 12 V motor from a 3.3 V pin",
             "", "µA ±5 % 12 V→5 V", "x " * 400]
    batch = emb.encode(texts)
    one = np.stack([emb.encode_query(t) for t in texts])
    assert batch.shape == (5, 384)
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    assert np.allclose(batch, one, atol=1e-5)
    assert float(emb.encode_query("sonar range finder") @ emb.encode_query("ultrasonic distance sensor")) > 0.5


def test_embedding_a_query_imports_no_torch():
    code = ("import sys; from knowledge.embedding import get_embedder; get_embedder().encode_query('a buzzer'); "
            "import pipelines.design; "
            "bad = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]; "
            "sys.exit(f'imported {bad}' if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
