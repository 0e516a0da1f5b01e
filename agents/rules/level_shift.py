"""Logic levels between a controller pin and a part's pin.

- A part that drives a higher voltage than the controller pin tolerates (a 5 V sensor's echo into
  a 3.3 V ESP32 pin) gets a resistor divider when the signal only goes one way, and a
  bidirectional level shifter when it goes both ways (I2C, one-wire data).
- A controller that drives a part above the part's pin rating (5 V Uno into a 3.3 V-only radio)
  gets a shifter channel (or a divider when no shifter is in the library).
- A controller whose high level is below what the part reads as high (3.3 V into a WS2812B at
  5 V, VIH 3.5 V) gets a shifter channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.rules import parts as P
from agents.rules.builder import Board, DesignBuilder
from circuit.units import format_value, nearest_e
from knowledge.record import ComponentRecord, Pin


@dataclass
class Shifter:
    pid: str
    low_v: float
    high_v: float
    free: list[tuple[str, str]] = field(default_factory=list)  # (LV pin, HV pin) channels


def shifter_key(lib) -> str | None:
    best = None
    for rec in lib:
        if any(c.capability == "level-shift" for c in rec.provides) and _channels(rec):
            if best is None or len(_channels(rec)) > len(_channels(lib[best])):
                best = rec.key
    return best


def is_level_shifter(rec: ComponentRecord) -> bool:
    """A translator with LVn/HVn channels and a supply pin per side (BSS138 board, TXS0108E)."""
    lv, hv = _side_power(rec)
    return bool(_channels(rec)) and lv is not None and hv is not None


def _channels(rec: ComponentRecord) -> list[tuple[str, str]]:
    lv = {}
    hv = {}
    for p in rec.pins:
        m = re.match(r"^(LV|HV|A|B)(\d+)$", p.name, re.IGNORECASE)
        if m and p.type not in ("power_in", "ground", "power_out"):
            side = m.group(1).upper()
            (lv if side in ("LV", "A") else hv)[m.group(2)] = p.name
    return [(lv[k], hv[k]) for k in sorted(lv) if k in hv]


def _side_power(rec: ComponentRecord) -> tuple[Pin | None, Pin | None]:
    lv = hv = None
    for p in P.power_in_pins(rec):
        n = p.name.upper()
        if n.startswith("LV") or n in ("VCCA", "VA", "VL"):
            lv = p
        elif n.startswith("HV") or n in ("VCCB", "VB", "VH"):
            hv = p
    return lv, hv


class LevelShifting:
    def __init__(self, b: DesignBuilder, power):
        self.b = b
        self.power = power
        self.shifters: list[Shifter] = []
        self.shifted: dict[tuple[str, float], str] = {}  # (controller bus pin, device volts) -> device-side end
        self.wanted: list[str] = []  # shifters the request names: used for the first links that need one

    # ---- checks --------------------------------------------------------------------
    @staticmethod
    def too_high_for(pin: Pin, volts: float, fallback_max: float | None) -> bool:
        vmax = pin.v_max if pin.v_max is not None else fallback_max
        return vmax is not None and volts > vmax + 0.05

    # ---- links ---------------------------------------------------------------------
    def link(self, board: Board, mcu_ep: str, mcu_pin: Pin, dev_ep: str, dev_pin: Pin, dev_rec: ComponentRecord,
             dev_volts: float, direction: str, why: str) -> None:
        """Wire a controller pin to a part pin, shifting levels when the records say it must."""
        mcu_v = mcu_pin.v_out or board.logic
        dev_high = dev_pin.v_out or dev_volts
        into_mcu = direction in ("to_mcu", "bidir") and self.too_high_for(mcu_pin, dev_high, board.logic + 0.3)
        into_dev_over = direction in ("from_mcu", "bidir") and self.too_high_for(dev_pin, mcu_v, None)
        vih = dev_rec.supply.vih_min
        into_dev_under = direction in ("from_mcu", "bidir") and vih is not None and mcu_v < vih - 0.05
        if not (into_mcu or into_dev_over or into_dev_under):
            self.b.wire(mcu_ep, dev_ep, "bus" if direction == "bidir" else "signal", why)
            return
        if direction == "to_mcu" and into_mcu and self.wanted and self.channel(mcu_ep, dev_ep, mcu_v, dev_volts, why):
            return  # the request named a shifter: the 5 V output goes through it, not a divider
        if direction == "to_mcu" and into_mcu:
            self.divider(mcu_ep, dev_ep, dev_high, min(board.logic, mcu_pin.v_max or board.logic), why,
                         analog=dev_pin.type == "analog_out")
            return
        # the device side of a shifter is the part's logic level: a module with its own regulator
        # (SSD1306 board on 5 V) talks at 3.3 V, so LV goes to 3.3 V, never both sides on one rail
        dev_logic = dev_volts
        if dev_rec.flags.onboard_regulator and dev_rec.supply.logic_level:
            dev_logic = min(dev_logic, dev_rec.supply.logic_level)
        if dev_pin.v_max is not None and dev_pin.v_max < dev_logic:
            dev_logic = min(v for v in (3.3, 1.8, dev_pin.v_max) if v <= dev_pin.v_max + 1e-6)
        if abs(dev_logic - mcu_v) > 0.3 and self.channel(mcu_ep, dev_ep, mcu_v, dev_logic, why):
            return
        if direction == "from_mcu" and into_dev_over:
            target = dev_pin.v_max or dev_volts
            self.divider(dev_ep, mcu_ep, mcu_v, min(target, dev_volts), why, analog=False)
            return
        self.b.wire(mcu_ep, dev_ep, "signal", why)
        self.b.note(f"{dev_ep} and {mcu_ep} work at different logic levels ({format_value(dev_high, 'V')} vs "
                    f"{format_value(mcu_v, 'V')}); add a level shifter (none in the library).")

    def divider(self, low_side_ep: str, high_side_ep: str, v_high: float, v_target: float, why: str,
                analog: bool) -> None:
        """high_side_ep —R1— low_side_ep —R2— GND, so low_side_ep sees at most v_target."""
        r1 = 10e3 if analog else 1e3
        r2_exact = r1 * v_target / max(v_high - v_target, 1e-3)
        r2 = nearest_e(r2_exact, "E24", mode="down")
        vout = v_high * r2 / (r1 + r2)
        top = self.b.add("resistor", f"divider top: {why}")
        bot = self.b.add("resistor", f"divider bottom: {why}")
        t1, t2 = P.two_terminals(self.b.rec(top))
        b1, b2 = P.two_terminals(self.b.rec(bot))
        self.b.wire(high_side_ep, f"{top}:{t1}", "signal", why)
        self.b.wire(f"{top}:{t2}", low_side_ep, "signal", f"divided {why}")
        self.b.wire(f"{bot}:{b1}", low_side_ep, "signal", "divider tap")
        self.b.to_ground(f"{bot}:{b2}", "divider bottom to ground")
        formula = (f"Vout = {format_value(v_high, 'V')} × R2/(R1+R2) = {format_value(v_high, 'V')} × "
                   f"{format_value(r2, 'Ω')}/({format_value(r1, 'Ω')}+{format_value(r2, 'Ω')}) = {format_value(vout, 'V')}")
        self.b.value(top, r1, "Ω", formula, f"R1 of the divider that brings {why} down to {format_value(v_target, 'V')} or less")
        self.b.value(bot, r2, "Ω", formula, f"R2 chosen from E24 (rounded down) so the pin never sees more than {format_value(v_target, 'V')}")

    def channel(self, mcu_ep: str, dev_ep: str, mcu_v: float, dev_v: float, why: str) -> bool:
        """One shifter channel: the lower-voltage side on LVn, the higher on HVn. A shared bus line
        (SCK, MOSI, MISO, SDA, SCL) already shifted to this voltage reuses its channel."""
        shared = self.shifted.get((mcu_ep, round(dev_v, 2)))
        if shared is not None:
            self.b.wire(shared, dev_ep, "signal", f"{why} (shared, shifted line)")
            return True
        low, high = min(mcu_v, dev_v), max(mcu_v, dev_v)
        sh = self._shifter(low, high)
        if sh is None:
            return False
        lv_pin, hv_pin = sh.free.pop(0)
        low_ep, high_ep = (mcu_ep, dev_ep) if mcu_v <= dev_v else (dev_ep, mcu_ep)
        self.b.wire(low_ep, f"{sh.pid}:{lv_pin}", "signal", f"{why} ({format_value(low, 'V')} side)")
        self.b.wire(f"{sh.pid}:{hv_pin}", high_ep, "signal", f"{why} ({format_value(high, 'V')} side)")
        if self._bus(mcu_ep):
            self.shifted[(mcu_ep, round(dev_v, 2))] = f"{sh.pid}:{lv_pin if mcu_v > dev_v else hv_pin}"
        return True

    def _bus(self, mcu_ep: str) -> bool:
        pin = None
        pid, name = mcu_ep.split(":", 1)
        part = self.b.plan.part(pid)
        if part is not None:
            pin = self.b.lib[part.type].pin(name)
        return bool(pin and {"spi_mosi", "spi_miso", "spi_sck", "i2c_sda", "i2c_scl"} & set(pin.functions))

    def _shifter(self, low: float, high: float) -> Shifter | None:
        for sh in self.shifters:
            if abs(sh.low_v - low) < 0.1 and abs(sh.high_v - high) < 0.1 and sh.free:
                return sh
        key = self.wanted.pop(0) if self.wanted else shifter_key(self.b.lib)
        if key is None:
            return None
        rec = self.b.lib[key]
        pid = self.b.add(key, f"level shifter {format_value(low, 'V')} ↔ {format_value(high, 'V')}")
        lv, hv = _side_power(rec)
        lrail = self.b.find_rail(low - 0.1, low + 0.1)
        hrail = self.b.find_rail(high - 0.1, high + 0.1)
        if lv is not None and lrail is not None:
            self.b.power(f"{pid}:{lv.name}", lrail, 0.001, "low-voltage side reference")
        if hv is not None and hrail is not None:
            self.b.power(f"{pid}:{hv.name}", hrail, 0.001, "high-voltage side reference")
        self.b.ground_part(pid)
        sh = Shifter(pid, low, high, list(_channels(rec)))
        self.shifters.append(sh)
        self.b.note(f"{pid} translates logic levels between {format_value(low, 'V')} and {format_value(high, 'V')}.")
        return sh

    def place_wanted(self, board: Board | None) -> None:
        """A named shifter no signal needed: placed between the controller's logic rail and the other
        common logic rail (3.3 V <-> 5 V), LV on the lower, HV on the higher, ready for a part to come."""
        while self.wanted:
            logic = board.logic if board is not None else 5.0
            other = 5.0 if logic < 4.0 else 3.3
            if self.b.find_rail(other - 0.1, other + 0.1) is None:
                self.b.note("The level shifter was left out: the design has one logic level, nothing to translate.")
                self.wanted.clear()
                return
            self._shifter(min(logic, other), max(logic, other))
