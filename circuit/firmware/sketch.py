"""Starter firmware: ``sketch.ino`` for the design's board, with the pins the design chose.

Pin constants come from the wiring (which controller pin reaches which part, :mod:`circuit.firmware.links`);
``setup()`` sets each pin as wired (internal pull-ups where the design relies on them); ``loop()``
exercises every part: sensors are read and printed on Serial, displays show a pattern, actuators
move briefly. Code for each kind of part comes from ``drivers.yaml``; comments explain each block
for a beginner. A part the core alone cannot drive gets a TODO naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from circuit.firmware.drivers import Driver, choose_driver
from circuit.firmware.links import ServedPart, controller_of, served_parts
from circuit.model import Circuit, Part
from knowledge import yaml_load
from knowledge.library import Library
from knowledge.record import ComponentRecord

__all__ = ["Sketch", "BoardInfo", "board_info", "generate_sketch"]

BOARDS_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "maps" / "boards.yaml"
_ADC_MAX = {"esp32": "4095", "stm32": "1023"}


class BoardInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    arch: str
    label: str
    fqbn: str | None = None


@lru_cache(maxsize=1)
def _boards() -> dict[str, BoardInfo]:
    raw = yaml_load.safe_load(BOARDS_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): BoardInfo.model_validate(v) for k, v in raw.items()}


def board_info(key: str) -> BoardInfo | None:
    return _boards().get(key)


@dataclass
class Sketch:
    board: str                       # library key of the controller
    info: BoardInfo
    text: str
    drivers: dict[str, str] = field(default_factory=dict)  # part id -> driver id
    todo: dict[str, str] = field(default_factory=dict)     # part id -> why it is a TODO


def _c_comment(text: str) -> str:
    """Text safe inside a // comment and a C string: printable ASCII, no backslashes or quotes."""
    t = "".join(ch if 32 <= ord(ch) < 127 else " " for ch in str(text))
    return re.sub(r"[\\\"]", "", t).replace("*/", "* /").strip()


def _ident(text: str) -> str:
    t = re.sub(r"[^A-Za-z0-9]", "_", {"+": "POS", "-": "NEG"}.get(text, text)).strip("_").upper() or "PIN"
    return t if not t[0].isdigit() else "P" + t


def _pullup_pins(mcu: Part) -> set[str]:
    text = str(mcu.attrs.get("pullups", ""))
    return {t for t in re.split(r"[\s,;]+", text) if t}


class _Builder:
    def __init__(self, mcu: Part, mrec: ComponentRecord, info: BoardInfo):
        self.mcu, self.mrec, self.info = mcu, mrec, info
        self.includes: list[str] = []
        self.consts: list[str] = []
        self.globals: list[str] = []
        self.helpers: list[str] = []
        self.setup: list[str] = []
        self.loop: list[str] = []
        self._helper_ids: set[str] = set()
        self._consts: dict[tuple[str, str], str] = {}

    def const(self, part_id: str, part_pin: str, code_pin: str, mcu_pin: str, note: str) -> str:
        key = (part_id, part_pin)
        if key not in self._consts:
            name = f"{_ident(part_id)}_{_ident(part_pin)}"
            self._consts[key] = name
            self.consts.append(f"const uint8_t {name} = {code_pin};  // {self.mcu.id} {mcu_pin} -> {note}")
        return self._consts[key]

    def render(self, template: str, served: ServedPart, driver: Driver) -> str:
        part, rec = served.part, served.record
        arch = self.info.arch
        pullups = _pullup_pins(self.mcu)
        consts = {lk.part_pin: self.const(part.id, lk.part_pin, lk.code_pin, lk.mcu_pin,
                                          f"{part.id} {lk.part_pin}" + (f" (via {', '.join(lk.via)})" if lk.via else ""))
                  for lk in served.links}

        def serial_pin(fn: str) -> str:
            for lk in served.links:
                p = rec.pin(lk.part_pin)
                if p is not None and fn in p.functions:
                    return consts[lk.part_pin]
            return "0"

        values = {
            "ID": _ident(part.id), "NAME": _c_comment(rec.name),
            "RX": serial_pin("uart_tx"), "TX": serial_pin("uart_rx"),
            "ADC_MAX": _ADC_MAX.get(arch, "1023"),
        }
        for name, table in driver.params.items():
            values[name] = table.get(rec.key, table.get("default", ""))
        lines = []
        for line in template.splitlines():
            if "{EACH}" in line:
                for lk in served.links:
                    mode = "INPUT_PULLUP" if lk.mcu_pin in pullups else "INPUT"
                    lines.append(line.replace("{EACH}", "").replace("{PIN}", consts[lk.part_pin])
                                 .replace("{PART_PIN}", _c_comment(lk.part_pin)).replace("{INPUT_MODE}", mode))
            else:
                lines.append(line)
        out = "\n".join(lines)
        out = re.sub(r"\{P:([^}]+)\}", lambda m: consts.get(rec.pin(m.group(1)).name if rec.pin(m.group(1)) else m.group(1), "0"), out)
        for k, v in values.items():
            out = out.replace("{" + k + "}", v)
        return out.rstrip()

    def add(self, served: ServedPart, driver: Driver) -> None:
        arch = self.info.arch
        for inc in driver.include_list(arch):
            if inc not in self.includes:
                self.includes.append(inc)
        head = f"// ---- {served.part.id}: {_c_comment(served.record.name)} ({driver.title})"
        if served.switched_by:
            head += f", switched by {served.switched_by}"
        if driver.id not in self._helper_ids and driver.code("helpers", arch):
            self._helper_ids.add(driver.id)
            self.helpers.append(driver.code("helpers", arch).rstrip())
        g = driver.code("globals", arch)
        if g:
            self.globals.append(self.render(g, served, driver))
        s = driver.code("setup", arch)
        if s.strip():
            self.setup.append(head + "\n" + self.render(s, served, driver))
        lp = driver.code("loop", arch)
        if lp.strip():
            self.loop.append(head + "\n" + self.render(lp, served, driver))


def _indent(block: str) -> str:
    return "\n".join(("  " + ln) if ln.strip() else "" for ln in block.splitlines())


def generate_sketch(circuit: Circuit, library: Library | None = None) -> Sketch | None:
    """The starter sketch for the circuit's controller, or None when the design has no board."""
    library = library or Library.default()
    mcu = controller_of(circuit, library)
    if mcu is None:
        return None
    mrec = library.get(mcu.type)
    info = board_info(mcu.type) or BoardInfo(arch="unknown", label=mrec.name)
    b = _Builder(mcu, mrec, info)
    chosen: dict[str, str] = {}
    todo: dict[str, str] = {}
    for served in served_parts(circuit, library, mcu):
        driver = choose_driver(served, mrec)
        if driver is None or driver.todo:
            why = driver.todo if driver else "no starter code for this kind of part"
            todo[served.part.id] = why
            pins = ", ".join(f"{lk.part_pin} on {lk.mcu_pin}" for lk in served.links)
            b.loop.append(f"// TODO {served.part.id} ({_c_comment(served.record.name)}): {_c_comment(why)}."
                          f" It is wired {pins}.")
            for lk in served.links:
                b.const(served.part.id, lk.part_pin, lk.code_pin, lk.mcu_pin, f"{served.part.id} {lk.part_pin}")
            continue
        chosen[served.part.id] = driver.id
        b.add(served, driver)
    title = _c_comment(circuit.title or "circuitsmith design")
    parts = [f"//   {pid}: {drv}" for pid, drv in chosen.items()] + [f"//   {pid}: TODO" for pid in todo]
    text = "\n".join(_lines(title, info, parts, b))
    return Sketch(board=mcu.type, info=info, text=text, drivers=chosen, todo=todo)


def _lines(title: str, info: BoardInfo, parts: list[str], b: _Builder) -> list[str]:
    out = [f"// {title}",
           f"// Starter firmware for {info.label}, written by circuitsmith from the design's wiring.",
           "// Open the Serial Monitor at 115200 baud to see what each part reports.",
           "// What loop() does with each part:", *parts, ""]
    if b.includes:
        out += [f"#include <{inc}>" for inc in b.includes] + [""]
    out += ["// Pins, as wired in the schematic:", *b.consts, ""]
    if b.globals:
        out += b.globals + [""]
    for h in b.helpers:
        out += [h, ""]
    out += ["void setup() {", "  Serial.begin(115200);"]
    out += [_indent(s) for s in b.setup]
    out += ["}", "", "void loop() {"]
    out += [_indent(s) + "\n" for s in b.loop]
    out += ["  delay(1000);", "}", ""]
    return out
