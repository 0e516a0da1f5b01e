"""The SPICE netlister: decks that ngspice runs, and that no user or LLM text can steer."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from circuit.load import load_circuit
from circuit.model import Circuit, Part
from circuit.sim import check_deck, simulate
from circuit.spice_netlist import build_deck
from circuit.spice_safe import SpiceTextError, check_analysis, comment, parse_model
from knowledge.library import Library
from knowledge.record import ComponentRecord

# What a line of a circuitsmith deck may look like: the title, a comment, a blank line, an element
# made of plain tokens (names, numbers, a B-source expression of names and numbers), or one of the
# four dot-commands the netlister writes.
_ELEMENT = re.compile(r"^[RCLDQMVBEF][A-Za-z0-9_]* [A-Za-z0-9_ .+\-=(),*/]*$")
_DOT = re.compile(r"^\.(model [A-Za-z0-9_]+ [A-Z]+\([A-Za-z0-9_ .+\-=]*\)|options rshunt=[0-9e.+\-]+|op|end)$")


def assert_safe_deck(text: str) -> None:
    lines = text.splitlines()
    assert lines[0].startswith("circuitsmith DC operating point")
    check_deck(text)  # the simulator's own last line of defence agrees
    for line in lines[1:]:
        if not line or line.startswith("* "):
            assert not line.startswith("*#")
            continue
        assert _ELEMENT.match(line) or _DOT.match(line), f"unexpected deck line: {line!r}"
    low = text.lower()
    for bad in (".control", ".endc", ".include", ".inc ", ".lib", "/etc/passwd", "\n+", "*#"):
        assert bad not in low, bad
    # user words may survive as inert words in the title and comments, never in an element line
    for line in lines[1:]:
        if line and not line.startswith("* "):
            assert "shell" not in line.lower() and "rm " not in line.lower(), line


def blink(value="220", color="red", title="Blink") -> Circuit:
    return Circuit.model_validate({
        "title": title,
        "parts": [
            {"id": "U1", "type": "arduino-uno"},
            {"id": "R1", "type": "resistor", "attrs": {"value": value}},
            {"id": "LED1", "type": "led", "attrs": {"color": color}},
        ],
        "connections": [["U1:D13", "R1:1"], ["R1:2", "LED1:+"], ["LED1:-", "U1:GND"]],
    })


def test_deck_nodes_elements_and_comments(library):
    deck = build_deck(blink(), library)
    assert_safe_deck(deck.text)
    assert deck.node_of_net["GND"] == "0"
    assert set(deck.node_of_net) == {"GND", "N1", "N2"}
    assert deck.element_of_part["R1"] == ["R_R1"]
    assert "R_R1 R1_1 R1_2 220" in deck.text
    assert "* R1: Resistor 220 Ohm" in deck.text
    # the GPIO is an output driven high behind the ATmega's output resistance
    assert deck.drives["U1:D13"].output and deck.drives["U1:D13"].high
    assert "V_U1_D13 U1_D13_drv U1_GND DC 5" in deck.text
    assert "R_U1_D13_out U1_D13_drv U1_D13 25" in deck.text
    # every connected pin has an ammeter from its net
    assert deck.ammeter["LED1:-"] == "V_am_LED1_M" and "V_am_LED1_M 0 LED1_M 0" in deck.text
    res = simulate(deck.text)
    assert res.node("n1") == pytest.approx(5 - 25 * (res.node("n1") - res.node("n2")) / 220, rel=1e-3)


def test_led_colour_sets_forward_voltage(library):
    vf = {}
    for color in ("red", "green", "blue"):
        deck = build_deck(blink(value="150", color=color), library)
        res = simulate(deck.text)
        vf[color] = res.node("n2")
    assert 1.8 < vf["red"] < 1.95
    assert 2.1 < vf["green"] < 2.3
    assert 2.9 < vf["blue"] < 3.2


def test_missing_and_bad_values_are_findings_not_crashes(library):
    missing = build_deck(blink(value=""), library)
    f = [x for x in missing.findings if x.rule == "SPICE-NO-VALUE"]
    assert f and f[0].where == ["R1"] and "1 kΩ" in f[0].message
    assert "R_R1 R1_1 R1_2 1000" in missing.text

    bad = build_deck(blink(value="lots"), library)
    f = [x for x in bad.findings if x.rule == "SPICE-BAD-VALUE"]
    assert f and f[0].severity.value == "Major" and "4k7" in f[0].message
    assert_safe_deck(bad.text)

    neg = build_deck(blink(value="-5"), library)
    assert any(x.rule == "SPICE-BAD-VALUE" and "more than zero" in x.message for x in neg.findings)


HOSTILE_VALUE = "1k\n.control\nshell rm -rf /\n.endc"
HOSTILE_TITLE = "Blink\n.control\nshell rm -rf /\n.endc\n*# shell rm -rf /\n+ R9 0 1 1"
HOSTILE_ID = "R1 0 .include /etc/passwd"


def test_hostile_document_is_reported_on_load(library):
    doc = {
        "title": HOSTILE_TITLE,
        "parts": [
            {"id": "U1", "type": "arduino-uno"},
            {"id": HOSTILE_ID, "type": "resistor", "attrs": {"value": "220"}},
            {"id": "R2", "type": "resistor", "attrs": {"value": HOSTILE_VALUE}},
            {"id": "LED1", "type": "led", "attrs": {"color": "red\n.include /etc/passwd"}},
            {"id": "X1", "type": "resistor\n.control"},
        ],
        "connections": [["U1:D13", "R2:1"], ["R2:2", "LED1:+"], ["LED1:-", "U1:GND"],
                        ["R2:1\n.endc", "U1:GND"]],
    }
    loaded = load_circuit(doc, library)
    rules = {f.rule for f in loaded.findings}
    assert "SCHEMA-PART-ID" in rules  # the id with spaces and a dot-command
    assert "ERC-UNKNOWN-PART" in rules  # the type with a newline
    assert "ERC-UNKNOWN-PIN" in rules  # the pin name with a newline
    deck = build_deck(loaded.circuit, library)
    assert_safe_deck(deck.text)
    assert any(f.rule == "SPICE-BAD-VALUE" and f.where == ["R2"] for f in deck.findings)
    assert any("colour not recognised" in n for n in deck.notes)


def test_hostile_circuit_object_never_reaches_the_deck(library):
    """A Circuit built in code skips the loader's checks; the netlister escapes everything itself."""
    c = Circuit(
        title=HOSTILE_TITLE,
        parts=[
            Part(id="U1", type="arduino-uno"),
            Part(id=HOSTILE_ID, type="resistor", attrs={"value": "220"}),
            Part(id="R2\n.control", type="resistor", attrs={"value": HOSTILE_VALUE}),
            Part(id="LED1", type="led", attrs={"color": "*# shell ls"}),
            Part(id="D1", type="1n4007", attrs={"model": "D(IS=1)\n.include /etc/passwd"}),
        ],
    )
    c.connect("U1:D13", f"{HOSTILE_ID}:1")
    c.connect(f"{HOSTILE_ID}:2", "R2\n.control:1")
    c.connect("R2\n.control:2", "LED1:+")
    c.connect("LED1:-", "D1:A")
    c.connect("D1:K", "U1:GND")
    deck = build_deck(c, library)
    assert_safe_deck(deck.text)
    # the parts are still there, under escaped names, and the deck still solves
    assert deck.element_of_part[HOSTILE_ID] == ["R_R1_0__include__etc_passwd"]
    assert any(f.rule == "SPICE-BAD-VALUE" for f in deck.findings)
    res = simulate(deck.text)
    assert res.node("n1") > 0


def test_model_text_only_from_records_and_reparsed(library):
    """A record (say a user's) whose model smuggles a second line is refused; a generic model is used."""
    base = library["1n4007"].model_dump()
    base["key"] = "evil-diode"
    base["spice"]["model"] = "D(IS=1e-14)\nV9 0 1 DC 5"
    evil = ComponentRecord.model_validate(base)
    lib = Library(list(library) + [evil])
    c = Circuit.model_validate({
        "parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "R1", "type": "resistor", "attrs": {"value": "1k"}},
                  {"id": "D1", "type": "evil-diode"}],
        "connections": [["U1:5V", "R1:1"], ["R1:2", "D1:A"], ["D1:K", "U1:GND"]],
    })
    deck = build_deck(c, lib)
    assert_safe_deck(deck.text)
    assert "V9" not in deck.text
    assert any(f.rule == "SPICE-BAD-MODEL" and f.where == ["D1"] for f in deck.findings)
    assert simulate(deck.text).node("n1") == pytest.approx(0.7, abs=0.1)


@pytest.mark.parametrize("text", [
    "D(IS=1e-14) .include x", "D(IS={1e-14})", "D(IS=1e-14 N=$(x))", "X(IS=1)", "D(IS=1e-14 shell=1)x",
    "D(IS=1e-14\nN=1)", "D(IS=1e-14 rm)", "D(IS=1 N=1 .control)",
])
def test_parse_model_refuses_anything_but_numbers(text):
    with pytest.raises(SpiceTextError):
        parse_model(text)


def test_parse_model_reprints_from_numbers():
    card = parse_model("VDMOS(Rg=3 Vto=1.9 Rd=5m Kp=30 pchan)")
    assert card.type == "VDMOS" and card.get("rd") == pytest.approx(5e-3) and card.flags == ["pchan"]
    assert card.card("MM_Q1") == ".model MM_Q1 VDMOS(pchan Rg=3 Vto=1.9 Rd=0.005 Kp=30)"


def test_comments_and_analysis_are_one_safe_line():
    line = comment("a\n.control\r\nshell x\t*# y \u2028 .include z Ω")
    assert "\n" not in line and "\r" not in line and "\u2028" not in line
    assert line.startswith("* ") and ".control" not in line and ".include" not in line
    assert check_analysis(".tran 1u 10m") == ".tran 1u 10m"
    for bad in (".control", ".op\n.control", ".tran 1u 10m\nshell ls", ".include x", "op"):
        with pytest.raises(SpiceTextError):
            check_analysis(bad)


def test_switches_open_and_closed(library):
    c = Circuit.model_validate({
        "parts": [{"id": "U1", "type": "arduino-uno"}, {"id": "SW1", "type": "push-button"},
                  {"id": "R1", "type": "resistor", "attrs": {"value": "10k"}}],
        "connections": [["U1:5V", "SW1:1"], ["SW1:2", "U1:D2"], ["U1:D2", "R1:1"], ["R1:2", "U1:GND"]],
    })
    open_deck = build_deck(c, library)
    closed_deck = build_deck(c, library, switches="closed")
    assert not open_deck.drives["U1:D2"].output  # a pulled-down button input
    assert "R_SW1" not in open_deck.text and "R_SW1 SW1_1 SW1_2 0.1" in closed_deck.text
    assert simulate(open_deck.text).node("n1") == pytest.approx(0, abs=1e-3)
    assert simulate(closed_deck.text).node("n1") == pytest.approx(5, abs=0.01)


def test_transistor_and_mosfet_use_record_models(library):
    c = Circuit.model_validate({
        "parts": [{"id": "U1", "type": "arduino-uno"},
                  {"id": "RB", "type": "resistor", "attrs": {"value": "1k"}},
                  {"id": "Q1", "type": "2n3904"},
                  {"id": "RL", "type": "resistor", "attrs": {"value": "100"}},
                  {"id": "Q2", "type": "irlz44n"},
                  {"id": "RL2", "type": "resistor", "attrs": {"value": "10"}}],
        "connections": [["U1:D9", "RB:1"], ["RB:2", "Q1:B"], ["Q1:E", "U1:GND"], ["U1:5V", "RL:1"], ["RL:2", "Q1:C"],
                        ["U1:D10", "Q2:G"], ["Q2:S", "U1:GND"], ["U1:5V", "RL2:1"], ["RL2:2", "Q2:D"]],
    })
    deck = build_deck(c, library)
    assert_safe_deck(deck.text)
    assert deck.drives["U1:D9"].high and deck.drives["U1:D10"].high
    assert ".model QM_Q1 NPN(" in deck.text and "BF=416.4" in deck.text
    assert ".model MM_Q2 VDMOS(" in deck.text
    res = simulate(deck.text)
    vce = res.node(deck.pin_node["Q1:C"])
    vds = res.node(deck.pin_node["Q2:D"])
    assert vce < 0.3 and vds < 0.05  # both switched fully on


@pytest.mark.skipif(shutil.which("ngspice") is None, reason="ngspice command-line program not installed")
def test_cir_export_runs_in_ngspice(library, tmp_path):
    deck = build_deck(blink(title="Blink, for the\nexport"), library)
    path = deck.save(tmp_path / "netlist.cir")
    out = subprocess.run(["ngspice", "-b", str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    assert "error" not in text.lower()
    m = re.search(r"^\s*n2\s+([0-9.eE+-]+)", text, re.MULTILINE)
    assert m and 1.7 < float(m.group(1)) < 1.95  # the LED's anode sits at its forward voltage
