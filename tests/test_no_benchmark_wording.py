"""No benchmark wording in the code: a distinctive 4-word sequence of a shared benchmark prompt must
not appear in a source file under agents/, circuit/, knowledge/ or pipelines/ (code that passes a case
by its words does not generalise). A sequence is distinctive when at least two of its words are not
common English words."""

from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("agents", "circuit", "knowledge", "pipelines")
SUFFIXES = (".py", ".yaml", ".yml", ".json", ".txt")
COMMON = set("""a an the and or of to in on for with without from by at as is are be it its this that these those
i me my we our you your he she they them their what which who how when where why can could should would will
do does did make makes made use uses using used build create design wire wiring connect connected connecting
need needs want wants get gets set up into out over under via using also then than so if not no one two three
some any each every all more less very just like about show shows""".split())
WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def grams(text: str, n: int = 4):
    w = WORD.findall(text.lower())
    for i in range(len(w) - n + 1):
        g = w[i:i + n]
        if sum(x not in COMMON for x in g) >= 2:
            yield " ".join(g)


def _prompts(shared_dir: Path) -> list[str]:
    out = []
    for f in sorted((shared_dir / "datasets").glob("*prompts*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        items = data["prompts"] if isinstance(data, dict) else data
        out += [p["prompt"] if isinstance(p, dict) else str(p) for p in items]
    return out


def test_the_detector_finds_a_planted_phrase():
    wanted = set(grams("Blink a single LED using an Arduino Uno"))
    assert set(grams("# blink a single led using the board")) & wanted
    assert not set(grams("blink an led")) & wanted


def test_no_prompt_wording_in_the_source(shared_dir):
    prompts = _prompts(shared_dir)
    assert prompts, "no benchmark prompts found under the shared datasets"
    wanted: set[str] = set()
    for p in prompts:
        wanted.update(grams(p))
    found = []
    for folder in FOLDERS:
        for f in sorted((REPO / folder).rglob("*")):
            if f.suffix not in SUFFIXES or not f.is_file():
                continue
            for n, line in enumerate(f.read_text(errors="replace").splitlines(), 1):
                for g in sorted(set(grams(line)) & wanted):
                    found.append(f"{f.relative_to(REPO)}:{n}: {g}")
    assert not found, "benchmark wording in the source:\n" + "\n".join(found)
