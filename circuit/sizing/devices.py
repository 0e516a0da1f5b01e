"""Device models the sizing testbenches use.

Op-amps are a behavioural macromodel built from datasheet figures (GBW, slew rate, open-loop gain,
output swing, offset, supply current): a transconductance stage with a slew-limited current into
the dominant-pole capacitor, then an output clamped to the rails the datasheet gives.

The knowledge-base record owns a part's figures: an op-amp with a record (``spice.kind: opamp``)
is modelled from its ``spice.params`` and supply rating, a transistor or MOSFET from its
``spice.model`` card. The table below only covers op-amps the knowledge base has no record for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from circuit.led_colors import COLOUR_VF, colour_vf
from circuit.sizing.block import fmt
from knowledge.library import Library
from knowledge.record import ComponentRecord


@dataclass(frozen=True)
class OpAmp:
    key: str
    gbw: float        # Hz
    slew: float       # V/s
    avol: float       # V/V
    v_drop_high: float  # output swing below V+ (V)
    v_drop_low: float   # output swing above V- (V)
    vos: float = 0.0  # V
    iq: float = 1e-3  # A
    r_out: float = 50.0
    v_supply_max: float = 32.0
    source: str = ""

    def subckt(self, name: str | None = None) -> str:
        n = name or f"OA_{self.key.upper().replace('-', '_')}"
        gm = 1e-3
        c1 = gm / (2 * math.pi * self.gbw)
        isr = self.slew * c1
        r1 = self.avol / gm
        return "\n".join([
            f".subckt {n} inp inn vcc vee out",
            "Rin inp inn 10Meg",
            f"Vos inp inp2 DC {fmt(self.vos)}",
            f"Bgm 0 n1 I = max(-{fmt(isr)}, min({fmt(isr)}, {fmt(gm)}*(v(inp2)-v(inn))))",
            f"R1 n1 0 {fmt(r1)}",
            f"C1 n1 0 {fmt(c1)}",
            # keep the integrating node near the rails so the output recovers from saturation at once
            "Dhi n1 vcc DCLAMP",
            "Dlo vee n1 DCLAMP",
            ".model DCLAMP D(IS=1e-15 N=1)",
            f"Bout o1 0 V = max(v(vee)+{fmt(self.v_drop_low)}, min(v(vcc)-{fmt(self.v_drop_high)}, v(n1)))",
            f"Rout o1 out {fmt(self.r_out)}",
            f"Iq vcc vee DC {fmt(self.iq)}",
            f".ends {n}",
        ])

    @property
    def model_name(self) -> str:
        return f"OA_{self.key.upper().replace('-', '_')}"


# Datasheet figures (typical, 25 °C) of op-amps without a knowledge-base record. Sources named per part.
OPAMPS: dict[str, OpAmp] = {
    "lm324": OpAmp("lm324", gbw=1.2e6, slew=0.5e6, avol=1e5, v_drop_high=1.5, v_drop_low=0.005, iq=0.7e-3,
                   source="TI LM324 SLOS066: GBW 1.2 MHz, SR 0.5 V/µs"),
    "tl072": OpAmp("tl072", gbw=3e6, slew=13e6, avol=2e5, v_drop_high=1.5, v_drop_low=1.5, iq=1.4e-3, v_supply_max=36,
                   source="TI TL072 SLOS080: GBW 3 MHz, SR 13 V/µs"),
    "mcp6002": OpAmp("mcp6002", gbw=1e6, slew=0.6e6, avol=1.2e5, v_drop_high=0.025, v_drop_low=0.025, iq=100e-6,
                     v_supply_max=6.0, source="Microchip MCP6002 DS21733: GBW 1 MHz, SR 0.6 V/µs, rail-to-rail output"),
    "ne5532": OpAmp("ne5532", gbw=10e6, slew=9e6, avol=1e5, v_drop_high=2.0, v_drop_low=2.0, iq=8e-3, v_supply_max=44,
                    source="TI NE5532 SLOS075: GBW 10 MHz, SR 9 V/µs"),
    "opa340": OpAmp("opa340", gbw=5.5e6, slew=6e6, avol=1e6, v_drop_high=0.01, v_drop_low=0.01, iq=750e-6,
                    v_supply_max=5.5, source="TI OPA340 SBOS073: GBW 5.5 MHz, SR 6 V/µs, rail-to-rail"),
}


def _library() -> Library:
    return Library.default()


def find_record(name: str, kinds: tuple[str, ...]) -> ComponentRecord | None:
    """The record a part number names (its key or an alias), when its SPICE kind is one of ``kinds``."""
    want = name.strip().lower()
    for rec in _library():
        if rec.spice is None or rec.spice.kind not in kinds:
            continue
        if rec.key.lower() == want or any(a.lower() == want for a in rec.aliases):
            return rec
    return None


def opamp_from_record(rec: ComponentRecord) -> OpAmp:
    p = rec.spice.params if rec.spice else {}
    gbw = p.get("gbw")
    if not gbw:
        raise KeyError(f"the {rec.key} record gives no gain-bandwidth (spice.params.gbw)")
    v_max = (rec.supply.v_max if rec.supply and rec.supply.v_max else 32.0)
    return OpAmp(rec.key, gbw=gbw, slew=p.get("slew", 0.3 * gbw), avol=p.get("avol", 1e5),
                 v_drop_high=p.get("vout_headroom_high", 1.5), v_drop_low=p.get("vout_headroom_low", 1.5),
                 vos=p.get("vos", 0.0), iq=p.get("iq", 1e-3), v_supply_max=v_max, source=rec.source or rec.key)


def opamp(key: str) -> OpAmp:
    """The op-amp model: from its knowledge-base record when there is one, else the table above."""
    rec = find_record(key, ("opamp",))
    if rec is not None:
        return opamp_from_record(rec)
    k = key.lower().replace(" ", "").replace("_", "-")
    k = {"tl082": "tl072"}.get(k, k)
    if k in OPAMPS:
        return OPAMPS[k]
    known = sorted(set(OPAMPS) | {r.key for r in _library() if r.spice and r.spice.kind == "opamp"})
    raise KeyError(f"no op-amp model for {key!r}; known: {', '.join(known)}")


def opamp_names() -> list[str]:
    """Every name an op-amp can be asked for by: record keys and part-number aliases, and the table."""
    names = set(OPAMPS)
    for rec in _library():
        if rec.spice and rec.spice.kind == "opamp":
            names.add(rec.key)
            names.update(a.lower() for a in rec.aliases if any(ch.isdigit() for ch in a))
    return sorted(names)


def device_card(key: str, kind: str) -> str:
    """The SPICE model card (``NPN(...)``, ``VDMOS(...)``) of a transistor from its record."""
    rec = find_record(key, (kind,))
    if rec is None or not rec.spice or not rec.spice.model:
        raise KeyError(f"no {kind.upper()} record with a SPICE model for {key!r}")
    return rec.spice.model


# LED models by colour, fitted to the typical Vf at 20 mA of circuit.led_colors (the one table).
LED_VF = COLOUR_VF


def led_model(color: str) -> str:
    vf = colour_vf(color)
    if vf is None:
        raise KeyError(f"unknown LED colour {color!r}; known: {', '.join(LED_VF)}")
    return led_model_vf(vf)


def led_model_vf(vf: float) -> str:
    """An LED diode card that drops ``vf`` at 20 mA."""
    n, rs = 2.0, 5.0
    vt = 0.025852
    # choose IS so that Vf(20 mA) = vf with series resistance rs
    i_s = 0.02 / math.exp((vf - 0.02 * rs) / (n * vt))
    return f"D(IS={i_s:.4g} N={n} RS={rs} BV=5 IBV=10u)"


ZENER_MODEL = "D(IS=1n RS=2 N=1.2 BV={bv} IBV=5m)"
