"""KiCad netlist export through SKiDL (the optional ``kicad`` extra), checked by reading it back.

Each part becomes the KiCad symbol and footprint that ``knowledge/maps/kicad.yaml`` names, loaded
from KiCad's standard symbol libraries (Debian's ``kicad-symbols``); our pins map to the symbol's pin
numbers by that table or by name. A part without a usable symbol is written as a generic part with
its own pins. The netlist is parsed back and compared with our nets before it is returned, so a
netlist that would not describe the same circuit is never written.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from circuit.model import Circuit
from circuit.netlist import Netlist
from circuit.render.shapes import part_value
from knowledge import lazy_imports, yaml_load
from knowledge.library import Library
from knowledge.record import ComponentRecord

__all__ = ["KicadUnavailable", "KicadExport", "kicad_netlist", "read_netlist", "symbol_dir"]

MAP_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "maps" / "kicad.yaml"
TOOL = "kicad7"  # KiCad 6+ symbol files (.kicad_sym) and netlist format "D"


class KicadUnavailable(RuntimeError):
    """SKiDL (the ``kicad`` extra) is not installed."""


class KicadSymbol(BaseModel):
    model_config = ConfigDict(extra="forbid")
    symbol: str = Field(pattern=r"^[A-Za-z0-9_.-]+:[A-Za-z0-9_.+-]+$")
    footprint: str | None = None
    pins: dict[str, str] = Field(default_factory=dict)


@lru_cache(maxsize=1)
def kicad_map() -> dict[str, KicadSymbol]:
    raw = yaml_load.safe_load(MAP_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): KicadSymbol.model_validate(v) for k, v in raw.items()}


def symbol_dir() -> Path | None:
    """KiCad's standard symbol libraries, if installed."""
    for cand in (os.environ.get("KICAD_SYMBOL_DIR"), "/usr/share/kicad/symbols"):
        if cand and Path(cand).is_dir() and any(Path(cand).glob("*.kicad_sym")):
            return Path(cand)
    return None


@lru_cache(maxsize=1)
def _skidl():
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            skidl = lazy_imports.skidl()  # the optional kicad extra, loaded on first use
    except ImportError as e:
        raise KicadUnavailable("the KiCad export needs SKiDL: pip install 'circuitsmith[kicad]'") from e
    # SKiDL opens '<script>.log' and '<script>.erc' in the working folder as it is imported; the export writes only
    # where it is told, so those handlers (and the files they opened) go at once.
    skidl.logger.stop_log_file_output()
    d = symbol_dir()
    if d is not None and str(d) not in [str(p) for p in skidl.lib_search_paths[TOOL]]:
        skidl.lib_search_paths[TOOL].append(str(d))
    return skidl


@dataclass
class KicadExport:
    text: str
    symbols: dict[str, str] = field(default_factory=dict)   # part id -> "Lib:Symbol" or "generic"
    skipped: list[str] = field(default_factory=list)        # parts the library lacks
    pinmaps: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # part id -> our pin -> symbol pins


def _clean(name: str) -> str:
    return re.sub(r"^~\{(.*)\}$", r"\1", name).lstrip("+").upper()


def _symbol_pins(rec: ComponentRecord, sym_pins: list[tuple[str, str]], explicit: dict[str, str]) -> dict[str, list[str]] | None:
    """Our pin name -> symbol pin numbers; None when some pin of ours has no place on the symbol."""
    out: dict[str, list[str]] = {}
    numbers = {n for n, _ in sym_pins}
    for pin in rec.pins:
        if pin.name in out or pin.type == "nc":
            continue
        if pin.name in explicit:
            if explicit[pin.name] not in numbers:
                return None
            out[pin.name] = [explicit[pin.name]]
            continue
        wanted = {_clean(pin.name), *(_clean(a) for a in pin.aliases)}
        hits = [n for n, nm in sym_pins if wanted & {_clean(x) for x in nm.split("/")}]
        if not hits:
            return None
        out[pin.name] = hits
    return out


def kicad_netlist(circuit: Circuit, library: Library | None = None) -> KicadExport:
    """The circuit as a KiCad netlist (S-expression text), verified by reading it back."""
    library = library or Library.default()
    skidl = _skidl()
    sk = skidl.Circuit()
    sk.no_files = True
    table = kicad_map()
    nl = Netlist(circuit, library)
    pinmaps: dict[str, dict[str, list[str]]] = {}
    parts, symbols, skipped = {}, {}, []
    with contextlib.redirect_stderr(io.StringIO()):
        for part in circuit.parts:
            rec = library.get(part.type)
            if rec is None:
                skipped.append(part.id)
                continue
            entry = table.get(part.type)
            made = None
            if entry is not None and symbol_dir() is not None:
                lib_name, sym_name = entry.symbol.split(":", 1)
                try:
                    made = skidl.Part(lib_name, sym_name, tool=TOOL, circuit=sk, ref=part.id)
                except Exception:  # a symbol this KiCad version lacks: fall back to the generic part
                    made = None
                if made is not None:
                    pinmap = _symbol_pins(rec, [(str(p.num), str(p.name)) for p in made.pins], entry.pins)
                    if pinmap is None:
                        sk.rmv_parts(made)
                        made = None
                    else:
                        pinmaps[part.id] = pinmap
                        symbols[part.id] = entry.symbol
                        if entry.footprint:
                            made.footprint = entry.footprint
            if made is None:
                names = rec.pin_names
                made = skidl.Part(tool=skidl.SKIDL, name=rec.key, ref_prefix=rec.designator, dest=skidl.NETLIST,
                                  circuit=sk, ref=part.id,
                                  pins=[skidl.Pin(num=str(i + 1), name=n) for i, n in enumerate(names)])
                pinmaps[part.id] = {n: [str(i + 1)] for i, n in enumerate(names)}
                symbols[part.id] = "generic"
            value = part_value(part, rec)
            made.value = value or rec.name
            parts[part.id] = made
        for net in nl.nets:
            members = []
            for ep in net.pins:
                pid, pin = ep.split(":", 1)
                for num in pinmaps.get(pid, {}).get(pin, []):
                    members.append(parts[pid][num])
            if members:
                n = skidl.Net(net.name, circuit=sk)
                for m in members:
                    n += m
        text = str(sk.generate_netlist(tool=TOOL))
    export = KicadExport(text=text, symbols=symbols, skipped=skipped, pinmaps=pinmaps)
    _verify(export, nl)
    return export


def read_netlist(text: str) -> dict[str, set[tuple[str, str]]]:
    """Net name -> {(ref, pin number)} from a KiCad netlist."""
    sexpdata = lazy_imports.sexpdata()  # part of the optional kicad extra
    def sym(x) -> str:
        return x.value() if isinstance(x, sexpdata.Symbol) else str(x)

    def children(node, name):
        return [c for c in node[1:] if isinstance(c, list) and c and sym(c[0]) == name]

    tree = sexpdata.loads(text)
    nets: dict[str, set[tuple[str, str]]] = {}
    for block in children(tree, "nets"):
        for net in children(block, "net"):
            name = sym(children(net, "name")[0][1])
            nodes = set()
            for node in children(net, "node"):
                ref = sym(children(node, "ref")[0][1])
                pin = sym(children(node, "pin")[0][1])
                nodes.add((ref, pin))
            nets[name] = nodes
    return nets


def _verify(export: KicadExport, nl: Netlist) -> None:
    pinmaps = export.pinmaps
    got = {frozenset(v) for v in read_netlist(export.text).values() if v}
    want = set()
    for net in nl.nets:
        members = {(ep.split(":", 1)[0], num) for ep in net.pins
                   for num in pinmaps.get(ep.split(":", 1)[0], {}).get(ep.split(":", 1)[1], [])}
        if members:
            want.add(frozenset(members))
    if got != want:
        raise RuntimeError(f"the KiCad netlist does not read back as the design's nets "
                           f"({len(want - got)} net(s) differ); it was not written")
