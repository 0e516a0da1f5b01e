"""The generalisation benchmark's files and its expectation checker (benchmarks/expectations.py)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from benchmarks.expectations import BenchFileError, Request, evaluate, load_bench, parse_alternatives, wired_counts

ISSUE_EXAMPLES = [
    "text me when my front door opens",
    "control a 12V DC motor's speed and direction from an arduino nano with a potentiometer",
    "night light: an LDR turns on a few white leds when it gets dark, no microcontroller",
    "12v to 5v buck converter powering a raspberry pi pico and a 30 led ws2812b strip",
    "bluetooth car: hc-05, l298n, two dc motors, arduino uno and 2x 18650 cells",
    "12v pc fan speed control from an uno through a mosfet plus a ds18b20",
]


@pytest.fixture(scope="module")
def bench(library):
    return load_bench(library)


def test_files_are_consistent_and_cover_the_sheet(bench):
    reqs = bench.requests
    assert len(reqs) >= 150
    cats = Counter(r.cat for r in reqs)
    styles = Counter(r.style for r in reqs)
    assert set(cats) == set(bench.sheet.categories), "every category of the sheet has requests"
    assert set(styles) == set(bench.sheet.styles), "every phrasing style of the sheet is used"
    assert min(cats.values()) >= 8 and min(styles.values()) >= 10
    texts = [r.request for r in reqs]
    for example in ISSUE_EXAMPLES:
        assert example in texts
    assert len(set(t.lower() for t in texts)) == len(texts), "no request twice"
    # every axis of the sheet is exercised by at least two values
    for axis, values in bench.sheet.axes.items():
        used = {r.cells[axis] for r in reqs if axis in r.cells}
        assert len(used) >= 2, axis


def test_no_development_prompt_wording(bench, shared_dir):
    """Requests are written from the sheet, not from the CircuitLM development prompts."""
    word = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
    common = set("a an the and or of to in on for with from by at as is it my i me an be that this".split())

    def grams(text):
        w = word.findall(text.lower())
        return {" ".join(w[i:i + 5]) for i in range(len(w) - 4) if sum(x not in common for x in w[i:i + 5]) >= 3}

    data = json.loads((shared_dir / "datasets" / "circuitlm_prompts_dev.json").read_text(encoding="utf-8"))
    dev = set().union(*(grams(p["prompt"] if isinstance(p, dict) else str(p)) for p in data["prompts"]))
    copied = {r.id: grams(r.request) & dev for r in bench.requests}
    assert not {k: v for k, v in copied.items() if v}


def test_unknown_keys_and_groups_are_refused(library, tmp_path, bench):
    bad = tmp_path / "requests.yaml"
    bad.write_text('requests:\n- {id: x, cat: power, style: terse, request: "a thing", need: [no-such-part]}\n')
    with pytest.raises(BenchFileError, match="no-such-part"):
        load_bench(library, requests=bad)
    bad.write_text('requests:\n- {id: x, cat: power, style: terse, request: "a thing", need: ["@nogroup"]}\n')
    with pytest.raises(BenchFileError, match="nogroup"):
        load_bench(library, requests=bad)
    bad.write_text('requests:\n- {id: x, cat: power, style: terse, request: "a thing"}\n')
    with pytest.raises(BenchFileError, match="no expectation"):
        load_bench(library, requests=bad)
    assert parse_alternatives("ws2812b x30|@led") == [("ws2812b", 30), ("@led", 1)]


def _doc(parts, wires):
    return {"version": 1, "parts": [{"id": i, "type": t, "attrs": a} for i, t, a in parts],
            "connections": [[a, b, "green", []] for a, b in wires]}


def test_expectations_read_the_wired_design(bench):
    req = Request(id="t", cat="power", style="counts", request="a strip on a pico", board="raspberry-pi-pico",
                  need=["ws2812b x30", "@buck", "@led x2"], forbid=["@wall"])
    strip = _doc(
        [("U1", "raspberry-pi-pico", {}), ("LED1", "ws2812b", {"count": 30}), ("PS1", "lm2596-buck-converter", {}),
         ("D1", "led-red", {}), ("D2", "led", {"color": "white"}), ("BT1", "power-supply-5v", {})],
        [("U1:GP2", "LED1:DIN"), ("PS1:OUT+", "LED1:5V"), ("D1:A", "U1:GP3"), ("D2:A", "U1:GP4")])
    assert wired_counts(strip) == {"raspberry-pi-pico": 1, "ws2812b": 30, "lm2596-buck-converter": 1,
                                   "led-red": 1, "led": 1}
    out = evaluate(req, bench.terms, strip)
    assert out.ok, out.unmet  # the unwired wall supply does not count

    one_pixel = _doc([("U1", "raspberry-pi-pico", {}), ("LED1", "ws2812b", {}), ("U2", "arduino-uno", {}),
                      ("PS1", "power-supply-5v", {})],
                     [("U1:GP2", "LED1:DIN"), ("U2:5V", "LED1:5V"), ("PS1:+", "U2:VIN")])
    out = evaluate(req, bench.terms, one_pixel)
    text = " ".join(out.unmet)
    assert "ws2812b 1/30" in text and "@buck 0/1" in text and "@led 0/2" in text
    assert "forbid @wall: has power-supply-5v" in text
    assert "the design's controllers are arduino-uno, raspberry-pi-pico" in text
    assert not evaluate(req, bench.terms, None, stopped="unknown part").ok


def test_stop_cases_need_near_misses_of_the_same_kind(bench):
    req = next(r for r in bench.requests if r.id == "ool-01")
    assert evaluate(req, bench.terms, None, stopped="not in library", near_misses=["ds18b20", "max6675x"]).ok
    out = evaluate(req, bench.terms, None, stopped="not in library", near_misses=["max30102", "lm35"])
    assert not out.ok and "max30102" in " ".join(out.unmet)
    assert not evaluate(req, bench.terms, _doc([("U1", "arduino-uno", {})], [])).ok  # went ahead: wrong


def test_refuse_cases_must_fail_naming_the_rating(bench):
    req = next(r for r in bench.requests if r.refuse)
    circuit = _doc([("U1", "arduino-uno", {})], [])
    rating = {"rule": "REQ-RATING-INPUT", "severity": "Major", "message": "rated for at most 40 V"}
    other = {"rule": "REQ-FUNCTION-MISSING", "severity": "Major", "message": "m"}
    assert evaluate(req, bench.terms, circuit, passed=False, findings=[other, rating]).ok
    assert not evaluate(req, bench.terms, circuit, passed=True, findings=[]).ok  # PASS: wrong
    out = evaluate(req, bench.terms, circuit, passed=False, findings=[other])  # failed, but not for the rating
    assert not out.ok and "REQ-FUNCTION-MISSING" in " ".join(out.unmet)
    assert not evaluate(req, bench.terms, circuit, passed=False, findings=[{**rating, "severity": "Minor"}]).ok
    with pytest.raises(BenchFileError):  # a refuse case names nothing it needs
        load_bench_from([Request(id="x", cat="power", style="terse", request="abc", refuse=True, need=["led"])],
                        bench)


def load_bench_from(requests, bench):
    from benchmarks.expectations import Bench

    Bench(sheet=bench.sheet, requests=requests, terms=bench.terms).validate()


def test_design_bench_runs_the_requests(capsys):
    from benchmarks.design_bench import main

    assert main(["--requests", "--only", "analog-02", "board-05"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("request_bench[rules] n=2 ") and "pass_unmet=" in line and "analog=" in line
    assert re.search(r" lint=\d/\d", line)   # the schematic lint ran over the drawn designs
