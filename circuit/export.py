"""Exports a user keeps: bill of materials, a breadboard wiring list, and the output folder.

``write_outputs`` writes ``circuit.json``, ``schematic.svg``, ``netlist.cir``, ``bom.csv``,
``wiring.md`` (and ``report.md`` when given) into one folder. File names are fixed, never
taken from user text, and every file is written to a temporary file first and renamed, so a
reader never sees half a file.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from pathlib import Path

from circuit.atomic import write_atomic
from circuit.firmware.sketch import Sketch, generate_sketch
from circuit.hazard import HazardMap, safety_banner
from circuit.model import Circuit, Part, split_endpoint
from circuit.netlist import Net, Netlist
from circuit.render import render_svg
from circuit.render.place import net_kind
from circuit.render.png import schematic_png, share_png
from circuit.render.shapes import part_value, symbol_roles
from circuit.spice_netlist import build_deck
from circuit.wokwi import WokwiDiagram, to_wokwi
from knowledge.library import Library
from knowledge.record import ComponentRecord

__all__ = ["bom_csv", "wiring_markdown", "write_outputs", "OUTPUT_FILES"]

OUTPUT_FILES = ("circuit.json", "schematic.svg", "netlist.cir", "bom.csv", "wiring.md", "report.md",
                "diagram.json", "firmware/sketch.ino", "kicad/netlist.net", "schematic.png", "share.png")


# ---- bill of materials --------------------------------------------------------------------
def _natural(text: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text))


def _cell(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    text = str(text).replace("\r", " ").replace("\n", " ")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def _bom_value(part: Part, rec: ComponentRecord | None) -> str:
    return part_value(part, rec)


def bom_csv(circuit: Circuit, library: Library | None = None) -> str:
    """``designators,part key,description,value,quantity``: one row per identical part and value."""
    library = library or Library.default()
    groups: dict[tuple[str, str], list[str]] = {}
    for part in circuit.parts:
        rec = library.get(part.type)
        groups.setdefault((part.type, _bom_value(part, rec)), []).append(part.id)
    rows = []
    for (ptype, value), ids in groups.items():
        ids = sorted(ids, key=_natural)
        rec = library.get(ptype)
        desc = rec.name if rec else f"unknown part type {ptype!r} (not in the component library)"
        rows.append((ids, ptype, desc, value))
    rows.sort(key=lambda r: _natural(r[0][0]))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["designators", "part key", "description", "value", "quantity"])
    for ids, ptype, desc, value in rows:
        w.writerow([_cell(" ".join(ids)), _cell(ptype), _cell(desc), _cell(value), len(ids)])
    return buf.getvalue()


# ---- wiring list ---------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: object) -> str:
    """User text made inert in Markdown (and in the HTML a viewer may render it to): markup
    characters become entities or backslash escapes, control characters spaces."""
    t = re.sub(r"[\x00-\x1f\x7f]", " ", str(text))
    t = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", t).strip()


_LEGS = {
    # (symbol kind, role) -> how to find that leg on the real part
    ("led", "a"): "anode (+, the longer leg)",
    ("led", "b"): "cathode (−, the shorter leg, flat side of the rim)",
    ("diode", "a"): "anode (the end without the band)",
    ("diode", "b"): "cathode (the end with the band)",
    ("zener", "a"): "anode (the end without the band)",
    ("zener", "b"): "cathode (the end with the band)",
    ("capacitor_polarized", "a"): "+ leg (the longer leg)",
    ("capacitor_polarized", "b"): "− leg (the side with the stripe)",
    ("battery", "a"): "+ terminal",
    ("battery", "b"): "− terminal",
}
_ROLE_WORD = {"base": "base", "collector": "collector", "emitter": "emitter",
              "gate": "gate", "drain": "drain", "source": "source", "wiper": "wiper (middle leg)"}


def _noun(rec: ComponentRecord | None, part: Part) -> str:
    if rec is None:
        return f"part {md(part.id)} (unknown type {md(part.type)})"
    name = re.sub(r"\s*\([^)]*\)", "", rec.name).strip() or rec.name
    if rec.category in ("passive", "input", "indicator", "semiconductor") and name[:1].isupper() and name[1:2].islower():
        name = name[0].lower() + name[1:]
    value = part_value(part, rec)
    tail = f" ({md(value)})" if value else ""
    return f"{md(name)} {md(part.id)}{tail}"


def pin_phrase(part: Part, rec: ComponentRecord | None, pin: str) -> str:
    """"resistor R1 (220 Ω) leg 1", "Arduino Uno Rev3 U1 pin D13", "LED LED1 (red) anode (+, the longer leg)"."""
    noun = _noun(rec, part)
    if rec is None:
        return f"{noun} pin {md(pin)}"
    p = rec.pin(pin)
    name = p.name if p else pin
    names = [n for n in rec.pin_names if rec.pin(n).type != "nc"]
    kind, roles = symbol_roles(rec, names, part)
    role = next((r for r, n in roles.items() if n == name), None)
    if role and (kind, role) in _LEGS:
        return f"{noun} {_LEGS[(kind, role)]}"
    if role in _ROLE_WORD:
        return f"{noun} {_ROLE_WORD[role]} (pin {md(name)})"
    if kind in ("resistor", "capacitor", "inductor", "coil", "switch", "load", "potentiometer") or (
            len(names) <= 2 and rec.category == "passive"):
        return f"{noun} leg {md(name)}"
    return f"{noun} pin {md(name)}"


def _endpoint_phrase(circuit: Circuit, library: Library, endpoint: str) -> str:
    sp = split_endpoint(endpoint)
    if sp is None:
        return f"`{md(endpoint)}` (not a part:pin endpoint)"
    part = circuit.part(sp[0])
    if part is None:
        return f"{md(sp[0])} pin {md(sp[1])} (no part with that id)"
    return pin_phrase(part, library.get(part.type), sp[1])


def _net_heading(nl: Netlist, net: Net, kind: str) -> str:
    if kind == "gnd":
        return f"Ground ({md(net.name)})"
    if kind == "rail":
        return f"Supply rail {md(net.name)}"
    ends = ", ".join(_code(ep) for ep in net.pins[:4])
    more = f" and {len(net.pins) - 4} more" if len(net.pins) > 4 else ""
    return f"Signal {md(net.name)} ({ends}{more})"


def _code(text: str) -> str:
    """A Markdown code span; nothing inside it is markup, it only must not contain a backtick."""
    return "`" + re.sub(r"[`\x00-\x1f\x7f]", "", text)[:40] + "`"


def wiring_markdown(circuit: Circuit, library: Library | None = None) -> str:
    """One line per wire, in breadboard words, grouped by net: supply rails, ground, then signals."""
    library = library or Library.default()
    nl = Netlist(circuit, library)
    kinds = {n.name: net_kind(nl, n) for n in nl.nets}
    groups: dict[str, list[str]] = {}
    loose: list[str] = []
    for c in circuit.connections:
        net = nl.net_of(c.source) or nl.net_of(c.target)
        line = (f"Connect {_endpoint_phrase(circuit, library, c.source)} to "
                f"{_endpoint_phrase(circuit, library, c.target)}.")
        if net is None:
            loose.append(line)
        else:
            groups.setdefault(net.name, []).append(line)
    rank = {"rail": 0, "gnd": 1, "signal": 2}
    order = sorted((n for n in nl.nets if n.name in groups), key=lambda n: (rank[kinds[n.name]], nl.nets.index(n)))
    out = [f"# Wiring list: {md(circuit.title or 'Untitled circuit')}", ""]
    banner = safety_banner(circuit, library)
    hazard = HazardMap(circuit, library, nl) if banner else None
    if banner:
        out += [f"> **{md(banner)}**", ""]
    out.append("Unplug the power before wiring. Each numbered step is one jumper wire (or two legs "
               "pushed into the same breadboard row). Supply and ground wires come first.")
    out.append("")
    step = 0
    for net in order:
        danger = " (DANGER: hazardous voltage, wire it unplugged, inside the enclosure)" if hazard is not None and \
            hazard.net_class(net.name).hazardous else ""
        out.append(f"## {_net_heading(nl, net, kinds[net.name])}{danger}")
        out.append("")
        for line in groups[net.name]:
            step += 1
            out.append(f"{step}. {line}")
        out.append("")
    if loose:
        out.append("## Connections that could not be placed on a net")
        out.append("")
        for line in loose:
            step += 1
            out.append(f"{step}. {line}")
        out.append("")
    if step == 0:
        out.append("_This circuit has no connections yet._")
        out.append("")
    return "\n".join(out)


# ---- the output folder ------------------------------------------------------------------------
def _write_atomic(folder: Path, name: str, text: str) -> Path:
    if name not in OUTPUT_FILES:
        raise ValueError(f"{name!r} is not an output file name")
    return write_atomic(folder / name, text)


def write_outputs(circuit: Circuit, library: Library | None = None, out_dir: str | Path = ".",
                  report_md: str | None = None, sketch: Sketch | None = None,
                  wokwi: WokwiDiagram | None = None, kicad_text: str | None = None,
                  pictures: bool = False) -> dict[str, Path]:
    """Write every export of ``circuit`` into ``out_dir`` (created if needed); returns name -> path.

    Besides the schematic, netlist, BOM and wiring list: ``diagram.json`` for the Wokwi simulator and,
    when the design has a controller board, the starter firmware ``firmware/sketch.ino``; a KiCad netlist
    ``kicad/netlist.net`` when one was made (:func:`circuit.kicad.kicad_netlist`); ``schematic.png`` beside
    the SVG; with ``pictures``, ``share.png`` (the schematic with the wiring list beside it)."""
    library = library or Library.default()
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file, not a folder: choose a folder for the outputs (-o DIR)")
    folder.mkdir(parents=True, exist_ok=True)
    svg = functools.cache(lambda: render_svg(circuit, library))
    makers = [
        ("circuit.json", lambda: circuit.to_json() + "\n"),
        ("bom.csv", lambda: bom_csv(circuit, library)),
        ("wiring.md", lambda: wiring_markdown(circuit, library)),
        ("schematic.svg", svg),
        ("netlist.cir", lambda: build_deck(circuit, library).text),
    ]
    wokwi = wokwi or to_wokwi(circuit, library)
    makers.append(("diagram.json", wokwi.to_json))
    sketch = sketch or generate_sketch(circuit, library)
    if sketch is not None:
        makers.append(("firmware/sketch.ino", lambda: sketch.text))
    if kicad_text is not None:
        makers.append(("kicad/netlist.net", lambda: kicad_text))
    # a PNG beside the SVG always, for chat apps and READMEs that cannot show SVG (CairoSVG loads here,
    # at write time, so a design that writes nothing never pays for it)

    makers.append(("schematic.png", lambda: schematic_png(svg())))
    if pictures:
        makers.append(("share.png", lambda: share_png(svg(), wiring_markdown(circuit, library))))
    if report_md is not None:
        makers.append(("report.md", lambda: report_md if report_md.endswith("\n") else report_md + "\n"))
    # one file at a time, so whatever is written first is kept if a later export fails
    return {name: _write_atomic(folder, name, make()) for name, make in makers}
