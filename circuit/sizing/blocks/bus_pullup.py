"""I2C bus pull-up resistors.

Each open-drain line (SDA, SCL) is pulled up to the bus supply through a resistor. The resistor is bounded
on both sides by the bus speed's limits (NXP UM10204, I2C-bus specification, Table 10 and section 7.1):

* small enough that the line rises from 30 % to 70 % of VDD within the mode's rise time against the bus
  capacitance: t_r = ln(0.7/0.3)·R·C = 0.8473·R·C, so R <= t_r / (0.8473·C_b);
* large enough that a device can pull the line down to V_OL = 0.4 V with the mode's sink current:
  R >= (VDD − 0.4 V) / I_OL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from circuit.sizing.block import Block, Infeasible, Param, Slot, fmt
from circuit.sizing.spec import Spec
from circuit.units import format_value

RISE_K = math.log(0.7 / 0.3)  # 30 % -> 70 % of VDD on an RC edge: 0.8473·R·C
V_OL = 0.4                    # the low level a device must reach at its sink current


@dataclass(frozen=True)
class BusMode:
    name: str
    f_max: float    # SCL clock, Hz
    t_rise: float   # rise time of SDA and SCL at most, s
    i_ol: float     # sink current at V_OL = 0.4 V at least, A
    c_max: float    # capacitive load of each line at most, F


# UM10204 Table 10 (Standard-mode, Fast-mode, Fast-mode Plus)
MODES = (
    BusMode("Standard-mode", 100e3, 1000e-9, 3e-3, 400e-12),
    BusMode("Fast-mode", 400e3, 300e-9, 3e-3, 400e-12),
    BusMode("Fast-mode Plus", 1e6, 120e-9, 20e-3, 550e-12),
)


def bus_mode(f_scl: float) -> BusMode | None:
    """The slowest mode that runs the bus at ``f_scl``; None above Fast-mode Plus."""
    return next((m for m in MODES if f_scl <= m.f_max * (1 + 1e-9)), None)


class I2CPullup(Block):
    key = "i2c_pullup"
    title = "I2C pull-up resistors"
    description = ("Pull-up resistors for an I2C (two-wire, TWI) bus: the open-drain SDA data and SCL clock lines are "
                   "each pulled up to the bus supply through a resistor, small enough for the lines to rise in time "
                   "at the bus clock speed against the bus capacitance, large enough for a device to pull them low.")
    measures = {"t_rise": "s", "i_sink": "A"}
    default_env = {"vcc": 3.3, "f_scl": 100e3, "c_bus": 100e-12}
    ports = {"vcc": "bus supply", "sda": "data line (SDA)", "scl": "clock line (SCL)"}
    slots = (
        Slot("f_scl", "Hz", "bus clock speed: the I2C clock frequency on SCL, bus speed, rate, mode", role="env",
             required=True),
        Slot("c_bus", "F", "bus capacitance: the capacitance of the lines, wiring, cable and devices on the bus",
             role="env", required=True),
        Slot("vcc", "V", "bus supply voltage the lines are pulled up to: logic supply, rail, volts", role="env",
             prior=0.2),
        Slot("t_rise", "s", "rise time of the bus lines", op="<=", inequality=True),
        Slot("i_sink", "A", "sink current a device pulls a line low with", op="<=", inequality=True),
        Slot("R1", "Ω", "pull-up resistor", role="fixed"),
    )

    def params(self):
        return [Param("R1", "R", 100, 100e3, tolerance=0.05)]

    @property
    def mode(self) -> BusMode | None:
        return bus_mode(float(self.env["f_scl"]))

    def default_specs(self):
        m = self.mode
        if m is None:
            return []
        return [Spec("t_rise", "<=", m.t_rise, unit="s"), Spec("i_sink", "<=", m.i_ol, unit="A")]

    def _window(self, specs) -> tuple[float, float]:
        """(least, most) pull-up resistance the specs allow."""
        m = self.mode
        t_r = specs["t_rise"].target if "t_rise" in specs else m.t_rise
        i_ol = specs["i_sink"].target if "i_sink" in specs else m.i_ol
        return (self.env["vcc"] - V_OL) / i_ol, t_r / (RISE_K * self.env["c_bus"])

    def check_feasible(self, specs):
        f, c, vcc = float(self.env["f_scl"]), float(self.env["c_bus"]), float(self.env["vcc"])
        m = self.mode
        if m is None:
            raise Infeasible(f"{format_value(f, 'Hz')} is beyond the fastest I2C mode with pull-ups (Fast-mode Plus, "
                             "1 MHz); High-speed mode needs active current-source pull-ups")
        if vcc <= V_OL:
            raise Infeasible(f"a {format_value(vcc, 'V')} bus cannot idle above the 0.4 V low level")
        lo, hi = self._window(specs)
        if lo > hi:
            raise Infeasible(
                f"at {format_value(f, 'Hz')} ({m.name}) the lines must rise within {format_value(m.t_rise, 's')}: with "
                f"{format_value(c, 'F')} that needs a pull-up of at most {format_value(hi, 'Ω')}, but a device sinks "
                f"only {format_value(m.i_ol, 'A')} at 0.4 V, which needs at least {format_value(lo, 'Ω')}"
                + (f" ({format_value(c, 'F')} is over the mode's {format_value(m.c_max, 'F')} limit)" if c > m.c_max else "")
                + ": lower the bus capacitance (shorter wiring, fewer devices), a slower clock, or a bus buffer")

    def guess(self, specs):
        if "R1" in self.fixed:
            return {"R1": self.fixed["R1"]}
        lo, hi = self._window(specs)
        return {"R1": math.sqrt(lo * hi)}  # the middle of the window leaves room for part and bus tolerances

    def predict(self, v):
        return {"t_rise": RISE_K * v["R1"] * self.env["c_bus"], "i_sink": (self.env["vcc"] - V_OL) / v["R1"]}

    def notes(self, v):
        m = self.mode
        if m is None:
            return []
        lo, hi = self._window({})
        return [f"{m.name} ({format_value(self.env['f_scl'], 'Hz')}): a pull-up between {format_value(lo, 'Ω')} and "
                f"{format_value(hi, 'Ω')} meets the rise time and the sink current; one resistor on SDA and one on SCL"]

    def build(self, v):
        return f"R1 vcc sda {fmt(v['R1'])}\nR2 vcc scl {fmt(v['R1'])}\n"

    def decks(self, v):
        c, vcc = self.env["c_bus"], self.env["vcc"]
        tr = self.predict(v)["t_rise"]
        lines = f"VCC vcc 0 DC {fmt(vcc)}\nCB1 sda 0 {fmt(c)}\nCB2 scl 0 {fmt(c)}\n"
        # released at t = 0 from a line held low: the pull-up charges the bus capacitance
        tran = (f"I2C pull-up\n{self.build(v)}{lines}.ic v(sda)=0 v(scl)=0\n"
                f".tran {fmt(tr / 200)} {fmt(tr * 5)} 0 {fmt(tr / 200)} uic\n.end\n")
        # a device holding the line at the low level: the current it must sink
        op = f"I2C pull-up, line held low\n{self.build(v)}{lines}VOL sda 0 DC {fmt(V_OL)}\n.op\n.end\n"
        return [("tran", tran), ("op", op)]

    def read(self, res, v):
        r = res["tran"]
        t, x = np.real(r["time"]), np.real(r["sda"])
        vcc = self.env["vcc"]
        t30, t70 = _rise(t, x, 0.3 * vcc), _rise(t, x, 0.7 * vcc)
        if t30 is None or t70 is None:
            raise ValueError("the line never rose to 70 % of the supply")
        return {"t_rise": t70 - t30, "i_sink": abs(res["op"].current("vol"))}


def _rise(t, x, level: float) -> float | None:
    i = np.where((x[:-1] < level) & (x[1:] >= level))[0]
    if len(i) == 0:
        return None
    k = int(i[0])
    return float(t[k] + (level - x[k]) * (t[k + 1] - t[k]) / (x[k + 1] - x[k]))
