"""Device models the sizing testbenches use.

Op-amps are a behavioural macromodel built from datasheet figures (GBW, slew rate, open-loop gain,
output swing, offset, supply current): a transconductance stage with a slew-limited current into
the dominant-pole capacitor, then an output clamped to the rails the datasheet gives. Transistor
and diode cards come from the knowledge base when it has the part, else from the published
vendor models below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from circuit.led_colors import COLOUR_VF, colour_vf
from circuit.sizing.block import fmt


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


# Datasheet figures (typical, 25 °C). Sources named per part.
OPAMPS: dict[str, OpAmp] = {
    "lm358": OpAmp("lm358", gbw=0.7e6, slew=0.3e6, avol=1e5, v_drop_high=1.5, v_drop_low=0.005, iq=0.7e-3,
                   source="TI LM358 SLOS068: unity-gain bandwidth 0.7 MHz, SR 0.3 V/µs, AVD 100 V/mV, VOH VCC-1.5 V"),
    "lm324": OpAmp("lm324", gbw=1.2e6, slew=0.5e6, avol=1e5, v_drop_high=1.5, v_drop_low=0.005, iq=0.7e-3,
                   source="TI LM324 SLOS066: GBW 1.2 MHz, SR 0.5 V/µs"),
    "lm741": OpAmp("lm741", gbw=1.0e6, slew=0.5e6, avol=2e5, v_drop_high=2.0, v_drop_low=2.0, iq=1.7e-3, v_supply_max=44,
                   source="TI LM741 SNOSC25: GBW 1 MHz, SR 0.5 V/µs, AVOL 200 V/mV, swing ±13 V at ±15 V"),
    "tl072": OpAmp("tl072", gbw=3e6, slew=13e6, avol=2e5, v_drop_high=1.5, v_drop_low=1.5, iq=1.4e-3, v_supply_max=36,
                   source="TI TL072 SLOS080: GBW 3 MHz, SR 13 V/µs"),
    "mcp6002": OpAmp("mcp6002", gbw=1e6, slew=0.6e6, avol=1.2e5, v_drop_high=0.025, v_drop_low=0.025, iq=100e-6,
                     v_supply_max=6.0, source="Microchip MCP6002 DS21733: GBW 1 MHz, SR 0.6 V/µs, rail-to-rail output"),
    "ne5532": OpAmp("ne5532", gbw=10e6, slew=9e6, avol=1e5, v_drop_high=2.0, v_drop_low=2.0, iq=8e-3, v_supply_max=44,
                    source="TI NE5532 SLOS075: GBW 10 MHz, SR 9 V/µs"),
    "opa340": OpAmp("opa340", gbw=5.5e6, slew=6e6, avol=1e6, v_drop_high=0.01, v_drop_low=0.01, iq=750e-6,
                    v_supply_max=5.5, source="TI OPA340 SBOS073: GBW 5.5 MHz, SR 6 V/µs, rail-to-rail"),
}


def opamp(key: str) -> OpAmp:
    k = key.lower().replace(" ", "").replace("_", "-")
    k = {"ua741": "lm741", "741": "lm741", "358": "lm358", "lm358n": "lm358", "lm2904": "lm358", "tl082": "tl072"}.get(k, k)
    if k in OPAMPS:
        return OPAMPS[k]
    raise KeyError(f"no op-amp model for {key!r}; known: {', '.join(sorted(OPAMPS))}")


# LED models by colour, fitted to the typical Vf at 20 mA of circuit.led_colors (the one table).
LED_VF = COLOUR_VF


def led_model(color: str) -> str:
    vf = colour_vf(color)
    if vf is None:
        raise KeyError(f"unknown LED colour {color!r}; known: {', '.join(LED_VF)}")
    n, rs = 2.0, 5.0
    vt = 0.025852
    # choose IS so that Vf(20 mA) = vf with series resistance rs
    i_s = 0.02 / math.exp((vf - 0.02 * rs) / (n * vt))
    return f"D(IS={i_s:.4g} N={n} RS={rs} BV=5 IBV=10u)"


# Published vendor model cards (ngspice syntax).
BJT_MODELS = {
    "2n2222": "NPN(IS=14.34f XTI=3 EG=1.11 VAF=74.03 BF=255.9 NE=1.307 ISE=14.34f IKF=.2847 XTB=1.5 BR=6.092 NC=2 "
              "ISC=0 IKR=0 RC=1 CJC=7.306p MJC=.3416 VJC=.75 FC=.5 CJE=22.01p MJE=.377 VJE=.75 TR=46.91n TF=411.1p "
              "ITF=.6 VTF=1.7 XTF=3 RB=10)",
    "2n3904": "NPN(IS=6.734f XTI=3 EG=1.11 VAF=74.03 BF=416.4 NE=1.259 ISE=6.734f IKF=66.78m XTB=1.5 BR=.7371 NC=2 "
              "ISC=0 IKR=0 RC=1 CJC=3.638p MJC=.3085 VJC=.75 FC=.5 CJE=4.493p MJE=.2593 VJE=.75 TR=239.5n TF=301.2p "
              "ITF=.4 VTF=4 XTF=2 RB=10)",
    "bc547": "NPN(IS=7.049f NF=1.0 BF=374.6 VAF=62.79 IKF=0.08 ISE=68f NE=1.576 BR=1 NR=1 VAR=100 IKR=0.1 RB=1 RC=1.0 "
             "CJE=11.5p MJE=0.6721 VJE=0.5 CJC=5.25p MJC=0.3147 VJC=0.5697 TF=410p TR=10n)",
}

MOSFET_MODELS = {
    "2n7000": "VDMOS(Rg=3 Vto=2.1 Rd=0.8 Rs=0.5 Rb=1 Kp=0.32 Cgdmax=30p Cgdmin=5p Cgs=40p Cjo=20p Is=1p mtriode=1)",
    "irlz44n": "VDMOS(Rg=3 Vto=1.8 Rd=8m Rs=6m Rb=9m Kp=60 lambda=0.01 Cgdmax=1.6n Cgdmin=0.15n Cgs=1.5n Cjo=1n Is=20p)",
    "ao3400": "VDMOS(Rg=1.5 Vto=1.05 Rd=12m Rs=6m Kp=35 Cgdmax=0.25n Cgdmin=0.05n Cgs=0.55n Cjo=0.15n Is=5p)",
}

ZENER_MODEL = "D(IS=1n RS=2 N=1.2 BV={bv} IBV=5m)"
