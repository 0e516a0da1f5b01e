"""No benchmark wording in the part records.

Retrieval and the understanding layer match requests against what a record says a part does (its
description, typical use and capability descriptions). A record text that repeats a benchmark
sentence scores that benchmark case by its words, not by the part's meaning, and inflates the
retrieval and request benchmarks. Record texts are datasheet-style statements of what the part does.

Two rules, both on the free-text fields only (description, typical_use, provides[].description;
never key, name, aliases or part numbers, which are meant to match what people type):

1. Shared run: a record text fails when it shares a run of 5 consecutive words with any benchmark
   text (retrieval queries, requests.yaml, design_requests_extra.json and the shared CircuitLM dev
   prompts) and at least 3 of those 5 words are distinctive. A distinctive word has a letter, is at
   least 3 characters long and is not a common English word (COMMON), so numbers and unit letters
   ("5 v", "3.3") never count. Calibration: 4-word runs flag ordinary technical phrases that any
   datasheet uses ("step-down buck converter module", "a 5 v supply"); 5 words with 3 distinctive
   ones keep those out and still catch a copied clause ("weigh things with a load cell").
2. User voice: a record text must not speak in the first person ("text me", "my phone", "I'd"):
   that is how requests are written, not datasheets. Second person ("flat face toward you") is a
   datasheet's instruction and allowed; "us" is left out because it is also microseconds.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CIRCUITSMITH_SHARED", REPO.parent / "shared"))
RUN = 5
DISTINCT = 3
COMMON = set("""a an the and or of to in on off for with without from by at as is are be been being it its this
that these those i me my we our you your he she they them their what which who how when where why can could
should would will do does did make makes made use uses using used build create design wire wiring connect
connected connecting need needs want wants get gets set up into out over under via also then than so if not
no one two three some any each every all more less very just like about show shows has have there here only
while""".split())
WORD = re.compile(r"[a-z0-9]+(?:[-'.][a-z0-9]+)*")
FIRST_PERSON = re.compile(r"(?<![\w./-])(?:[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Ww]e|[Oo]urs?|I|I'd|I'm|I've|I'll|[Ww]e're)(?![\w./-])")


def _load_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def distinctive(word: str) -> bool:
    return len(word) >= 3 and word not in COMMON and any(c.isalpha() for c in word)


def runs(text: str) -> set[str]:
    """The distinctive runs of RUN consecutive words in a text."""
    w = words(text)
    return {" ".join(w[i:i + RUN]) for i in range(len(w) - RUN + 1)
            if sum(map(distinctive, w[i:i + RUN])) >= DISTINCT}


def benchmark_texts() -> list[tuple[str, str]]:
    """(source, text) for every benchmark sentence: the repository's sets and, where present, the shared prompts."""
    out = []
    for line in (REPO / "benchmarks/retrieval_queries.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("{"):
            out.append(("retrieval_queries.jsonl", json.loads(line)["q"]))
    requests = _load_yaml(REPO / "benchmarks/requests/requests.yaml")["requests"]
    out += [("requests.yaml", r["request"]) for r in requests]
    extra = json.loads((REPO / "benchmarks/design_requests_extra.json").read_text(encoding="utf-8"))
    out += [("design_requests_extra.json", p["prompt"]) for p in extra["prompts"]]
    for f in sorted((SHARED / "datasets").glob("*prompts*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        items = data["prompts"] if isinstance(data, dict) else data
        out += [(f.name, p["prompt"] if isinstance(p, dict) else str(p)) for p in items]
    return out


def record_texts() -> list[tuple[str, str, str]]:
    """(file, field, text) for the free-text fields of every part record."""
    out = []
    for f in sorted((REPO / "knowledge/parts").glob("*.yaml")):
        data = _load_yaml(f) or {}
        for field in ("description", "typical_use"):
            if data.get(field):
                out.append((f.name, field, str(data[field])))
        for cap in data.get("provides") or []:
            if cap.get("description"):
                out.append((f.name, f"provides[{cap.get('capability')}]", str(cap["description"])))
    return out


def test_the_rule_is_calibrated():
    bench = runs("I want to weigh things with a load cell and show it on a screen")
    assert runs("weigh things with a load cell scale") & bench
    # ordinary technical phrases and numbers-with-units are not distinctive runs
    assert not runs("step-down buck converter module")
    assert not runs("a 5 v supply for a 3.3 v rail") & runs("run it from a 5 v supply for a 3.3 v rail")
    assert FIRST_PERSON.search("text me an SMS alert on my phone")
    assert not FIRST_PERSON.search("E-B-C with the flat face toward you; 10 us pulse; i.MX RT1062; 868 MHz (US)")


def test_record_texts_do_not_repeat_benchmark_wording():
    bench: dict[str, str] = {}
    texts = benchmark_texts()
    assert len(texts) > 1000, "benchmark texts not found"
    for source, text in texts:
        for run in runs(text):
            bench.setdefault(run, source)
    records = record_texts()
    assert len(records) > 400, "part records not found"
    found = []
    for name, field, text in records:
        for run in sorted(runs(text) & bench.keys()):
            found.append(f"knowledge/parts/{name} {field}: '{run}' (as in {bench[run]})")
    assert not found, "record texts repeat benchmark wording:\n" + "\n".join(found)


def test_record_texts_are_not_in_the_users_voice():
    found = [f"knowledge/parts/{name} {field}: {m.group(0)!r} in {text[:80]!r}"
             for name, field, text in record_texts() for m in [FIRST_PERSON.search(text)] if m]
    assert not found, "record texts in the first person:\n" + "\n".join(found)
