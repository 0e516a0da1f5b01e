"""Net names agree across the four outputs a person reads: the schematic (``data-net`` of every net
group), wiring.md (one heading per net), netlist.cir (its net-to-node table) and report.md (the SPICE
operating-point table).

Documented normalisation, and nothing else: Markdown escapes in wiring.md and report.md
(``BZ1\\_LOW`` is ``BZ1_LOW``), XML entities in the SVG, and SPICE node names in netlist.cir, which the
deck maps back to net names in its header (``* net 5V = node x5V``; ground is node 0).
"""

from __future__ import annotations

import html
import re

import pytest

from pipelines.design import design

DESIGNS = [
    "an Arduino Nano with an RGB LED and a buzzer",
    "ESP32 with a DHT22, an OLED display and a push button",
    "Raspberry Pi Pico with a relay module and an LED",
    "a 5 V supply from a 9 V battery with an LED",
    "Arduino Uno with two LEDs, a servo and a potentiometer",
]


def _unmd(text: str) -> str:
    return html.unescape(re.sub(r"\\(.)", r"\1", text)).strip()


def svg_nets(svg: str) -> set[str]:
    return {html.unescape(n) for n in re.findall(r'data-net="([^"]*)"', svg)}


def wiring_nets(md: str) -> set[str]:
    out = set()
    for line in md.splitlines():
        line = re.sub(r" \(DANGER[^)]*\)$", "", line)
        m = re.match(r"^## (?:Supply rail (.+)|Ground \((.+)\)|Signal (.+?) \(`.*)$", line)
        if m:
            out.add(_unmd(next(g for g in m.groups() if g)))
    return out


def deck_nets(deck: str) -> tuple[dict[str, str], set[str]]:
    """(net name -> node) from the deck's header, and every node its elements use."""
    table = dict(re.findall(r"^\* net (.+?) = node (\S+)$", deck, flags=re.M))
    used = set(re.findall(r"^V_am_\S+ (\S+) ", deck, flags=re.M))
    return {k: v for k, v in table.items()}, used


def report_nets(md: str) -> set[str]:
    part = md.split("### SPICE operating point", 1)
    assert len(part) == 2, "the report has no SPICE operating-point table"
    out = set()
    for line in part[1].split("\n\n", 2)[1].splitlines():
        m = re.match(r"^\| (.+?) \| -?[\d.]+ \|$", line)
        if m:
            out.add(_unmd(m.group(1)))
    return out


@pytest.mark.parametrize("request_text", DESIGNS, ids=[d[:32] for d in DESIGNS])
def test_net_names_are_the_same_in_the_schematic_wiring_list_netlist_and_report(request_text, tmp_path):
    out = tmp_path / "out"
    turn = design(request_text, backend="rules", out_dir=str(out))
    assert turn["passed"], [f["message"] for f in turn.get("findings") or []]
    svg = svg_nets((out / "schematic.svg").read_text())
    wiring = wiring_nets((out / "wiring.md").read_text())
    table, used = deck_nets((out / "netlist.cir").read_text())
    report = report_nets((out / "report.md").read_text())
    assert wiring and svg == wiring, (svg ^ wiring)
    assert set(table) == wiring, set(table) ^ wiring
    assert used <= set(table.values()), f"nodes the deck uses but does not name: {used - set(table.values())}"
    assert report == wiring, report ^ wiring
    # only the true ground is ground: node 0 is the net the schematic draws as GND
    grounds = [n for n, node in table.items() if node == "0"]
    assert grounds == ["GND"], grounds
