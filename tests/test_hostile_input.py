"""Hostile input at the edge: every rejection is one line naming the field and the limit, exit 2,
within 5 s; non-finite values never reach the netlister; a gate that could not run fails closed;
no traceback and no terminal control sequence reaches the user.

Inputs are generated here, never stored."""

from __future__ import annotations

import json
import os
import time

import pytest

from pipelines.cli import EXIT_INTERNAL, main

UNO_SHORT = {
    "version": 1, "title": "10 ohm across 5V",
    "parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "R1", "type": "resistor", "attrs": {"value": "10"}}],
    "connections": [["R1:1", "U1:5V", "red", []], ["R1:2", "U1:GND.1", "black", []]],
}


@pytest.fixture(autouse=True, scope="module")
def _warm(library):
    """Load the library and the gates once: the 5 s bound is for answering, not for starting up."""
    import circuit.gates  # noqa: F401
    import circuit.spice_gate  # noqa: F401


def _cli(capsys, *argv, limit=5.0):
    t0 = time.monotonic()
    rc = main(list(argv))
    took = time.monotonic() - t0
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert took < limit, f"{argv} took {took:.1f} s"
    return rc, out.out, out.err


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


# ---- the edge: limits, each a one-line exit-2 rejection naming the field ------------------------
HOSTILE = {
    "deep-nesting": lambda: '{"parts": ' + "[" * 5000 + "]" * 5000 + "}",
    "5000-digit-int": lambda: '{"version": ' + "9" * 5000 + ', "parts": []}',
    "400-digit-int-attr": lambda: json.dumps({"parts": [{"id": "R1", "type": "resistor"}]}).replace(
        '"resistor"}', '"resistor", "attrs": {"value": ' + "1" * 400 + "}}"),
    "1MB-part-type": lambda: json.dumps({"parts": [{"id": "U1", "type": "x" * 1_000_000}]}),
    "300-char-key": lambda: json.dumps({"parts": [{"id": "U1", "type": "led", "attrs": {"k" * 300: 1}}]}),
    "too-many-parts": lambda: json.dumps({"parts": [{"id": f"R{i}", "type": "resistor"} for i in range(20_001)]}),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_edge_rejects_with_one_line_naming_field(case, tmp_path, capsys):
    path = _write(tmp_path, f"{case}.json", HOSTILE[case]())
    rc, out, err = _cli(capsys, "check", path)
    assert rc == 2
    line = err.strip()
    assert "\n" not in line and "limit" in line, line
    assert "parts" in line or "version" in line or "document" in line, line


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "folder"])
def test_only_regular_files_are_read(special, tmp_path, capsys):
    if special == "fifo":
        path = str(tmp_path / "pipe.json")
        os.mkfifo(path)
    elif special == "folder":
        path = str(tmp_path)
    else:
        path = special
    rc, _, err = _cli(capsys, "check", path)
    assert rc == 2 and "only regular files" in err


def test_oversized_file_is_refused_before_reading(tmp_path, capsys):
    path = tmp_path / "big.json"
    with open(path, "wb") as fh:  # sparse: 9 MB on paper, nothing on disk
        fh.truncate(9 * 1024 * 1024)
    rc, _, err = _cli(capsys, "check", str(path))
    assert rc == 2 and "bytes; the limit is" in err


def test_empty_document_is_an_error_not_a_pass(tmp_path, capsys):
    for text in ("{}", '{"parts": [], "connections": []}'):
        rc, _, err = _cli(capsys, "check", _write(tmp_path, "empty.json", text))
        assert rc == 2 and "no parts" in err


# ---- gates fail closed ------------------------------------------------------------------------
def test_infinite_value_is_a_finding_and_cannot_hide_a_failure(tmp_path, capsys):
    doc = json.loads(json.dumps(UNO_SHORT))
    doc["parts"].append({"id": "R2", "type": "resistor", "attrs": {"value": "1e400"}})
    rc, out, _ = _cli(capsys, "check", _write(tmp_path, "inf.json", json.dumps(doc)), "--json", limit=30)
    report = json.loads(out)
    assert rc == 1 and report["pass"] is False
    rules = {f["rule"]: f for f in report["findings"]}
    # the short is still found: the bad value never reached the netlister (on a machine so loaded that the
    # simulation runs past its limit, the gate still fails closed, never open)
    assert "SPICE-RESISTOR-POWER" in rules or "SPICE-NO-CONVERGENCE" in rules, sorted(rules)
    assert "R2" in rules["SCHEMA-VALUE"]["message"] and "'value'" in rules["SCHEMA-VALUE"]["message"]
    assert not any(r in rules for r in ("SPICE-NOT-RUN", "SPICE-GATE-ERROR"))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "NaN", "-inf", "1e300", "4e-300"])
def test_absurd_values_are_rejected_at_load_naming_part_and_attribute(value, library):
    from circuit.load import load_circuit

    doc = {"parts": [{"id": "R7", "type": "resistor", "attrs": {"value": value}}]}
    loaded = load_circuit(doc, library)
    bad = [f for f in loaded.findings if f.rule == "SCHEMA-VALUE"]
    assert bad and bad[0].severity.value == "Critical" and "R7" in bad[0].message and "'value'" in bad[0].message
    assert "value" not in loaded.circuit.part("R7").attrs


def test_a_gate_that_cannot_run_fails_closed(library, monkeypatch):
    import circuit.gates as gates
    from circuit.gates import check_circuit

    def broken(*a, **k):
        raise RuntimeError("simulator exploded")

    monkeypatch.setattr(gates, "run_spice_gate", broken)  # the SPICE gate as the gates call it
    doc = {"parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "LED1", "type": "led"},
                     {"id": "R1", "type": "resistor", "attrs": {"value": "220"}}],
           "connections": [["U1:D13", "R1:1", "green", []], ["R1:2", "LED1:A", "green", []],
                           ["LED1:C", "U1:GND.1", "black", []]]}
    report = check_circuit(doc, library)
    assert not report.passed and not report.spice_ran
    assert any(f.rule == "SPICE-GATE-ERROR" and f.severity.value == "Major" for f in report.findings)
    assert check_circuit(doc, library, spice=False).passed  # skipped by the user's flag: the ERC alone decides


def test_unknown_part_type_wired_to_a_real_part_is_a_finding(tmp_path, capsys):
    doc = json.loads(json.dumps(UNO_SHORT))
    doc["parts"][1]["type"] = "flux-capacitor"
    rc, out, _ = _cli(capsys, "check", _write(tmp_path, "unknown.json", json.dumps(doc)), "--json", limit=30)
    assert rc == 1
    assert any(f["rule"] == "ERC-UNKNOWN-PART" for f in json.loads(out)["findings"])


# ---- large nets: the rule check is not quadratic -----------------------------------------------
@pytest.mark.parametrize("n", [2_000, 10_000])
def test_large_nets_check_fast(n, tmp_path, capsys):
    parts = [{"id": "U1", "type": "arduino-uno"}] + [{"id": f"R{i}", "type": "resistor"} for i in range(n)]
    conns = [[f"R{i}:1", "U1:GND.1", "black", []] for i in range(n)] + [[f"R{i}:2", "U1:D2", "green", []] for i in range(n)]
    path = _write(tmp_path, "big.json", json.dumps({"parts": parts, "connections": conns}))
    rc, _, _ = _cli(capsys, "check", path, "--no-spice", limit=15)
    assert rc in (0, 1)


# ---- nothing unescaped reaches the terminal ---------------------------------------------------
def test_terminal_controls_and_markup_are_neutralised(tmp_path, capsys):
    doc = json.loads(json.dumps(UNO_SHORT))
    doc["title"] = "\x1b]0;pwned\x07\x1b[2J\u202eevil [/b] \ud800 title"
    doc["parts"].append({"id": "R9", "type": "resistor"})  # unconnected: a Warning, so the title is printed
    folder = tmp_path / "[bold]odd["
    folder.mkdir()
    path = folder / "b]c.json"  # the path reads ...[bold]odd[/b]c.json
    path.write_text(json.dumps(doc), encoding="utf-8")
    rc, out, err = _cli(capsys, "check", str(path), "--no-spice", limit=30)
    text = out + err
    assert rc == 0 and "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "[/b]" in text and "evil" in text


def test_lone_surrogate_in_json_output(tmp_path, capsys):
    doc = json.loads(json.dumps(UNO_SHORT))
    doc["parts"][1]["attrs"]["label"] = "bad \ud800 label"
    doc["parts"][0]["attrs"] = {"label": "x"}
    rc, out, _ = _cli(capsys, "check", _write(tmp_path, "s.json", json.dumps(doc)), "--json", "--no-spice")
    json.loads(out)
    assert rc == 0


def test_unexpected_error_is_one_line_and_a_log(monkeypatch, tmp_path, capsys):
    import pipelines.commands.check_run as check_cmd

    def boom(args):
        raise KeyError("a bug")

    monkeypatch.setattr(check_cmd, "run", boom)
    rc, _, err = _cli(capsys, "check", "whatever.json")
    assert rc == EXIT_INTERNAL
    assert len(err.strip().splitlines()) == 1 and "details in" in err
    log = err.split("details in ", 1)[1].split(";", 1)[0]
    assert "KeyError" in open(log, encoding="utf-8").read()


# ---- flag ranges ------------------------------------------------------------------------------
@pytest.mark.parametrize("argv, flag, rng", [
    (["size", "a divider", "--budget", "100000000"], "--budget", "from 1 to"),
    (["size", "a divider", "--mc", "100000000"], "--mc", "from 0 to"),
    (["size", "a divider", "--mc", "-1"], "--mc", "from 0 to"),
    (["extract", "x.pdf", "-o", "o", "--jobs", "0"], "--jobs", "from 1 to"),
    (["extract", "x.pdf", "-o", "o", "--jobs", "100000"], "--jobs", "from 1 to"),
    (["extract", "x.pdf", "-o", "o", "--timeout", "nan"], "--timeout", "from 1 to"),
    (["extract", "x.pdf", "-o", "o", "--timeout", "1e400"], "--timeout", "from 1 to"),
])
def test_flag_ranges_are_stated(argv, flag, rng, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    err = capsys.readouterr().err
    assert e.value.code == 2 and flag in err and rng in err


def test_output_onto_a_file_is_a_clear_error(tmp_path, capsys):
    f = tmp_path / "taken"
    f.write_text("x")
    rc, _, err = _cli(capsys, "size", "a divider", "-o", str(f))
    assert rc == 2 and "not a folder" in err
    rc, _, err = _cli(capsys, "extract", str(tmp_path), "-o", str(f))
    assert rc == 2 and "not a folder" in err


def test_bad_database_url_is_one_line(monkeypatch, tmp_path, capsys):
    for url in ("postgresql://nobody@127.0.0.1:1/none", "not a url"):
        monkeypatch.setenv("DATABASE_URL", url)
        rc, _, err = _cli(capsys, "design", "blink an LED on an Arduino Uno", "--thread", "t1", "--rules",
                          "-o", str(tmp_path / "o"), limit=20)
        assert rc == 2 and "fix DATABASE_URL" in " ".join(err.split())  # one message (rich wraps it at 80 columns)


def test_kb_add_refuses_oversized_and_long_keys(tmp_path, capsys):
    import yaml

    base = yaml.safe_load(open("knowledge/parts/led-red.yaml", encoding="utf-8"))
    many = dict(base, key="hostile-aliases", aliases=[f"alias {i}" for i in range(5000)])
    p = tmp_path / "many.yaml"
    p.write_text(yaml.safe_dump(many), encoding="utf-8")
    rc, _, err = _cli(capsys, "kb", "add", str(p))
    assert rc == 2 and "aliases" in err and "limit" in err
    long_key = dict(base, key="k" * 300)
    p = tmp_path / "long.yaml"
    p.write_text(yaml.safe_dump(long_key), encoding="utf-8")
    rc, _, err = _cli(capsys, "kb", "add", str(p))
    assert rc == 2 and "nothing was added" in err


def test_kb_add_is_all_or_nothing(tmp_path, capsys):
    import yaml

    from knowledge.library import user_parts_dir

    base = yaml.safe_load(open("knowledge/parts/led-red.yaml", encoding="utf-8"))
    good = dict(base, key="hostile-good-led")
    bad = dict(base, key="hostile-bad-led", category="no-such-category")
    p = tmp_path / "two.yaml"
    p.write_text(yaml.safe_dump({"parts": [good, bad]}), encoding="utf-8")
    rc, _, err = _cli(capsys, "kb", "add", str(p))
    assert rc == 2 and "nothing was added" in err
    assert not (user_parts_dir() / "hostile-good-led.yaml").exists()


def test_spec_and_query_files_go_through_the_edge(tmp_path, capsys):
    rc, _, err = _cli(capsys, "size", "--spec", "/dev/zero")
    assert rc == 2 and "only regular files" in err
    deep = tmp_path / "deep.json"
    deep.write_text('{"block": ' + "[" * 3000 + "]" * 3000 + "}")
    rc, _, err = _cli(capsys, "size", "--spec", str(deep))
    assert rc == 2 and "nested deeper" in err
    rc, _, err = _cli(capsys, "kb", "search", "--batch", "/dev/zero")
    assert rc == 2 and "only regular files" in err


def test_an_infinite_value_from_an_agent_never_reaches_the_netlister(library):
    """The synthesize agent's document goes through the same load: the value is a finding, SPICE still runs."""
    from pipelines.design import erc_node, spice_node

    doc = json.loads(json.dumps(UNO_SHORT))
    doc["parts"].append({"id": "R2", "type": "resistor", "attrs": {"value": float("inf")}})
    doc["parts"][1]["attrs"]["value"] = "1e400"
    state = {"circuit": doc, "plan": {}, "timings": {}}
    out = erc_node(state)
    rules = {f["rule"] for f in out["findings"]}
    assert "SCHEMA-VALUE" in rules
    assert all("value" not in p.get("attrs", {}) for p in out["circuit"]["parts"] if p["id"] in ("R1", "R2"))
    after = spice_node({**state, **out})
    assert after["spice"]["ran"] and after["passed"] is False
    assert not {"SPICE-NOT-RUN", "SPICE-GATE-ERROR"} & {f["rule"] for f in after["findings"]}


def test_large_nets_of_led_chains_and_switches_check_fast(tmp_path, capsys):
    """1,000 LED chains, switches and capacitors on shared pins and rails: series-path walks stay linear."""
    n = 1000
    parts = [{"id": "U1", "type": "arduino-uno"}]
    conns = []
    for i in range(n):
        parts += [{"id": f"R{i}", "type": "resistor", "attrs": {"value": "220"}}, {"id": f"LED{i}", "type": "led"},
                  {"id": f"SW{i}", "type": "push-button"}, {"id": f"C{i}", "type": "ceramic-capacitor"}]
        conns += [["U1:D13", f"R{i}:1", "g", []], [f"R{i}:2", f"LED{i}:A", "g", []], [f"LED{i}:C", "U1:GND.1", "k", []],
                  [f"SW{i}:1", "U1:D2", "g", []], [f"SW{i}:2", "U1:5V", "r", []], [f"C{i}:1", "U1:5V", "r", []],
                  [f"C{i}:2", "U1:GND.1", "k", []]]
    path = _write(tmp_path, "chains.json", json.dumps({"parts": parts, "connections": conns}))
    rc, out, _ = _cli(capsys, "check", path, "--no-spice", "--json", limit=15)
    assert rc == 1 and any(f["rule"] == "ERC-FLOATING-INPUT" for f in json.loads(out)["findings"])
