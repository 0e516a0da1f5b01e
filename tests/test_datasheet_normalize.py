"""Normalisation: numbers, units with prefixes and traps, conditions, symbols, layout, focus."""

import pytest

from knowledge.datasheet.catalog import classify_device
from knowledge.datasheet.focus import expand_parts, infer_part, part_score
from knowledge.datasheet.layout import build_lines
from knowledge.datasheet.normalize import (
    is_placeholder,
    normalize_symbol,
    parse_conditions,
    parse_number,
    parse_quantity,
    parse_unit,
)


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("44mΩ", 0.044, "Ω"),
        ("44 m\u2126", 0.044, "Ω"),  # the OHM SIGN code point
        ("0.5 µA", 5e-7, "A"),
        ("0.5 μA", 5e-7, "A"),  # Greek mu
        ("75 \ufffdA", 75e-6, "A"),  # an unmapped glyph in the prefix position is µ
        ("100 mS", 0.1, "S"),
        ("10 ms", 0.01, "s"),
        ("1960 pF", 1.96e-9, "F"),
        ("71 nC", 71e-9, "C"),
        ("300 MHz", 3e8, "Hz"),
        ("0.6 V/µs", 6e5, "V/s"),
        ("100 V/mV", 1e5, "V/V"),
        ("±20 V", 20.0, "V"),
        ("2.5ohm", 2.5, "Ω"),
        ("1,000 mW", 1.0, "W"),
    ],
)
def test_quantities_in_si(text, value, unit):
    q = parse_quantity(text)
    assert q is not None, text
    assert q.unit == unit
    assert q.value == pytest.approx(value, rel=1e-9)


def test_bare_number_and_bounds():
    q = parse_quantity("<5")
    assert q.value == 5 and q.unit == "" and q.bound == "<"
    assert parse_number("1,000") == (1000.0, "")
    assert parse_number("-4.0")[0] == -4.0
    assert parse_quantity("V+ -1.5") is None
    assert parse_quantity("–––") is None


def test_w_is_ohm_only_where_a_resistance_is_expected():
    assert parse_unit("mW") == (1e-3, "W")
    assert parse_unit("mW", expect="Ω") == (1e-3, "Ω")
    assert parse_unit("\ufffd", expect="Ω") == (1.0, "Ω")
    assert parse_unit("m", expect="Ω") == (1e-3, "Ω")


def test_mega_never_means_milli_except_for_currents_and_voltages():
    assert parse_unit("MHz") == (1e6, "Hz")
    assert parse_unit("MΩ") == (1e6, "Ω")
    assert parse_unit("MA") == (1e-3, "A")


def test_placeholders():
    for t in ("–––", "---", "—", "-", "⎯"):
        assert is_placeholder(t)
    assert not is_placeholder("-5")


def test_conditions_structured():
    assert parse_conditions("VGS = 10 V, ID = 500 mA, TJ = 25°C") == {"VGS": 10.0, "ID": 0.5, "TJ": 25.0}
    assert parse_conditions("VDS = VGS, ID = 250µA") == {"VDS": "VGS", "ID": 0.00025}
    assert parse_conditions("VI = 7 to 25 V, TJ = 25 °C") == {"VI": [7.0, 25.0], "TJ": 25.0}
    assert parse_conditions("IF=IR=10mA, iR=1mA") == {"IF": 0.01, "IR": 0.01}
    assert parse_conditions("Tamb = 25 C IF = 15mA") == {"TA": 25.0, "IF": 0.015}
    assert parse_conditions("(iF = 0.5 Amps)") == {"IF": 0.5}
    assert parse_conditions("VGS= 10V, ID=-300mA")["ID"] == pytest.approx(-0.3)
    assert parse_conditions("IC = 10 mA, VCE = 20 V, f = 100 MHz")["f"] == pytest.approx(1e8)


def test_symbols():
    assert normalize_symbol("R DS(on)") == "RDS(ON)"
    assert normalize_symbol("r DS(on)") == "RDS(ON)"
    assert normalize_symbol("V^+") == "V+"


def _chars(text, x, top, size, font="Helvetica"):
    out = []
    for ch in text:
        w = size * 0.6
        out.append({"text": ch, "x0": x, "x1": x + w, "top": top, "bottom": top + size, "size": size, "fontname": font, "upright": True})
        x += w
    return out, x


def test_layout_glues_subscripts_and_maps_symbol_font():
    chars, x = _chars("R", 10, 100, 9)
    sub, x = _chars("DS(on)", x, 103.5, 6)
    rest, _ = _chars("44", x + 30, 100, 9)
    unit, _ = _chars("mW", x + 50, 100, 9, font="ABCDEF+Symbol")  # Symbol font: W is Ω
    lines = build_lines(chars + sub + rest + unit)
    assert len(lines) == 1
    words = [w.text for w in lines[0].words]
    assert words[0] == "RDS(on)"
    assert words[-1] == "µΩ"  # both letters of a Symbol font are Greek: the normaliser reads µ/Ω


def test_superscript_note_marker_is_kept_apart():
    chars, x = _chars("350", 10, 100, 9)
    sup, _ = _chars("3)", x, 97, 5)
    lines = build_lines(chars + sup)
    assert lines[0].words[0].text == "350^3)"
    assert parse_quantity(lines[0].words[0].text).value == 350


def test_part_numbers():
    assert part_score("LM358-N", "LM358") == 2
    assert part_score("LM358", "LM358A") == 1
    assert part_score("LM358-N", "LM358A") == 0
    assert part_score("L7805C", "L7805C") == 3
    assert part_score("IRLML6344TRPbF", "IRLML6344") == 2
    assert expand_parts("BC547/550") == ["BC547", "BC550"]
    assert expand_parts(": BC546/547/548") == ["BC546", "BC547", "BC548"]
    assert infer_part(["IRF540N HEXFET Power MOSFET VDSS = 100V"], "datasheets/IRF540N.pdf") == "IRF540N"


def test_device_classes():
    assert classify_device("N-Channel Enhancement Mode MOSFET drain-source voltage RDS(on)")[0] == "mosfet"
    assert classify_device("NPN general purpose transistor collector-emitter voltage hFE")[0] == "bjt"
    assert classify_device("Schottky barrier rectifier diode, forward voltage, VRRM")[0] == "diode"
    assert classify_device("Dual operational amplifier, slew rate, gain bandwidth, input offset voltage")[0] == "opamp"
    assert classify_device("Low dropout voltage regulator, line regulation, load regulation")[0] == "regulator"
