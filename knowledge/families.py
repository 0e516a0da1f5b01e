"""Discrete part families: a reviewed table of datasheet figures per part, expanded into records.

    python -m knowledge.families          # (re)writes one knowledge/parts/<key>.yaml per table row

Each row holds the figures a datasheet gives (absolute maximum ratings, the characteristics table,
the pinout). The model cards are FITTED to those figures, not vendor cards, and each record says so:

- a BJT: IS from the base-emitter voltage at a stated collector current, BF the typical hFE (the
  geometric mean of the datasheet's minimum and maximum), IKF half the rated collector current
  (gain roll-off), RC from the saturation voltage, CJE/CJC from the input/output capacitances and TF
  from the transition frequency (TF = 1 / (2 pi fT)); a Darlington is one transistor with NF = 2;
- a MOSFET (VDMOS): Vto the typical threshold, KP so that the on-resistance at the rated gate drive is
  75 % of the datasheet maximum (Rd + Rs carry a quarter of it), capacitances from Ciss/Coss/Crss;
- a diode: IS and N from the forward voltage at 10 mA (read from the typical curve), RS so the drop at
  the rated current is 90 % of the datasheet maximum, BV/IBV from the reverse rating and leakage,
  CJO from the junction capacitance, TT from the reverse-recovery time;
- a zener: BV the nominal zener voltage at the test current IZT (= IBV), NBV from the dynamic
  impedance ZZT (rd = NBV x Vt / IZT), bounded so the knee stays within the family's tolerance.

The records' ``source`` names the datasheet; ``notes`` says the card is fitted.
"""

from __future__ import annotations

import math
from pathlib import Path

import yaml

VT = 0.025852  # thermal voltage at 300 K
OUT_DIR = Path(__file__).resolve().parent / "parts"


def _g(x: float) -> str:
    """A number for a model card (engineering suffixes ngspice reads)."""
    if x == 0:
        return "0"
    for exp, suf in ((-15, "f"), (-12, "p"), (-9, "n"), (-6, "u"), (-3, "m"), (0, "")):
        if abs(x) < 10 ** (exp + 3):
            return f"{x / 10 ** exp:.4g}{suf}"
    return f"{x:.4g}"


# Parts the project's own datasheet extraction already records (1N5822, BD139, BS170, MCP6002, SS14, TIP41C,
# TL072, 2N2907A, LD1117) are not in these tables: an extracted record wins over a hand-typed row.

# ---- BJTs ---------------------------------------------------------------------------------------
# key, polarity, package pinout (physical order), VCEO, IC max, hFE min (at its test current), hFE max,
# VBE(on) at ic_vbe, VCE(sat) at ic_sat, PD (W), fT (Hz), Cibo/Cobo (F), source, aliases, use
# Packages with no leads for a breadboard (record field flags.surface_mount: the switch and flyback
# pickers take a through-hole part first), the SMA/SMB/SMC power-Schottky packages included: a 2-3 A
# fast flyback is then a 1N5822 (DO-201AD), and only above what a through-hole part carries an SS54.
SURFACE_MOUNT_PACKAGES = ("SOT-23", "SOT-223", "SOD-123", "SMA", "SMB", "SMC")


def _mount(pkg: str) -> dict:
    return {"surface_mount": True} if pkg.upper().startswith(SURFACE_MOUNT_PACKAGES) else {}


def _package(pkg: str) -> str:
    """The package's name as the record field ``package`` holds it ("TO-92 (C-B-E)" -> "TO-92", "SMA (DO-214AC)"
    -> "SMA"): the pinout and the other name stay in the description."""
    return pkg.split("(")[0].split(",")[0].strip().upper()


BJTS = [
    dict(key="bc337", pol="npn", pins="CBE", vce=45, ic=0.8, hfe=100, hfe_max=630, vbe=0.75, ic_vbe=0.1,
         vsat=0.7, ic_sat=0.5, pd=0.625, ft=210e6, cib=60e-12, cob=15e-12,
         src="onsemi BC337/BC338 datasheet (BC337/D): VCEO 45 V, IC 800 mA, PD 625 mW, hFE 100-630 at 100 mA/1 V (BC337-16/-25/-40 groups), VCE(sat) 0.7 V max at 500 mA/50 mA, VBE(on) 1.2 V max at 300 mA, fT 210 MHz, Cobo 15 pF",
         aliases=["BC337", "BC337-40", "BC337-25", "bc337 npn"], use="Switching relays, small motors, LED strips and buzzers up to ~500 mA from a GPIO (TO-92)."),
    dict(key="bc548", pol="npn", pins="CBE", vce=30, ic=0.1, hfe=110, hfe_max=800, vbe=0.66, ic_vbe=0.002,
         vsat=0.25, ic_sat=0.01, pd=0.5, ft=300e6, cib=9e-12, cob=3.5e-12,
         src="onsemi BC546-BC550 datasheet (BC546/D): BC548 VCEO 30 V, IC 100 mA, PD 625 mW (500 mW in the Fairchild sheet), hFE 110-800 at 2 mA/5 V, VCE(sat) 0.25 V max at 10 mA/0.5 mA, VBE(on) 0.58-0.70 V at 2 mA, fT 300 MHz, Cobo 3.5 pF",
         aliases=["BC548", "BC548B", "BC548C"], use="Small-signal amplifiers and LED/relay switching up to 100 mA (TO-92)."),
    dict(key="bc549", pol="npn", pins="CBE", vce=30, ic=0.1, hfe=200, hfe_max=800, vbe=0.66, ic_vbe=0.002,
         vsat=0.25, ic_sat=0.01, pd=0.5, ft=300e6, cib=9e-12, cob=3.5e-12,
         src="onsemi BC546-BC550 datasheet (BC546/D): BC549 low-noise, VCEO 30 V, IC 100 mA, hFE 200-800 at 2 mA/5 V (B/C groups), noise figure 4 dB max, VCE(sat) 0.25 V max at 10 mA, fT 300 MHz",
         aliases=["BC549", "BC549C", "low noise npn transistor"], use="Low-noise audio preamplifiers (microphones, guitar pickups)."),
    dict(key="bc546", pol="npn", pins="CBE", vce=65, ic=0.1, hfe=110, hfe_max=450, vbe=0.66, ic_vbe=0.002,
         vsat=0.25, ic_sat=0.01, pd=0.5, ft=300e6, cib=9e-12, cob=3.5e-12,
         src="onsemi BC546-BC550 datasheet (BC546/D): BC546 VCEO 65 V, VCBO 80 V, IC 100 mA, hFE 110-450 at 2 mA/5 V, VCE(sat) 0.25 V max at 10 mA/0.5 mA, fT 300 MHz",
         aliases=["BC546", "BC546B", "65v npn transistor"], use="Small-signal switching and amplification on supplies up to 60 V."),
    dict(key="2n4401", pol="npn", pins="EBC", vce=40, ic=0.6, hfe=100, hfe_max=300, vbe=0.75, ic_vbe=0.15,
         vsat=0.4, ic_sat=0.15, pd=0.625, ft=250e6, cib=30e-12, cob=6.5e-12,
         src="onsemi 2N4401 datasheet (2N4401/D): VCEO 40 V, IC 600 mA, PD 625 mW, hFE 100-300 at 150 mA/1 V, VCE(sat) 0.4 V max at 150 mA/15 mA (0.75 V at 500 mA), VBE(sat) 0.75-0.95 V at 150 mA, fT 250 MHz, Ccb 6.5 pF, Ceb 30 pF",
         aliases=["2N4401", "MMBT4401", "PN4401"], use="General-purpose switching of relays and LED loads up to ~500 mA (TO-92, E-B-C)."),
    dict(key="2n5551", pol="npn", pins="EBC", vce=160, ic=0.6, hfe=80, hfe_max=250, vbe=0.7, ic_vbe=0.01,
         vsat=0.15, ic_sat=0.01, pd=0.625, ft=100e6, cib=20e-12, cob=6e-12,
         src="onsemi 2N5550/2N5551 datasheet (2N5550/D): 2N5551 VCEO 160 V, VCBO 180 V, IC 600 mA, PD 625 mW, hFE 80-250 at 10 mA/5 V, VCE(sat) 0.15 V max at 10 mA/1 mA, 0.2 V at 50 mA/5 mA, fT 100-300 MHz, Cobo 6 pF",
         aliases=["2N5551", "high voltage npn transistor", "160v npn"], use="Switching and amplifying at high voltage (nixie drivers, 100+ V signals)."),
    dict(key="s8050", pol="npn", pins="EBC", vce=25, ic=0.5, hfe=85, hfe_max=300, vbe=0.72, ic_vbe=0.1,
         vsat=0.6, ic_sat=0.5, pd=0.625, ft=150e6, cib=30e-12, cob=9e-12,
         src="Wing Shing / UTC S8050 datasheet: VCEO 25 V, VCBO 40 V, IC 500 mA (1.5 A for the 'D' version), PD 625 mW, hFE 85-300 at 50 mA/1 V, VCE(sat) 0.6 V max at 500 mA/50 mA, VBE(sat) 1.2 V max, fT 150 MHz",
         aliases=["S8050", "SS8050", "8050 transistor"], use="The relay-module and buzzer driver of Chinese boards: loads up to ~400 mA from a GPIO (TO-92, E-B-C)."),
    dict(key="tip31c", pol="npn", pins="BCE", vce=100, ic=3.0, hfe=25, hfe_max=50, vbe=0.9, ic_vbe=1.0,
         vsat=1.2, ic_sat=3.0, pd=40.0, ft=3e6, cib=300e-12, cob=80e-12,
         src="onsemi TIP31 series datasheet (TIP31A/D): TIP31C VCEO 100 V, IC 3 A (5 A peak), PD 40 W at Tcase 25 C (2 W free air), hFE 25 min at 1 A/4 V, 10-50 at 3 A, VCE(sat) 1.2 V max at 3 A/375 mA, VBE(on) 1.8 V max at 3 A, fT 3 MHz min; TO-220 B-C-E",
         aliases=["TIP31C", "TIP31", "3a npn power transistor"], use="Switching motors, solenoids and lamps up to 2-3 A (TO-220 on a heatsink)."),
    dict(key="tip122", pol="npn", pins="BCE", vce=100, ic=5.0, hfe=1000, hfe_max=2500, vbe=2.5, ic_vbe=3.0,
         vsat=2.0, ic_sat=3.0, pd=65.0, ft=4e6, cib=500e-12, cob=200e-12, darlington=True,
         src="onsemi TIP120/TIP121/TIP122 datasheet (TIP120/D): TIP122 VCEO 100 V, IC 5 A (8 A peak), PD 65 W at Tcase 25 C, hFE 1000 min at 3 A/3 V (0.5 A: 1000 min), VCE(sat) 2 V max at 3 A/12 mA, 4 V at 5 A, VBE(on) 2.5 V max at 3 A, built-in base-emitter resistors and C-E diode; TO-220 B-C-E",
         aliases=["TIP122", "100v darlington", "npn darlington 100v"], use="Switching motors, solenoids and LED strips up to ~3 A straight from a GPIO through 1 kOhm."),
    dict(key="2n3055", pol="npn", pins="BEC", vce=60, ic=15.0, hfe=20, hfe_max=70, vbe=1.0, ic_vbe=4.0,
         vsat=1.1, ic_sat=4.0, pd=115.0, ft=2.5e6, cib=1500e-12, cob=600e-12,
         src="onsemi 2N3055 datasheet (2N3055/D): VCEO 60 V, IC 15 A, PD 115 W at Tcase 25 C, hFE 20-70 at 4 A/4 V, VCE(sat) 1.1 V max at 4 A/400 mA, VBE(on) 1.5 V max at 4 A, fT 2.5 MHz min; TO-3: pin 1 base, pin 2 emitter, case collector",
         aliases=["2N3055", "2n3055 power transistor", "to-3 power transistor"], use="Linear power supplies and high-current pass elements (TO-3 on a big heatsink)."),
    dict(key="bc327", pol="pnp", pins="CBE", vce=45, ic=0.8, hfe=100, hfe_max=630, vbe=0.75, ic_vbe=0.1,
         vsat=0.7, ic_sat=0.5, pd=0.625, ft=260e6, cib=60e-12, cob=12e-12,
         src="onsemi BC327/BC328 datasheet (BC327/D): VCEO -45 V, IC -800 mA, PD 625 mW, hFE 100-630 at -100 mA/-1 V, VCE(sat) -0.7 V max at -500 mA/-50 mA, VBE(on) -1.2 V max at -300 mA, fT 260 MHz, Cobo 11 pF",
         aliases=["BC327", "BC327-40", "BC327-25", "bc327 pnp"], use="High-side switching of loads up to ~500 mA (TO-92)."),
    dict(key="bc558", pol="pnp", pins="CBE", vce=30, ic=0.1, hfe=110, hfe_max=800, vbe=0.66, ic_vbe=0.002,
         vsat=0.3, ic_sat=0.01, pd=0.5, ft=150e6, cib=10e-12, cob=4.5e-12,
         src="onsemi BC556-BC560 datasheet (BC556/D): BC558 VCEO -30 V, IC -100 mA, PD 625 mW, hFE 110-800 at -2 mA/-5 V, VCE(sat) -0.3 V max at -10 mA/-0.5 mA, VBE(on) -0.6 to -0.75 V at -2 mA, fT 150 MHz",
         aliases=["BC558", "BC558B", "BC558C"], use="Small-signal PNP for current mirrors, high-side switching of small loads (TO-92)."),
    dict(key="2n4403", pol="pnp", pins="EBC", vce=40, ic=0.6, hfe=100, hfe_max=300, vbe=0.75, ic_vbe=0.15,
         vsat=0.4, ic_sat=0.15, pd=0.625, ft=200e6, cib=30e-12, cob=8.5e-12,
         src="onsemi 2N4403 datasheet (2N4403/D): VCEO -40 V, IC -600 mA, PD 625 mW, hFE 100-300 at -150 mA/-2 V, VCE(sat) -0.4 V max at -150 mA/-15 mA (-0.75 V at -500 mA), fT 200 MHz, Ccb 8.5 pF, Ceb 30 pF",
         aliases=["2N4403", "MMBT4403", "PN4403"], use="High-side switching of loads up to ~500 mA; complement of the 2N4401 (TO-92, E-B-C)."),
    dict(key="2n5401", pol="pnp", pins="EBC", vce=150, ic=0.6, hfe=60, hfe_max=240, vbe=0.7, ic_vbe=0.01,
         vsat=0.2, ic_sat=0.01, pd=0.625, ft=100e6, cib=20e-12, cob=6e-12,
         src="onsemi 2N5400/2N5401 datasheet (2N5400/D): 2N5401 VCEO -150 V, IC -600 mA, PD 625 mW, hFE 60-240 at -10 mA/-5 V, VCE(sat) -0.2 V max at -10 mA/-1 mA, fT 100-300 MHz, Cobo 6 pF",
         aliases=["2N5401", "high voltage pnp transistor", "150v pnp"], use="High-voltage PNP; complement of the 2N5551."),
    dict(key="s8550", pol="pnp", pins="EBC", vce=25, ic=0.5, hfe=85, hfe_max=300, vbe=0.72, ic_vbe=0.1,
         vsat=0.6, ic_sat=0.5, pd=0.625, ft=150e6, cib=30e-12, cob=9e-12,
         src="Wing Shing / UTC S8550 datasheet: VCEO -25 V, VCBO -40 V, IC -500 mA (-1.5 A 'D' version), PD 625 mW, hFE 85-300 at -50 mA/-1 V, VCE(sat) -0.6 V max at -500 mA/-50 mA, fT 150 MHz",
         aliases=["S8550", "SS8550", "8550 transistor"], use="High-side switch on Chinese modules (HX711 excitation, buzzer boards); complement of the S8050."),
    dict(key="bd140", pol="pnp", pins="ECB", vce=80, ic=1.5, hfe=40, hfe_max=250, vbe=0.8, ic_vbe=0.5,
         vsat=0.5, ic_sat=0.5, pd=12.5, ft=190e6, cib=100e-12, cob=30e-12,
         src="STMicroelectronics BD136/BD138/BD140 datasheet: BD140 VCEO -80 V, IC -1.5 A (-3 A peak), PD 12.5 W at Tcase 25 C, hFE 40-250 at -150 mA/-2 V, VCE(sat) -0.5 V max at -500 mA/-50 mA; TO-126 E-C-B",
         aliases=["BD140", "BD140-16", "to-126 pnp"], use="Medium-power PNP: high-side switching, push-pull pairs with the BD139."),
    dict(key="tip32c", pol="pnp", pins="BCE", vce=100, ic=3.0, hfe=25, hfe_max=50, vbe=0.9, ic_vbe=1.0,
         vsat=1.2, ic_sat=3.0, pd=40.0, ft=3e6, cib=300e-12, cob=100e-12,
         src="onsemi TIP32 series datasheet (TIP32A/D): TIP32C VCEO -100 V, IC -3 A, PD 40 W at Tcase 25 C, hFE 25 min at -1 A, 10-50 at -3 A, VCE(sat) -1.2 V max at -3 A, fT 3 MHz min; TO-220 B-C-E",
         aliases=["TIP32C", "TIP32", "3a pnp power transistor"], use="High-side switching up to 2-3 A; complement of the TIP31C."),
    dict(key="tip42c", pol="pnp", pins="BCE", vce=100, ic=6.0, hfe=30, hfe_max=75, vbe=0.9, ic_vbe=1.0,
         vsat=1.5, ic_sat=6.0, pd=65.0, ft=3e6, cib=500e-12, cob=200e-12,
         src="onsemi TIP42 series datasheet (TIP42A/D): TIP42C VCEO -100 V, IC -6 A, PD 65 W at Tcase 25 C, hFE 30 min at -300 mA, 15-75 at -3 A, VCE(sat) -1.5 V max at -6 A, fT 3 MHz min; TO-220 B-C-E",
         aliases=["TIP42C", "TIP42", "6a pnp power transistor"], use="High-side switching up to 4-5 A; complement of the TIP41C."),
    dict(key="tip127", pol="pnp", pins="BCE", vce=100, ic=5.0, hfe=1000, hfe_max=2500, vbe=2.5, ic_vbe=3.0,
         vsat=2.0, ic_sat=3.0, pd=65.0, ft=4e6, cib=500e-12, cob=300e-12, darlington=True,
         src="onsemi TIP125/TIP126/TIP127 datasheet (TIP125/D): TIP127 VCEO -100 V, IC -5 A (-8 A peak), PD 65 W at Tcase 25 C, hFE 1000 min at -3 A/-3 V, VCE(sat) -2 V max at -3 A/-12 mA, VBE(on) -2.5 V max at -3 A; TO-220 B-C-E",
         aliases=["TIP127", "pnp darlington", "TIP125"], use="High-side switching of motors and lamps up to ~3 A; complement of the TIP122."),
]


def _bjt(row: dict) -> dict:
    pol, darl = row["pol"], row.get("darlington", False)
    nf = 2.0 if darl else 1.0
    bf = 2500.0 if darl else round(math.sqrt(row["hfe"] * row["hfe_max"]))
    isat = row["ic_vbe"] / math.exp(row["vbe"] / (nf * VT))
    ikf = 0.5 * row["ic"] if not darl else 2.0 * row["ic"]
    rc = max(0.01, (row["vsat"] - (0.2 if not darl else 0.9)) / row["ic_sat"])
    rb = 10.0 if row["ic"] <= 1.0 else 2.0
    tf = 1.0 / (2 * math.pi * row["ft"])
    card = (f"{pol.upper()}(IS={_g(isat)} NF={nf:g} BF={bf:g} IKF={_g(ikf)} VAF=100 BR=5 RB={rb:g} RC={_g(rc)} "
            f"RE={_g(0.1 * rc)} CJE={_g(row['cib'])} CJC={_g(row['cob'])} TF={_g(tf)} TR={_g(100 * tf)})")
    order = {"C": ("C", "collector"), "B": ("B", "base"), "E": ("E", "emitter")}
    pins = [{"name": order[c][0], "type": "passive", "functions": [order[c][1]], "aliases": [order[c][1]],
             "description": f"Pin {i + 1}" + (" (and the case)" if row["key"] == "2n3055" and c == "C" else "")}
            for i, c in enumerate(row["pins"])]
    if row["key"] == "2n3055":
        pins[2]["description"] = "The case (collector)"
    kind = "Darlington " if darl else ""
    pkg = row.get("pkg") or {"CBE": "TO-92 (C-B-E)", "EBC": "TO-92 (E-B-C)", "ECB": "TO-126 (E-C-B)", "BCE": "TO-220 (B-C-E, tab = C)",
           "BEC": "TO-3 (B, E; case = C)"}[row["pins"]]
    size = "power" if row["pd"] > 2 else "small-signal"
    name = f"{row['key'].upper()} {pol.upper()} {kind}{size} transistor"
    low_side = pol == "npn"
    return {
        "key": row["key"], "name": name, "category": "semiconductor", "designator": "Q",
        "aliases": row["aliases"],
        "description": f"{row['vce']:g} V, {row['ic'] * 1000:g} mA {pol.upper()} {kind.lower()}{size} transistor in {pkg}; "
                       f"hFE {row['hfe']:g}-{row['hfe_max']:g}." if row["ic"] < 1 else
                       f"{row['vce']:g} V, {row['ic']:g} A {pol.upper()} {kind.lower()}{size} transistor in {pkg}; hFE {row['hfe']:g} min.",
        "typical_use": row["use"],
        "package": _package(pkg),
        "ratings": {"vce_max": float(row["vce"]), "ic_max": float(row["ic"]), "hfe": float(row["hfe"]),
                    "vbe_on": float(row["vbe"]), "vce_sat": float(row["vsat"]), "power_max": float(row["pd"])},
        **({"flags": _mount(pkg)} if _mount(pkg) else {}),
        "spice": {"kind": pol, "terminals": ["C", "B", "E"], "model": card},
        "source": row["src"],
        "notes": "Ratings as magnitudes (a PNP's are negative in the datasheet). hfe is the datasheet minimum; vbe_on "
                 "the base-emitter voltage at the stated current. Model card FITTED to the datasheet figures "
                 "(knowledge/families.py), not a vendor card.",
        "pins": pins,
        "provides": [{"capability": "switch-load" if low_side else "switch-load-high-side", "direction": "act",
                      "description": ("switch a load on and off with a transistor" if low_side else
                                      "switch power to a load on the high side with a PNP transistor")}],
    }


# ---- MOSFETs ------------------------------------------------------------------------------------
# key, polarity, package, VDS, VGS max, ID (25 C), VGS(th) min/max, RDS(on) max at vgs_r, PD, Ciss/Coss/Crss
MOSFETS = [
    dict(key="irf3205", pol="n", pkg="TO-220", vds=55, vgs=20, id=110, vth=(2.0, 4.0), rds=0.008, vgs_r=10, pd=200,
         c=(3247e-12, 781e-12, 211e-12),
         src="International Rectifier IRF3205 datasheet (PD-91279): VDSS 55 V, ID 110 A (package-limited 75 A), RDS(on) 8 mOhm max at VGS 10 V, VGS(th) 2.0-4.0 V, VGS +/-20 V, PD 200 W, Ciss 3247 pF, Coss 781 pF, Crss 211 pF",
         aliases=["IRF3205", "IRF3205PBF", "high current mosfet 55v"], logic=False),
    dict(key="irfz44n", pol="n", pkg="TO-220", vds=55, vgs=20, id=49, vth=(2.0, 4.0), rds=0.0175, vgs_r=10, pd=94,
         c=(1470e-12, 360e-12, 88e-12),
         src="International Rectifier IRFZ44N datasheet (PD-94053): VDSS 55 V, ID 49 A, RDS(on) 17.5 mOhm max at VGS 10 V, VGS(th) 2.0-4.0 V, VGS +/-20 V, PD 94 W, Ciss 1470 pF, Coss 360 pF, Crss 88 pF",
         aliases=["IRFZ44N", "IRFZ44", "irfz44n mosfet"], logic=False),
    dict(key="irf530n", pol="n", pkg="TO-220", vds=100, vgs=20, id=17, vth=(2.0, 4.0), rds=0.09, vgs_r=10, pd=70,
         c=(920e-12, 130e-12, 19e-12),
         src="International Rectifier IRF530N datasheet (PD-91355): VDSS 100 V, ID 17 A, RDS(on) 90 mOhm max at VGS 10 V, VGS(th) 2.0-4.0 V, VGS +/-20 V, PD 70 W, Ciss 920 pF, Coss 130 pF, Crss 19 pF",
         aliases=["IRF530N", "IRF530"], logic=False),
    dict(key="irlb8721", pol="n", pkg="TO-220", vds=30, vgs=20, id=62, vth=(1.35, 2.35), rds=0.0087, vgs_r=4.5, pd=65,
         c=(1077e-12, 360e-12, 180e-12),
         src="International Rectifier IRLB8721PbF datasheet (PD-97135): VDSS 30 V, ID 62 A, RDS(on) 6.5 mOhm max at 10 V, 8.7 mOhm max at 4.5 V, VGS(th) 1.35-2.35 V, VGS +/-20 V, PD 65 W, Ciss 1077 pF, Coss 360 pF, Crss 180 pF",
         aliases=["IRLB8721", "IRLB8721PBF", "logic level mosfet 30v"], logic=True),
    dict(key="irl540n", pol="n", pkg="TO-220", vds=100, vgs=16, id=36, vth=(1.0, 2.0), rds=0.053, vgs_r=5, pd=140,
         c=(1800e-12, 350e-12, 140e-12),
         src="International Rectifier IRL540N datasheet (PD-91300): VDSS 100 V, ID 36 A, RDS(on) 44 mOhm max at 10 V, 53 mOhm at 5 V, 63 mOhm at 4 V, VGS(th) 1.0-2.0 V, VGS +/-16 V, PD 140 W, Ciss 1800 pF, Coss 350 pF, Crss 140 pF",
         aliases=["IRL540N", "IRL540", "100v logic level mosfet"], logic=True),
    dict(key="fqp30n06l", pol="n", pkg="TO-220", vds=60, vgs=20, id=32, vth=(1.0, 2.5), rds=0.045, vgs_r=5, pd=79,
         c=(1040e-12, 350e-12, 65e-12),
         src="Fairchild (onsemi) FQP30N06L datasheet: VDSS 60 V, ID 32 A, RDS(on) 35 mOhm max at 10 V, 45 mOhm max at 5 V, VGS(th) 1.0-2.5 V, VGS +/-20 V, PD 79 W, Ciss 1040 pF, Coss 350 pF, Crss 65 pF",
         aliases=["FQP30N06L", "FQP30N06", "60v logic level mosfet"], logic=True),
    dict(key="stp55nf06l", pol="n", pkg="TO-220", vds=60, vgs=16, id=55, vth=(1.0, 2.5), rds=0.02, vgs_r=5, pd=95,
         c=(1700e-12, 350e-12, 120e-12),
         src="STMicroelectronics STP55NF06L datasheet: VDSS 60 V, ID 55 A, RDS(on) 18 mOhm max at 10 V, 20 mOhm max at 5 V, VGS(th) 1.0-2.5 V, VGS +/-16 V, PD 95 W, Ciss ~1700 pF, Coss ~350 pF, Crss ~120 pF",
         aliases=["STP55NF06L", "P55NF06L"], logic=True),
    dict(key="irf840", pol="n", pkg="TO-220", vds=500, vgs=20, id=8, vth=(2.0, 4.0), rds=0.85, vgs_r=10, pd=125,
         c=(1300e-12, 310e-12, 120e-12),
         src="Vishay IRF840 datasheet (91070): VDS 500 V, ID 8 A, RDS(on) 0.85 Ohm max at VGS 10 V, VGS(th) 2.0-4.0 V, VGS +/-20 V, PD 125 W, Ciss 1300 pF, Coss 310 pF, Crss 120 pF",
         aliases=["IRF840", "500v mosfet"], logic=False),
    dict(key="irf4905", pol="p", pkg="TO-220", vds=55, vgs=20, id=74, vth=(2.0, 4.0), rds=0.02, vgs_r=10, pd=200,
         c=(3400e-12, 1400e-12, 640e-12),
         src="International Rectifier IRF4905 datasheet (PD-91280): VDSS -55 V, ID -74 A, RDS(on) 20 mOhm max at VGS -10 V, VGS(th) -2.0 to -4.0 V, VGS +/-20 V, PD 200 W, Ciss 3400 pF, Coss 1400 pF, Crss 640 pF",
         aliases=["IRF4905", "IRF4905PBF", "55v p-channel mosfet"], logic=False),
    dict(key="irf9z34n", pol="p", pkg="TO-220", vds=55, vgs=20, id=19, vth=(2.0, 4.0), rds=0.1, vgs_r=10, pd=68,
         c=(620e-12, 280e-12, 130e-12),
         src="International Rectifier IRF9Z34N datasheet (PD-91477): VDSS -55 V, ID -19 A, RDS(on) 0.10 Ohm max at VGS -10 V, VGS(th) -2.0 to -4.0 V, VGS +/-20 V, PD 68 W, Ciss 620 pF, Coss 280 pF, Crss 130 pF",
         aliases=["IRF9Z34N", "IRF9Z34"], logic=False),
    dict(key="ao3401", pol="p", pkg="SOT-23", vds=30, vgs=12, id=4.0, vth=(0.5, 1.3), rds=0.065, vgs_r=4.5, pd=1.4,
         c=(645e-12, 80e-12, 55e-12),
         src="Alpha & Omega AO3401A datasheet: VDS -30 V, ID -4.0 A, RDS(on) 50 mOhm max at VGS -10 V, 65 mOhm max at -4.5 V, 85 mOhm at -2.5 V, VGS(th) -0.5 to -1.3 V, VGS +/-12 V, PD 1.4 W, Ciss 645 pF, Coss 80 pF, Crss 55 pF; SOT-23: 1 G, 2 S, 3 D",
         aliases=["AO3401", "AO3401A", "sot-23 p-channel mosfet"], logic=True),
]


def _mosfet(row: dict) -> dict:
    p = row["pol"] == "p"
    vto = round(0.5 * (row["vth"][0] + row["vth"][1]), 2)
    target = 0.75 * row["rds"]
    kp = 1.0 / (0.75 * target * (row["vgs_r"] - vto))
    rd, rs = 0.15 * target, 0.1 * target
    ciss, coss, crss = row["c"]
    card = (f"VDMOS({'pchan ' if p else ''}Rg=3 Vto={'-' if p else ''}{vto:g} Rd={_g(rd)} Rs={_g(rs)} Rb={_g(0.2 * target)} "
            f"Kp={kp:.4g} lambda=0.01 mtriode=1 Cgdmax={_g(3 * crss)} Cgdmin={_g(crss / 3)} Cgs={_g(ciss - crss)} "
            f"Cjo={_g(coss - crss)} Is={'10p' if row['id'] > 5 else '1p'} ksubthres=0.1)")
    pins_order = {"TO-220": ["G", "D", "S"], "TO-92": ["D", "G", "S"], "SOT-23": ["G", "S", "D"]}[row["pkg"]]
    fn = {"G": "gate", "D": "drain", "S": "source"}
    pins = [{"name": n, "type": "passive", "functions": [fn[n]], "aliases": [fn[n]], "description": f"Pin {i + 1}"
             + (" (the tab is the drain)" if row["pkg"] == "TO-220" and n == "D" else "")}
            for i, n in enumerate(pins_order)]
    ch = "P" if p else "N"
    lvl = "logic-level " if row["logic"] else ""
    amps = f"{row['id']:g} A" if row["id"] >= 1 else f"{row['id'] * 1000:g} mA"
    rds_txt = f"{row['rds'] * 1000:g} mOhm" if row["rds"] < 1 else f"{row['rds']:g} Ohm"
    use = ("High-side switching of a supply rail or a load (gate pulled to the source to turn off; a small NPN pulls "
           "the gate low to turn on), reverse-polarity protection." if p else
           ("Low-side switching of LED strips, motors, solenoids and heaters straight from a 5 V (or 3.3 V) GPIO."
            if row["logic"] else
            "Low-side switching of motors, lamps and heaters with a 10 V gate drive (a gate driver or a transistor "
            "stage; a 5 V GPIO does not turn it fully on)."))
    return {
        "key": row["key"], "name": f"{row['key'].upper()} {ch}-channel {lvl}MOSFET",
        "category": "semiconductor", "designator": "Q", "aliases": row["aliases"],
        "description": f"{row['vds']:g} V, {amps} {lvl}{ch}-channel MOSFET in {row['pkg']} "
                       f"({'-'.join(pins_order)}); RDS(on) {rds_txt} max at {'-' if p else ''}{row['vgs_r']:g} V gate drive.",
        "typical_use": use,
        "package": _package(row["pkg"]),
        "ratings": {"vds_max": float(row["vds"]), "vgs_max": float(row["vgs"]), "id_max": float(row["id"]),
                    "vgs_th": vto, "rds_on": float(row["rds"]), "rds_on_vgs": float(row["vgs_r"]),
                    "power_max": float(row["pd"])},
        **({"flags": _mount(row["pkg"])} if _mount(row["pkg"]) else {}),
        "spice": {"kind": "pmos" if p else "nmos", "terminals": ["D", "G", "S"], "model": card},
        "source": row["src"],
        "notes": "Ratings as magnitudes. vgs_th is the middle of the datasheet's threshold range; rds_on the maximum "
                 "at rds_on_vgs. VDMOS card FITTED to these figures (knowledge/families.py), not a vendor model. "
                 "Add a 100-220 ohm gate resistor and a 100 k gate pull-down (pull-up to the source for a P-channel), "
                 "and a flyback diode across inductive loads.",
        "pins": pins,
        "provides": [{"capability": "switch-load-high-side" if p else "switch-load", "direction": "act",
                      "description": ("switch the supply to a load on the high side with a P-channel MOSFET" if p
                                      else "switch a motor, pump, solenoid or LED strip on and off with a MOSFET")}],
    }


# ---- diodes -------------------------------------------------------------------------------------
# key, kind (rectifier/schottky/fast/signal), VRRM, IF(AV), VF max at IF, VF typical at 10 mA, IR max, CJ, trr
DIODES = [
    dict(key="1n4001", kind="rectifier", vr=50, io=1.0, vf=1.1, if_vf=1.0, vf10=0.65, ir=5e-6, cj=15e-12, trr=2e-6, pkg="DO-41",
         src="onsemi 1N4001-1N4007 datasheet (1N4001/D): 1N4001 VRRM 50 V, IF(AV) 1 A, IFSM 30 A, VF 1.1 V max at 1 A, IR 5 uA max at VR (25 C), CJ 15 pF typ",
         aliases=["1N4001", "50v rectifier diode"]),
    dict(key="1n4004", kind="rectifier", vr=400, io=1.0, vf=1.1, if_vf=1.0, vf10=0.65, ir=5e-6, cj=15e-12, trr=2e-6, pkg="DO-41",
         src="onsemi 1N4001-1N4007 datasheet (1N4001/D): 1N4004 VRRM 400 V, IF(AV) 1 A, IFSM 30 A, VF 1.1 V max at 1 A, IR 5 uA max at VR (25 C)",
         aliases=["1N4004", "400v rectifier diode"]),
    dict(key="1n5408", kind="rectifier", vr=1000, io=3.0, vf=1.2, if_vf=3.0, vf10=0.6, ir=10e-6, cj=30e-12, trr=2e-6, pkg="DO-201AD",
         src="Vishay 1N5400-1N5408 datasheet (88516): 1N5408 VRRM 1000 V, IF(AV) 3 A, IFSM 200 A, VF 1.2 V max at 3 A, IR 10 uA max at VR (25 C), CJ 30 pF typ",
         aliases=["1N5408", "3a rectifier diode", "1N5400 series"]),
    dict(key="uf4007", kind="fast", vr=1000, io=1.0, vf=1.7, if_vf=1.0, vf10=0.75, ir=10e-6, cj=17e-12, trr=75e-9, pkg="DO-41",
         src="Vishay UF4001-UF4007 datasheet (88755): UF4007 VRRM 1000 V, IF(AV) 1 A, IFSM 30 A, VF 1.7 V max at 1 A, IR 10 uA max, trr 75 ns max, CJ 17 pF typ",
         aliases=["UF4007", "ultrafast diode", "fast recovery diode 1000v"]),
    dict(key="fr107", kind="fast", vr=1000, io=1.0, vf=1.3, if_vf=1.0, vf10=0.7, ir=5e-6, cj=15e-12, trr=500e-9, pkg="DO-41",
         src="Diodes Inc. FR101-FR107 datasheet: FR107 VRRM 1000 V, IF(AV) 1 A, IFSM 30 A, VF 1.3 V max at 1 A, IR 5 uA max, trr 500 ns max, CJ 15 pF typ",
         aliases=["FR107", "fast recovery rectifier"]),
    dict(key="1n5817", kind="schottky", vr=20, io=1.0, vf=0.45, if_vf=1.0, vf10=0.22, ir=1e-3, cj=110e-12, trr=0, pkg="DO-41",
         src="onsemi 1N5817-1N5819 datasheet (1N5817/D): 1N5817 VRRM 20 V, IO 1 A, IFSM 25 A, VF 0.32 V max at 0.1 A, 0.45 V at 1 A, 0.75 V at 3 A, IR 1 mA max at rated VR (25 C)",
         aliases=["1N5817", "20v schottky diode"]),
    dict(key="ss34", kind="schottky", vr=40, io=3.0, vf=0.5, if_vf=3.0, vf10=0.2, ir=0.5e-3, cj=200e-12, trr=0, pkg="SMA (DO-214AC)",
         src="Vishay SS32-SS36 datasheet (88751): SS34 VRRM 40 V, IF(AV) 3 A, IFSM 100 A, VF 0.50 V max at 3 A, IR 0.5 mA max at rated VR (25 C)",
         aliases=["SS34", "SK34", "smd schottky 3a"]),
    dict(key="bat85", kind="schottky", vr=30, io=0.2, vf=0.8, if_vf=0.1, vf10=0.32, ir=2e-6, cj=10e-12, trr=4e-9, pkg="DO-34",
         src="Vishay / NXP BAT85 datasheet: VR 30 V, IF 200 mA, IFSM 5 A, VF 0.24 V max at 0.1 mA, 0.32 V at 1 mA, 0.4 V at 10 mA, 0.8 V at 100 mA, IR 2 uA max at 25 V, Cd 10 pF max, trr 4 ns",
         aliases=["BAT85", "small signal schottky"]),
    dict(key="bat54", kind="schottky", vr=30, io=0.2, vf=0.8, if_vf=0.1, vf10=0.32, ir=2e-6, cj=10e-12, trr=5e-9, pkg="SOT-23",
         src="NXP / onsemi BAT54 datasheet: VR 30 V, IF 200 mA, IFSM 600 mA, VF 0.24 V max at 0.1 mA, 0.32 V at 1 mA, 0.4 V at 10 mA, 0.5 V at 30 mA, 0.8 V at 100 mA, IR 2 uA max at 25 V, Cd 10 pF max, trr 5 ns",
         aliases=["BAT54", "sot-23 schottky"]),
]


def _diode(row: dict) -> dict:
    n = {"schottky": 1.05, "signal": 1.9, "fast": 1.9, "rectifier": 1.9}[row["kind"]]
    isat = 0.01 / (math.exp(row["vf10"] / (n * VT)) - 1)
    v_ideal = n * VT * math.log(row["if_vf"] / isat + 1)
    rs = max(0.001, (0.9 * row["vf"] - v_ideal) / row["if_vf"])
    card = (f"D(IS={_g(isat)} N={n:g} RS={_g(rs)} BV={_g(1.1 * row['vr'])} IBV={_g(row['ir'])} CJO={_g(row['cj'])} "
            f"M=0.4" + (f" TT={_g(row['trr'] / 1.5)}" if row["trr"] else "") + (" EG=0.69 XTI=2" if row["kind"] == "schottky" else "") + ")")
    what = {"rectifier": "general-purpose silicon rectifier", "fast": "fast-recovery rectifier",
            "schottky": "Schottky barrier diode", "signal": "small-signal diode"}[row["kind"]]
    amps = f"{row['io']:g} A" if row["io"] >= 1 else f"{row['io'] * 1000:g} mA"
    uses = {"rectifier": "Rectifiers, reverse-polarity protection and flyback diodes across relay coils and motors.",
            "fast": "Switching-supply rectifiers and snubbers, flyback diodes at high PWM frequencies.",
            "schottky": "Reverse-polarity protection with little drop, OR-ing supplies, converter catch diodes and fast flyback clamps."
            if row["io"] >= 1 else "Signal clamps, detectors and low-drop protection of logic inputs."}
    cap = {"rectifier": ("rectify", "block reverse current or rectify AC with a diode"),
           "fast": ("rectify", "rectify in a switching supply with a fast diode"),
           "schottky": ("schottky-diode", "low-drop Schottky diode for reverse-polarity protection or OR-ing supplies")}[row["kind"]]
    return {
        "key": row["key"], "name": f"{row['key'].upper()} {amps} {what}", "category": "semiconductor",
        "designator": "D", "aliases": row["aliases"],
        "description": f"{row['vr']:g} V, {amps} {what} in {row['pkg']}; {row['vf']:g} V max at {row['if_vf']:g} A"
                       + (f", {row['trr'] * 1e9:g} ns recovery" if row["trr"] and row["kind"] != "rectifier" else "") + ".",
        "typical_use": uses[row["kind"]],
        "package": _package(row["pkg"]),
        "ratings": {"vf": float(row["vf"]), "if_nom": float(row["if_vf"]), "if_max": float(row["io"]),
                    "vr_max": float(row["vr"])},
        "flags": {"polarized": True, **({"schottky": True} if row["kind"] == "schottky" else {}), **_mount(row["pkg"])},
        "spice": {"kind": "diode", "terminals": ["A", "K"], "model": card},
        "source": row["src"],
        "notes": "vf is the datasheet maximum at if_nom. Model card FITTED to the datasheet figures "
                 "(knowledge/families.py): typical drop at 10 mA, 90 % of the maximum drop at the rated current.",
        "pins": [{"name": "A", "type": "passive", "functions": ["anode"], "aliases": ["+", "anode"]},
                 {"name": "K", "type": "passive", "functions": ["cathode"], "aliases": ["-", "C", "cathode"],
                  "description": "Marked by the band"}],
        "provides": [{"capability": cap[0], "direction": "passive", "description": cap[1]}],
    }


# ---- zeners: onsemi / Vishay 1N4728A-1N4764A, 1 W -----------------------------------------------
# (part, VZ at IZT, IZT, ZZT) from the family table; 1N4728A (3.3 V) and 1N4733A (5.1 V) are their own records
ZENERS = [
    ("1N4729A", 3.6, 0.069, 10), ("1N4730A", 3.9, 0.064, 9), ("1N4731A", 4.3, 0.058, 9), ("1N4732A", 4.7, 0.053, 8),
    ("1N4734A", 5.6, 0.045, 5), ("1N4735A", 6.2, 0.041, 2), ("1N4736A", 6.8, 0.037, 3.5), ("1N4737A", 7.5, 0.034, 4),
    ("1N4738A", 8.2, 0.031, 4.5), ("1N4739A", 9.1, 0.028, 5), ("1N4740A", 10, 0.025, 7), ("1N4741A", 11, 0.023, 8),
    ("1N4742A", 12, 0.021, 9), ("1N4743A", 13, 0.019, 10), ("1N4744A", 15, 0.017, 14), ("1N4745A", 16, 0.0155, 16),
    ("1N4746A", 18, 0.014, 20), ("1N4747A", 20, 0.0125, 22), ("1N4748A", 22, 0.0115, 23), ("1N4749A", 24, 0.0105, 25),
    ("1N4750A", 27, 0.0095, 35), ("1N4751A", 30, 0.0085, 40), ("1N4752A", 33, 0.0075, 45),
]
ZENER_SRC = ("onsemi 1N4728A-1N4764A datasheet (1N4728A/D) and Vishay 1N4728A-1N4764A (85816): 1 W, VZ at IZT "
             "(+/-5 %, 'A' suffix), ZZT at IZT, IZT = 250 mW / VZ, VF 1.2 V max at 200 mA")


def _zener(part: str, vz: float, izt: float, zzt: float) -> dict:
    key = part.lower()
    nbv = zzt * izt / VT
    # keep the knee inside the family's tolerance band from 20 mA to IZT (a soft knee at low voltages)
    lo = math.log(0.02 / izt)
    if lo < 0:
        nbv = min(nbv, 0.12 * vz / (VT * -lo))
    elif lo > 0:
        nbv = min(nbv, 0.015 * vz / (VT * lo))
    card = f"D(IS=1e-12 N=1.2 RS=0.5 BV={vz:g} IBV={_g(izt)} NBV={nbv:.3g} CJO={_g(max(30e-12, 400e-12 * 3.3 / vz))} M=0.5)"
    vtxt = f"{vz:g}".replace(".", "v")
    return {
        "key": key, "name": f"{part} {vz:g} V 1 W zener diode", "category": "semiconductor", "designator": "D",
        "aliases": [part, part[:-1], f"{vz:g}V zener diode", f"{vz:g} volt zener 1w", f"{vtxt} zener diode"],
        "description": f"{vz:g} V +/-5 % zener diode, 1 W, DO-41 glass; rated at {izt * 1000:g} mA (IZT), "
                       f"{zzt:g} ohm dynamic impedance there.",
        "typical_use": f"A {vz:g} V reference or clamp: protect an input from overvoltage, make a simple shunt regulator "
                       f"with a series resistor (keep the zener current between ~{max(1, izt * 100):.0f} mA and "
                       f"{1.0 / vz * 1000:.0f} mA).",
        "package": "DO-41",
        "ratings": {"vz": float(vz), "vf": 1.2, "if_nom": 0.2, "power_max": 1.0},
        "flags": {"polarized": True},
        "spice": {"kind": "zener", "terminals": ["A", "K"], "model": card},
        "source": ZENER_SRC,
        "notes": "Model card FITTED to VZ/IZT/ZZT (knowledge/families.py). Reverse-biased in use: cathode (band) to the "
                 "positive side.",
        "pins": [{"name": "A", "type": "passive", "functions": ["anode"], "aliases": ["+", "anode"]},
                 {"name": "K", "type": "passive", "functions": ["cathode"], "aliases": ["-", "C", "cathode"],
                  "description": "Marked by the band"}],
        "provides": [{"capability": "voltage-reference", "direction": "passive",
                      "description": f"clamp or hold a voltage at {vz:g} volts with a zener diode"}],
    }


# ---- transient-voltage suppressors (unidirectional, 600 W) ------------------------------------------
# key, package, VRWM (stand-off), VBR min/max at IT, IT, IR max at VRWM, VC max at IPP, IPP, steady-state PD
TVS = [
    dict(key="smbj5.0a", pkg="SMB (DO-214AA)", vrwm=5.0, vbr=(6.40, 7.07), it=0.010, ir=800e-6, vc=9.2, ipp=65.2, pd=5.0,
         src="Littelfuse SMBJ series datasheet (600 W): SMBJ5.0A VRWM 5.0 V, VBR 6.40-7.07 V at IT 10 mA, IR 800 uA max at VRWM, VC 9.2 V max at IPP 65.2 A (10/1000 us), 600 W peak pulse, 5 W steady state; cathode band",
         aliases=["SMBJ5.0A", "SMBJ5.0", "5v tvs diode", "tvs diode 5v"]),
    dict(key="smbj12a", pkg="SMB (DO-214AA)", vrwm=12.0, vbr=(13.3, 14.7), it=0.001, ir=1e-6, vc=19.9, ipp=30.2, pd=5.0,
         src="Littelfuse SMBJ series datasheet (600 W): SMBJ12A VRWM 12 V, VBR 13.3-14.7 V at IT 1 mA, IR 1 uA max at VRWM, VC 19.9 V max at IPP 30.2 A (10/1000 us), 600 W peak pulse, 5 W steady state; cathode band",
         aliases=["SMBJ12A", "SMBJ12", "12v tvs diode"]),
    dict(key="smbj24a", pkg="SMB (DO-214AA)", vrwm=24.0, vbr=(26.7, 29.5), it=0.001, ir=1e-6, vc=38.9, ipp=15.4, pd=5.0,
         src="Littelfuse SMBJ series datasheet (600 W): SMBJ24A VRWM 24 V, VBR 26.7-29.5 V at IT 1 mA, IR 1 uA max at VRWM, VC 38.9 V max at IPP 15.4 A (10/1000 us), 600 W peak pulse, 5 W steady state; cathode band",
         aliases=["SMBJ24A", "SMBJ24", "24v tvs diode"]),
    dict(key="p6ke6.8a", pkg="DO-15 (axial)", vrwm=5.8, vbr=(6.45, 7.14), it=0.010, ir=1000e-6, vc=10.5, ipp=57.0, pd=5.0,
         src="Littelfuse / Vishay P6KE series datasheet (600 W): P6KE6.8A VRWM 5.8 V, VBR 6.45-7.14 V at IT 10 mA, IR 1000 uA max at VRWM, VC 10.5 V max at IPP 57 A (10/1000 us), 600 W peak pulse, 5 W steady state; cathode band",
         aliases=["P6KE6.8A", "P6KE6.8", "axial tvs diode 6.8v"]),
    dict(key="p6ke15a", pkg="DO-15 (axial)", vrwm=12.8, vbr=(14.3, 15.8), it=0.001, ir=1e-6, vc=21.2, ipp=28.0, pd=5.0,
         src="Littelfuse / Vishay P6KE series datasheet (600 W): P6KE15A VRWM 12.8 V, VBR 14.3-15.8 V at IT 1 mA, IR 1 uA max at VRWM, VC 21.2 V max at IPP 28 A (10/1000 us), 600 W peak pulse, 5 W steady state; cathode band",
         aliases=["P6KE15A", "P6KE15", "axial tvs diode 15v"]),
]


def _tvs(row: dict) -> dict:
    vbr = round(0.5 * (row["vbr"][0] + row["vbr"][1]), 2)
    rs = (row["vc"] - row["vbr"][1]) / row["ipp"]  # the clamp at the rated pulse: breakdown plus the bulk resistance
    # a sharp knee: at the stand-off voltage the leakage stays under the rated IR
    nbv = min(3.0, (vbr - row["vrwm"]) / (VT * math.log(row["it"] / row["ir"])) if row["it"] > row["ir"] else 3.0)
    card = (f"D(IS=1e-12 N=1.1 RS={_g(rs)} BV={vbr:g} IBV={_g(row['it'])} NBV={nbv:.3g} "
            f"CJO={_g(max(100e-12, 3000e-12 * 5 / row['vrwm']))} M=0.33)")
    return {
        "key": row["key"], "name": f"{row['aliases'][0]} {row['vrwm']:g} V TVS diode (600 W)", "category": "semiconductor",
        "designator": "D", "aliases": row["aliases"],
        "description": f"Unidirectional 600 W transient-voltage suppressor in {row['pkg']}: stands off {row['vrwm']:g} V, "
                       f"breaks down at {row['vbr'][0]:g}-{row['vbr'][1]:g} V and clamps a surge to {row['vc']:g} V at "
                       f"{row['ipp']:g} A.",
        "typical_use": f"Across a {row['vrwm']:g} V supply or signal line (cathode to the positive side) to absorb ESD, "
                       "load-dump and inductive spikes; put a fuse or PTC before it so a sustained overvoltage opens the line.",
        "package": _package(row["pkg"]),
        "ratings": {"vz": vbr, "vr_max": float(row["vrwm"]), "power_max": float(row["pd"])},
        "flags": {"polarized": True},
        "spice": {"kind": "zener", "terminals": ["A", "K"], "model": card},
        "source": row["src"],
        "notes": "vz is the middle of the breakdown range at the test current; vr_max the stand-off voltage (no conduction "
                 "below it). Model card FITTED to VBR, VRWM/IR and VC/IPP (knowledge/families.py). Not a voltage "
                 "regulator: it conducts only in a surge.",
        "pins": [{"name": "A", "type": "passive", "functions": ["anode"], "aliases": ["+", "anode"]},
                 {"name": "K", "type": "passive", "functions": ["cathode"], "aliases": ["-", "C", "cathode"],
                  "description": "Marked by the band: to the positive line"}],
        "provides": [{"capability": "suppress-transients", "direction": "passive",
                      "description": "protect a supply or signal line from voltage spikes and ESD with a TVS diode"}],
    }


# ---- op-amps and comparators --------------------------------------------------------------------
# key, layout (dual8: 1OUT 1IN- 1IN+ GND 2IN+ 2IN- 2OUT VCC; quad14: 1OUT 1IN- 1IN+ VCC 2IN+ 2IN- 2OUT 3OUT 3IN- 3IN+
# GND 4IN+ 4IN- 4OUT; single311), supply range (total V), abs max, Iq (whole package, typ/max), GBW, slew, AVOL,
# VOS, IB, output headroom high/low, output current, input common mode offsets from (V-, V+); desc (optional): the
# datasheet's distinguishing facts in words, in place of the description made from the figures
OPAMPS = [
    dict(key="tl074",
         desc='Quad JFET-input op-amp (TI TL074): four amplifiers in one DIP-14 with very high input impedance (65 pA bias), low noise and low distortion, 3 MHz, 13 V/us; 7-36 V total supply (+/-3.5 to +/-18 V); inputs need about 4 V of room from the negative rail, so it wants a split supply.',
         layout="quad14", vmin=7, vmax=36, vabs=36, iq=(0.0056, 0.01), gbw=3e6, slew=13e6, avol=200e3,
         vos=0.003, ib=65e-12, hh=1.5, hl=1.5, io=0.02, cm=(4.0, 0.0), rail_in=False,
         src="Texas Instruments TL07xx datasheet SLOS080: TL074 quad, supply +/-3.5 to +/-18 V, 1.4 mA per amplifier typ (2.5 mA max), GBW 3 MHz, slew 13 V/us, VOS 3 mV typ, IB 65 pA, input common mode V- + 4 V to V+; low noise 18 nV/rtHz typ at 1 kHz, low harmonic distortion 0.003 % typ",
         aliases=["TL074", "TL074CN", "tl074 quad op amp"], use="Multi-stage audio filters and mixers on a split supply.",
         cap="amplify or filter audio signals with four JFET op-amps on a split supply"),
    dict(key="ne5532",
         desc='Low-noise dual op-amp (TI NE5532): 5 nV/rtHz input noise at 1 kHz, 10 MHz, 9 V/us, and an output that drives 600 ohm loads to 26 V peak-to-peak on +/-15 V. 6-40 V total supply (split +/-3 to +/-20 V); inputs and output stay 2-3 V inside the rails, so it wants a split supply.',
         layout="dual8", vmin=6, vmax=40, vabs=44, iq=(0.008, 0.016), gbw=10e6, slew=9e6, avol=100e3,
         vos=0.0005, ib=200e-9, hh=2.0, hl=2.0, io=0.038, cm=(3.0, -3.0), rail_in=False,
         src="Texas Instruments NE5532 datasheet SLOS075: supply +/-3 to +/-20 V (+/-22 V absolute), supply current 8 mA typ / 16 mA max (both amplifiers), GBW 10 MHz, slew 9 V/us, AVOL 100 V/mV, VOS 0.5 mA typ, IB 200 nA typ, output swing +/-13 V at +/-15 V (600 ohm), input common mode +/-12 V at +/-15 V, output short-circuit 38 mA; equivalent input noise 5 nV/rtHz typ at 1 kHz, 26 V peak-to-peak output swing into 600 ohm at +/-15 V",
         aliases=["NE5532", "NE5532P", "SA5532", "low noise audio op amp"], use="Low-noise audio: microphone and line preamplifiers, mixers, tone controls, active filters and headphone stages on +/-12 to +/-15 V.",
         cap="amplify an audio signal with a low-noise op-amp on a split supply"),
    dict(key="lm324",
         desc='Quad op-amp for a single 3-32 V supply (or +/-1.5 to +/-16 V): four general-purpose amplifiers in one DIP-14 whose inputs and output reach ground, the output topping out about 1.5 V below V+; 1.2 MHz, 0.5 V/us, 0.7 mA for all four.',
         layout="quad14", vmin=3, vmax=32, vabs=32, iq=(0.0007, 0.0012), gbw=1.2e6, slew=0.5e6, avol=100e3,
         vos=0.003, ib=45e-9, hh=1.5, hl=0.005, io=0.04, cm=(0.0, -1.5), rail_in=False,
         src="Texas Instruments LM324 datasheet SLOS066: supply 3-32 V, supply current 0.7 mA typ / 1.2 mA max (four amplifiers, 5 V), GBW 1.2 MHz, slew 0.5 V/us, AVOL 100 V/mV, VOS 3 mV typ, IB 45 nA, input common mode 0 to V+ - 1.5 V, output high V+ - 1.5 V, output source 40 mA / sink 20 mA",
         aliases=["LM324", "LM324N", "quad op amp", "quad single supply op amp"], use="Four single-supply amplifiers, comparators or filters for sensors on 5-12 V.",
         cap="amplify several small sensor signals with four op-amps on one supply"),
    dict(key="lm339", layout="quad14c", vmin=2, vmax=36, vabs=36, iq=(0.0008, 0.002), gbw=1e6, slew=1e6, avol=200e3,
         vos=0.002, ib=25e-9, hh=0.0, hl=0.15, io=0.016, cm=(0.0, -1.5), rail_in=False, comparator=True,
         src="Texas Instruments LM339 datasheet SLCS006: VCC 2-36 V, supply current 0.8 mA typ / 2 mA max (four comparators, 5 V), open-collector outputs sinking 16 mA typ (6 mA min), VOL 0.15 V typ at 4 mA, VOS 2 mV typ, IB 25 nA, input common mode 0 to VCC - 1.5 V, response 1.3 us",
         aliases=["LM339", "LM339N", "quad comparator", "LM2901"], use="Four threshold detectors (window comparators, battery monitors, bar graphs) with pull-ups on the outputs."),
    dict(key="lm311", layout="single311", vmin=3.5, vmax=30, vabs=36, iq=(0.0051, 0.0075), gbw=1e6, slew=1e6, avol=200e3,
         vos=0.002, ib=100e-9, hh=0.0, hl=0.4, io=0.05, cm=(0.5, -1.5), rail_in=False, comparator=True,
         src="Texas Instruments LM311 datasheet SLCS007: supply 3.5-30 V (36 V total absolute), supply current 5.1 mA typ / 7.5 mA max, open-collector/open-emitter output up to 50 mA at 40 V, VOL 0.4 V max at 50 mA (0.75 V at 50 mA, 1.5 V max), VOS 2 mV typ, IB 100 nA typ, response 115 ns (200 ns max), input common mode V- + 0.5 V to V+ - 1.5 V",
         aliases=["LM311", "LM311N", "fast comparator"], use="A single fast comparator that can switch a relay or lamp (50 mA) or drive logic from a split supply."),
]


def _opamp_pins(layout: str, row: dict) -> list[dict]:
    cmp_ = row.get("comparator", False)
    vin = {"v_max": float(row["vabs"]) if not row["rail_in"] else float(row["vabs"]), "v_min": -0.3}
    out_t = {"type": "digital_out", "functions": ["open_drain"]} if cmp_ else {"type": "analog_out"}

    def o(n, alias, num):
        return {"name": f"{n}OUT", **out_t, "aliases": [f"OUT{n}", f"OUT{'ABCD'[n - 1]}", str(num)], "i_max": float(row["io"])}

    def i(n, sign, num):
        s = "+" if sign == "+" else "-"
        return {"name": f"{n}IN{s}", "type": "analog_in", "aliases": [f"IN{n}{s}", f"{s}IN{'ABCD'[n - 1]}", str(num)], **vin}

    vcc = lambda num: {"name": "VCC", "type": "power_in", "aliases": ["V+", "VDD", str(num)], "v_max": float(row["vabs"])}
    gnd = lambda num: {"name": "GND", "type": "ground", "aliases": ["V-", "VEE", "VSS", str(num)], "group": "gnd"}
    if layout == "dual8":
        return [o(1, "", 1), i(1, "-", 2), i(1, "+", 3), gnd(4), i(2, "+", 5), i(2, "-", 6), o(2, "", 7), vcc(8)]
    if layout in ("quad14", "quad14c"):
        if layout == "quad14c":  # LM339: 1 OUT2, 2 OUT1, 3 VCC, 4 IN1-, 5 IN1+, 6 IN2-, 7 IN2+, 8 IN3-, 9 IN3+,
            return [o(2, "", 1), o(1, "", 2), vcc(3), i(1, "-", 4), i(1, "+", 5), i(2, "-", 6), i(2, "+", 7),
                    i(3, "-", 8), i(3, "+", 9), i(4, "-", 10), i(4, "+", 11), gnd(12), o(4, "", 13), o(3, "", 14)]
        return [o(1, "", 1), i(1, "-", 2), i(1, "+", 3), vcc(4), i(2, "+", 5), i(2, "-", 6), o(2, "", 7), o(3, "", 8),
                i(3, "-", 9), i(3, "+", 10), gnd(11), i(4, "+", 12), i(4, "-", 13), o(4, "", 14)]
    if layout == "single5":  # SOT-23-5 single op-amp (MCP6001): 1 VOUT, 2 VSS, 3 VIN+, 4 VIN-, 5 VDD
        return [{"name": "OUT", **out_t, "aliases": ["VOUT", "1"], "i_max": float(row["io"])},
                {"name": "GND", "type": "ground", "aliases": ["VSS", "V-", "2"], "group": "gnd"},
                {"name": "IN+", "type": "analog_in", "aliases": ["VIN+", "+IN", "3"], **vin},
                {"name": "IN-", "type": "analog_in", "aliases": ["VIN-", "-IN", "4"], **vin},
                {"name": "VCC", "type": "power_in", "aliases": ["VDD", "V+", "5"], "v_max": float(row["vabs"])}]
    # LM311: 1 GND (emitter output), 2 IN+, 3 IN-, 4 V-, 5 BALANCE, 6 BAL/STROBE, 7 OUT (collector), 8 VCC+
    return [{"name": "GND", "type": "ground", "aliases": ["EMIT", "EMITTER_OUT", "1"], "group": "gnd",
             "description": "Output emitter (pin 1): to ground for an open-collector output"},
            {"name": "IN+", "type": "analog_in", "aliases": ["+IN", "2"], **vin},
            {"name": "IN-", "type": "analog_in", "aliases": ["-IN", "3"], **vin},
            {"name": "V-", "type": "ground", "aliases": ["VEE", "4"], "group": "gnd",
             "description": "Negative supply (pin 4): ground on a single supply"},
            {"name": "BAL", "type": "passive", "aliases": ["BALANCE", "5"], "description": "Offset balance (leave open)"},
            {"name": "STROBE", "type": "passive", "aliases": ["BAL/STROBE", "6"], "description": "Balance/strobe (leave open)"},
            {"name": "OUT", "type": "digital_out", "functions": ["open_drain"], "aliases": ["OUTPUT", "7"],
             "i_max": float(row["io"]), "v_max": 40.0, "description": "Open-collector output (pin 7): pull-up to the load or logic rail"},
            {"name": "VCC", "type": "power_in", "aliases": ["V+", "8"], "v_max": float(row["vabs"])}]


def _opamp(row: dict) -> dict:
    cmp_ = row.get("comparator", False)
    pins = _opamp_pins(row["layout"], row)
    names = [p["name"] for p in pins]
    n_units = 1 if row["layout"].startswith("single") else (4 if "quad" in row["layout"] else 2)
    if n_units == 1:
        units, req_in = [], ["IN+", "IN-"]
    else:
        units = [[f"{n}OUT", f"{n}IN-", f"{n}IN+"] for n in range(1, n_units + 1)]
        req_in = [x for n in range(1, n_units + 1) for x in (f"{n}IN+", f"{n}IN-")]
    what = ("comparator" if cmp_ else "op-amp")
    count = {1: "single", 2: "dual", 4: "quad"}[n_units]
    rec = {
        "key": row["key"], "name": f"{row['key'].upper()} {count} {what}" + (" (rail-to-rail)" if row["rail_in"] else ""),
        "category": "ic", "designator": "U", "aliases": row["aliases"],
        "description": row.get("desc") or (f"{count.capitalize()} {what}, {row['vmin']:g}-{row['vmax']:g} V total supply"
                        + (", open-collector output(s) (need a pull-up)" if cmp_ else
                           f", {row['gbw'] / 1e6:g} MHz, {row['slew'] / 1e6:g} V/us")
                        + (", rail-to-rail input and output" if row["rail_in"] else "") + "."),
        "typical_use": row["use"],
        "supply": {"v_min": float(row["vmin"]), "v_max": float(row["vmax"]), "v_abs_max": float(row["vabs"]),
                   "current_typ": row["iq"][0], "current_max": row["iq"][1]},
        "spice": ({"kind": "module"} if cmp_ else
                  {"kind": "opamp", "terminals": (["IN+", "IN-", "VCC", "GND", "OUT"] if n_units == 1
                                                  else ["1IN+", "1IN-", "VCC", "GND", "1OUT"]),
                   "params": {"avol": float(row["avol"]), "gbw": float(row["gbw"]), "vos": float(row["vos"]),
                              "ib": float(row["ib"]), "iq": row["iq"][0] / n_units, "vout_headroom_high": float(row["hh"]),
                              "vout_headroom_low": float(row["hl"]), "iout_max": float(row["io"]), "slew": float(row["slew"])}}),
        "source": row["src"],
        "notes": ("Supply figures are the total (V+ to V-). " + ("spice.terminals are amplifier 1 as (IN+, IN-, V+, V-, OUT); "
                  "spice.params give its figures (iq per amplifier). " if not cmp_ else
                  "The outputs only pull LOW: add a pull-up to the logic voltage of whatever reads them. ")
                  + "Decouple the supply with 100 nF; tie a spare unit's inputs to a fixed level."),
        "pins": pins,
        "requires": {"required_pins": req_in, **({"units": units} if units else {}), "input_common_mode": list(row["cm"])},
        "provides": [{"capability": "compare-threshold", "direction": "compute",
                      "description": "compare a voltage against a threshold and switch an output"} if cmp_ else
                     {"capability": "amplify-signal", "direction": "compute",
                      "description": row["cap"]}],
    }
    assert all(x in names for x in req_in)
    return rec


# ---- linear regulators --------------------------------------------------------------------------
# key, pinout (physical order of IN/GND/OUT/EN/NC), VOUT, IOUT, dropout at IOUT, VIN max, quiescent typ/max,
# capacitors (input, output, F), negative
REGULATORS = [
    *[dict(key=f"lm78{v:02d}", pins=["IN", "GND", "OUT"], pkg="TO-220", vout=float(v), io=1.5, drop=2.0,
           vin=40.0 if v == 24 else 35.0, iq=(0.005, 0.008), cin=0.33e-6, cout=0.1e-6,
           src=f"STMicroelectronics L78 datasheet DS0422: L78{v:02d} VO {v} V +/-4 %, output current 1.5 A (internally limited), dropout 2 V typ at 1 A, VI max {40 if v == 24 else 35} V, quiescent current 5-8 mA; 0.33 uF input and 0.1 uF output capacitors",
           aliases=[f"78{v:02d}", f"L78{v:02d}", f"LM78{v:02d}", f"L78{v:02d}CV", f"{v}v regulator"]) for v in (6, 8, 9, 15, 24)],
    dict(key="lm78l05", pins=["OUT", "GND", "IN"], pkg="TO-92", vout=5.0, io=0.1, drop=1.7, vin=30.0, iq=(0.003, 0.006),
         cin=0.33e-6, cout=0.01e-6,
         src="Texas Instruments LM78L05 datasheet SNOSBQ2: VO 5 V +/-5 %, IO 100 mA, dropout 1.7 V typ, VI max 30 V (35 V absolute), quiescent 3 mA typ / 6 mA max; TO-92 pinout OUT, GND, IN; 0.33 uF input and 0.01 uF output capacitors",
         aliases=["78L05", "LM78L05", "L78L05", "small 5v regulator to-92"]),
    dict(key="lm7905", pins=["GND", "IN", "OUT"], pkg="TO-220", vout=-5.0, io=1.5, drop=1.1, vin=-35.0, iq=(0.003, 0.006),
         cin=2.2e-6, cout=1e-6, neg=True,
         src="onsemi MC7900 series datasheet (MC7900/D): MC7905 VO -5 V +/-4 %, IO 1.5 A, dropout 1.1 V typ at 1 A, VI -35 V max, quiescent 3 mA typ / 6 mA max; TO-220 pinout GND, IN, OUT; 2.2 uF input and 1 uF output (tantalum) capacitors",
         aliases=["7905", "LM7905", "L7905", "MC7905", "negative 5v regulator"]),
    dict(key="lm7912", pins=["GND", "IN", "OUT"], pkg="TO-220", vout=-12.0, io=1.5, drop=1.1, vin=-35.0, iq=(0.003, 0.006),
         cin=2.2e-6, cout=1e-6, neg=True,
         src="onsemi MC7900 series datasheet (MC7900/D): MC7912 VO -12 V +/-4 %, IO 1.5 A, dropout 1.1 V typ at 1 A, VI -35 V max, quiescent 3 mA typ / 6 mA max; TO-220 pinout GND, IN, OUT",
         aliases=["7912", "LM7912", "L7912", "MC7912", "negative 12v regulator"]),
    dict(key="mcp1700-3.3", pins=["GND", "IN", "OUT"], pkg="TO-92", vout=3.3, io=0.25, drop=0.178, vin=6.0, iq=(1.6e-6, 4e-6),
         cin=1e-6, cout=1e-6,
         src="Microchip MCP1700 datasheet DS20001826: MCP1700-3302E VR 3.3 V +/-3 %, IOUT 250 mA, dropout 178 mV typ / 350 mV max at 250 mA, VIN 2.3-6.0 V (6.5 V absolute), quiescent 1.6 uA typ / 4 uA max; TO-92 pinout GND, VIN, VOUT; 1 uF ceramic input and output capacitors",
         aliases=["MCP1700", "MCP1700-3302E", "mcp1700 3.3v", "low quiescent ldo 3.3v"]),
    dict(key="ap2112k-3.3", pins=["IN", "GND", "EN", "NC", "OUT"], pkg="SOT-25", vout=3.3, io=0.6, drop=0.25, vin=6.0,
         iq=(55e-6, 80e-6), cin=1e-6, cout=1e-6,
         src="Diodes Inc. AP2112 datasheet DS33025: AP2112K-3.3 VOUT 3.3 V +/-1.5 %, IOUT 600 mA, dropout 250 mV typ / 400 mV max at 600 mA, VIN 2.5-6.0 V (6.5 V absolute), quiescent 55 uA typ / 80 uA max, EN active HIGH (>= 1.5 V); SOT-25 pinout VIN, GND, EN, NC, VOUT; 1 uF ceramic capacitors",
         aliases=["AP2112K-3.3", "AP2112", "ap2112 ldo", "600ma 3.3v ldo"]),
    dict(key="xc6206-3.3", pins=["GND", "OUT", "IN"], pkg="SOT-23", vout=3.3, io=0.2, drop=0.25, vin=6.0, iq=(1e-6, 3e-6),
         cin=1e-6, cout=1e-6,
         src="Torex XC6206 datasheet: XC6206P332MR VOUT 3.3 V +/-2 %, IOUT 200 mA, dropout 250 mV typ at 100 mA, VIN max 6.0 V, quiescent 1 uA typ / 3 uA max; SOT-23 pinout VSS, VOUT, VIN (marking 662K); 1 uF ceramic capacitors",
         aliases=["XC6206", "XC6206P332MR", "662K", "sot-23 3.3v ldo"]),
]


def _regulator(row: dict) -> dict:
    neg = row.get("neg", False)
    vout, io = row["vout"], row["io"]
    pins = []
    for i, n in enumerate(row["pins"]):
        d = {"IN": {"name": "IN", "type": "power_in", "aliases": ["VIN", "INPUT", "VI"], "v_max": abs(row["vin"]),
                    "description": f"Pin {i + 1}: unregulated input" + (" (negative)" if neg else "")},
             "GND": {"name": "GND", "type": "ground", "aliases": ["COM", "COMMON", "VSS"], "group": "gnd",
                     "description": f"Pin {i + 1}"},
             "OUT": {"name": "OUT", "type": "power_out", "aliases": ["VOUT", "OUTPUT", "VO"], "v_out": vout, "i_max": io,
                     "description": f"Pin {i + 1}: regulated {vout:g} V"},
             "EN": {"name": "EN", "type": "digital_in", "functions": ["enable"], "aliases": ["ENABLE", "CE"],
                    "v_max": abs(row["vin"]) + 0.3, "v_min": -0.3,
                    "description": f"Pin {i + 1}: enable, active HIGH: tie to IN to keep it on"},
             "NC": {"name": "NC", "type": "nc", "description": f"Pin {i + 1}: not connected"}}[n]
        pins.append(d)
    dropout = row["drop"]
    req = {"companions": [
        {"kind": "input-capacitor", "pins": ["IN", "GND"], "min": row["cin"], "typical": row["cin"], "severity": "Minor",
         "where": "at the input pin"},
        {"kind": "output-capacitor", "pins": ["OUT", "GND"], "min": row["cout"], "typical": row["cout"],
         "severity": "Major" if row["cout"] >= 1e-6 else "Minor", "where": "at the output pin (stability)"}]}
    if "EN" in row["pins"]:
        req = {"required_pins": ["EN"], "tie": {"EN": "high"}, **req}
    v_desc = f"{vout:g}".replace("-", "minus ")
    # the library's 1 A workhorses keep the plain capabilities; a micropower LDO serves battery needs and a
    # small LDO the "low dropout" ones (a need picks the smallest provider, which must not be a 200 mA part)
    cap = {3.3: "regulate-3v3", 5.0: "regulate-5v", 12.0: "regulate-12v"}.get(vout)
    if cap and row["iq"][0] < 1e-4:
        rec_cap = (f"{cap}-low-power", f"regulate a battery down to a steady {v_desc} volts with a micropower regulator")
    elif cap and io < 0.2:
        rec_cap = (f"{cap}-small", f"regulate a supply down to a steady {v_desc} volts for a small load (up to {io * 1000:g} mA)")
    elif cap and dropout < 1.5:  # the 1117 class (1.1-1.2 V) is sold as a low-dropout regulator
        rec_cap = (f"{cap}-ldo", f"regulate a supply down to a steady {v_desc} volts with a low-dropout regulator")
    else:
        rec_cap = None
    rec = {
        "key": row["key"], "name": f"{row['aliases'][0]} {vout:g} V linear regulator" + (" (LDO)" if dropout < 0.5 else ""),
        "category": "power", "conversion": "linear", "designator": "U", "aliases": row["aliases"],
        "description": f"Fixed {vout:g} V, {io * 1000:g} mA {'negative ' if neg else ''}{'low-dropout ' if dropout < 0.5 else ''}"
                       f"linear regulator in {row['pkg']} ({', '.join(row['pins'])}); about {dropout:g} V dropout.",
        "typical_use": ("A negative rail for op-amps and audio from a split or transformer supply." if neg else
                        (f"A quiet {vout:g} V rail for a microcontroller and sensors; battery-friendly with its "
                         f"{row['iq'][0] * 1e6:g} uA quiescent current." if row["iq"][0] < 1e-4 else
                         f"Making {vout:g} V from a higher battery or adapter voltage; (VIN - VOUT) x IOUT is heat.")),
        "supply": {"v_min": round(abs(vout) + dropout, 3), "v_max": abs(row["vin"]), "v_abs_max": abs(row["vin"]),
                   "current_typ": row["iq"][0], "current_max": row["iq"][1]},
        "package": _package(row["pkg"]),
        "ratings": {"v_out": vout, "i_out_max": io, "dropout": dropout, "v_in_max": abs(row["vin"]),
                    **({"v_reverse_max": row["vrev"]} if row.get("vrev") else {})},
        **({"flags": _mount(row["pkg"])} if _mount(row["pkg"]) else {}),
        "spice": {"kind": "regulator", "terminals": ["IN", "OUT", "GND"]},
        "source": row["src"],
        "notes": "supply.current_typ/max are the quiescent current; supply.v_min is the output plus the dropout. "
                 "spice.terminals are input, output, ground." + (" Voltages of a negative regulator are below ground; "
                 "ratings hold their magnitudes except v_out." if neg else ""),
        "pins": pins,
        "requires": req,
    }
    if rec_cap:
        rec["provides"] = [{"capability": rec_cap[0], "direction": "power", "description": rec_cap[1]}]
    elif cap and not neg:
        rec["provides"] = [{"capability": cap, "direction": "power",
                            "description": f"regulate a supply down to {v_desc} volts"}]
    else:
        rec["provides"] = [{"capability": "regulate-negative" if neg else f"regulate-{v_desc.replace(' ', '').replace('.', 'v')}v",
                            "direction": "power",
                            "description": f"make a steady {v_desc} volt rail" + (" (negative supply)" if neg else "")}]
    return rec

# ---- batch 2 (issue 18): more of the discrete and linear parts makers use ------------------------
BJTS += [
    dict(key="mmbt3904", pol="npn", pins="BEC", pkg="SOT-23 (B-E-C)", vce=40, ic=0.2, hfe=100, hfe_max=300, vbe=0.75,
         ic_vbe=0.01, vsat=0.2, ic_sat=0.01, pd=0.35, ft=300e6, cib=8e-12, cob=4e-12,
         src="onsemi MMBT3904 datasheet (MMBT3904LT1/D): VCEO 40 V, IC 200 mA, PD 225 mW (FR-5) / 300 mW (alumina), hFE 100-300 at 10 mA/1 V, VCE(sat) 0.2 V max at 10 mA/1 mA (0.3 V at 50 mA), VBE(sat) 0.65-0.85 V at 10 mA, fT 300 MHz, Cobo 4 pF, Cibo 8 pF; SOT-23: 1 B, 2 E, 3 C",
         aliases=["MMBT3904", "MMBT3904LT1G", "sot-23 npn transistor", "smd 2n3904"],
         use="The SMD 2N3904: small-signal switching and amplification up to ~100 mA on a PCB."),
    dict(key="mmbt3906", pol="pnp", pins="BEC", pkg="SOT-23 (B-E-C)", vce=40, ic=0.2, hfe=100, hfe_max=300, vbe=0.75,
         ic_vbe=0.01, vsat=0.25, ic_sat=0.01, pd=0.35, ft=250e6, cib=10e-12, cob=4.5e-12,
         src="onsemi MMBT3906 datasheet (MMBT3906LT1/D): VCEO -40 V, IC -200 mA, PD 225 mW (FR-5), hFE 100-300 at -10 mA/-1 V, VCE(sat) -0.25 V max at -10 mA/-1 mA (-0.4 V at -50 mA), fT 250 MHz, Cobo 4.5 pF, Cibo 10 pF; SOT-23: 1 B, 2 E, 3 C",
         aliases=["MMBT3906", "MMBT3906LT1G", "sot-23 pnp transistor", "smd 2n3906"],
         use="The SMD 2N3906: high-side switching of small loads and current mirrors on a PCB."),
    dict(key="bc817", pol="npn", pins="BEC", pkg="SOT-23 (B-E-C)", vce=45, ic=0.5, hfe=100, hfe_max=600, vbe=0.75,
         ic_vbe=0.1, vsat=0.7, ic_sat=0.5, pd=0.25, ft=100e6, cib=50e-12, cob=10e-12,
         src="Nexperia BC817 series datasheet: VCEO 45 V, IC 500 mA, Ptot 250 mW, hFE 100-600 at 100 mA/1 V (-16: 100-250, -25: 160-400, -40: 250-600), VCE(sat) 0.7 V max at 500 mA/50 mA, VBE 1.2 V max at 500 mA/1 V, fT 100 MHz min, Cc 10 pF; SOT-23: 1 B, 2 E, 3 C",
         aliases=["BC817", "BC817-40", "BC817-25", "sot-23 500ma npn"],
         use="SMD low-side switch for relays, buzzers and LED groups up to ~300 mA."),
    dict(key="bc807", pol="pnp", pins="BEC", pkg="SOT-23 (B-E-C)", vce=45, ic=0.5, hfe=100, hfe_max=600, vbe=0.75,
         ic_vbe=0.1, vsat=0.7, ic_sat=0.5, pd=0.25, ft=80e6, cib=50e-12, cob=10e-12,
         src="Nexperia BC807 series datasheet: VCEO -45 V, IC -500 mA, Ptot 250 mW, hFE 100-600 at -100 mA/-1 V (-16/-25/-40 groups), VCE(sat) -0.7 V max at -500 mA/-50 mA, fT 80 MHz min, Cc 10 pF; SOT-23: 1 B, 2 E, 3 C",
         aliases=["BC807", "BC807-40", "BC807-25", "sot-23 500ma pnp"],
         use="SMD high-side switch for loads up to ~300 mA; complement of the BC817."),
]
MOSFETS += [
    dict(key="2n7002", pol="n", pkg="SOT-23", vds=60, vgs=20, id=0.115, vth=(1.0, 2.5), rds=7.5, vgs_r=5, pd=0.2,
         c=(50e-12, 25e-12, 5e-12),
         src="onsemi 2N7000/2N7002/NDS7002A datasheet (NDS7002A/D): 2N7002 VDSS 60 V, ID 115 mA (800 mA pulsed), PD 200 mW, RDS(on) 7.5 Ohm max at VGS 10 V/500 mA and at 5 V/50 mA, VGS(th) 1.0-2.5 V, VGS +/-20 V, Ciss 50 pF max, Coss 25 pF max, Crss 5 pF max; SOT-23: 1 G, 2 S, 3 D",
         aliases=["2N7002", "2N7002LT1G", "sot-23 2n7000", "smd small signal mosfet"], logic=True),
    dict(key="irlz34n", pol="n", pkg="TO-220", vds=55, vgs=16, id=30, vth=(1.0, 2.0), rds=0.046, vgs_r=5, pd=68,
         c=(880e-12, 220e-12, 94e-12),
         src="International Rectifier IRLZ34N datasheet (PD-91337): VDSS 55 V, ID 30 A, RDS(on) 35 mOhm max at VGS 10 V, 46 mOhm at 5 V, 60 mOhm at 4 V, VGS(th) 1.0-2.0 V, VGS +/-16 V, PD 68 W, Ciss 880 pF, Coss 220 pF, Crss 94 pF",
         aliases=["IRLZ34N", "IRLZ34NPBF", "IRLZ34"], logic=True),
    dict(key="irf520n", pol="n", pkg="TO-220", vds=100, vgs=20, id=9.7, vth=(2.0, 4.0), rds=0.2, vgs_r=10, pd=48,
         c=(330e-12, 92e-12, 54e-12),
         src="International Rectifier IRF520N datasheet (PD-91339): VDSS 100 V, ID 9.7 A, RDS(on) 0.20 Ohm max at VGS 10 V, VGS(th) 2.0-4.0 V, VGS +/-20 V, PD 48 W, Ciss 330 pF, Coss 92 pF, Crss 54 pF",
         aliases=["IRF520N", "IRF520NPBF", "irf520n mosfet"], logic=False),
    dict(key="irf5305", pol="p", pkg="TO-220", vds=55, vgs=20, id=31, vth=(2.0, 4.0), rds=0.06, vgs_r=10, pd=110,
         c=(1200e-12, 520e-12, 250e-12),
         src="International Rectifier IRF5305 datasheet (PD-91385): VDSS -55 V, ID -31 A, RDS(on) 60 mOhm max at VGS -10 V, VGS(th) -2.0 to -4.0 V, VGS +/-20 V, PD 110 W, Ciss 1200 pF, Coss 520 pF, Crss 250 pF",
         aliases=["IRF5305", "IRF5305PBF", "p-channel mosfet 31a"], logic=False),
    dict(key="fqp27p06", pol="p", pkg="TO-220", vds=60, vgs=25, id=27, vth=(2.0, 4.0), rds=0.07, vgs_r=10, pd=120,
         c=(1100e-12, 510e-12, 120e-12),
         src="Fairchild (onsemi) FQP27P06 datasheet: VDSS -60 V, ID -27 A (-19.1 A at 100 C), RDS(on) 0.07 Ohm max at VGS -10 V, VGS(th) -2.0 to -4.0 V, VGS +/-25 V, PD 120 W, Ciss 1100 pF typ, Coss 510 pF typ, Crss 120 pF typ, gate charge 33 nC typ",
         aliases=["FQP27P06", "27P06", "60v p-channel mosfet"], logic=False),
]
DIODES += [
    dict(key="1n5818", kind="schottky", vr=30, io=1.0, vf=0.55, if_vf=1.0, vf10=0.24, ir=1e-3, cj=110e-12, trr=0, pkg="DO-41",
         src="onsemi 1N5817-1N5819 datasheet (1N5817/D): 1N5818 VRRM 30 V, IO 1 A, IFSM 25 A, VF 0.33 V max at 0.1 A, 0.55 V at 1 A, 0.875 V at 3 A, IR 1 mA max at rated VR (25 C)",
         aliases=["1N5818", "30v schottky diode"]),
    dict(key="ss24", kind="schottky", vr=40, io=2.0, vf=0.5, if_vf=2.0, vf10=0.2, ir=0.4e-3, cj=150e-12, trr=0, pkg="SMA (DO-214AC)",
         src="Vishay SS22-SS26 datasheet: SS24 VRRM 40 V, IF(AV) 2 A, IFSM 50 A, VF 0.50 V max at 2 A, IR 0.4 mA max at rated VR (25 C)",
         aliases=["SS24", "SK24", "smd schottky 2a"]),
    dict(key="ss54", kind="schottky", vr=40, io=5.0, vf=0.55, if_vf=5.0, vf10=0.18, ir=0.5e-3, cj=400e-12, trr=0, pkg="SMC (DO-214AB)",
         src="Micro Commercial Components SS52-SS56 datasheet: SS54 VRRM 40 V, IF(AV) 5 A, IFSM 150 A, VF 0.55 V max at 5 A, IR 0.5 mA max at rated VR (25 C)",
         aliases=["SS54", "SK54", "smd schottky 5a"]),
]
OPAMPS += [
    dict(key="lm833",
         desc='Low-noise dual audio op-amp (TI LM833): 4.5 nV/rtHz input noise, 15 MHz, 7 V/us, low distortion; 10-36 V total supply (+/-5 to +/-18 V), for split-supply audio circuits.',
         layout="dual8", vmin=10, vmax=36, vabs=36, iq=(0.005, 0.008), gbw=15e6, slew=7e6, avol=100e3,
         vos=0.0003, ib=500e-9, hh=1.3, hl=1.3, io=0.04, cm=(1.0, -1.0), rail_in=False,
         src="Texas Instruments LM833 datasheet SNOSBD8: supply +/-5 to +/-18 V, supply current 5 mA typ / 8 mA max (both amplifiers), GBW 15 MHz, slew 7 V/us, AVOL 100 dB typ, VOS 0.3 mV typ, IB 500 nA typ, output swing +/-13.7 V at +/-15 V (2 kOhm), input common mode +/-14 V at +/-15 V, input noise 4.5 nV/rtHz",
         aliases=["LM833", "LM833N", "MC33078", "dual audio op amp"], use="Low-noise audio preamplifiers, tone controls and active filters on +/-12 to +/-15 V.",
         cap="amplify an audio signal with a low-noise dual op-amp on a split supply"),
    dict(key="opa2134",
         desc='Dual FET-input audio op-amp (TI OPA2134) with ultra-low distortion (0.00008 % THD+N) and 5 pA input bias: 5-36 V total supply (+/-2.5 to +/-18 V), 8 MHz, 20 V/us, output within about 1 V of the rails.',
         layout="dual8", vmin=5, vmax=36, vabs=36, iq=(0.008, 0.01), gbw=8e6, slew=20e6, avol=1e6,
         vos=0.0005, ib=5e-12, hh=1.0, hl=1.0, io=0.035, cm=(2.5, -2.5), rail_in=False,
         src="Texas Instruments OPA134/OPA2134 datasheet SBOS058: supply +/-2.5 to +/-18 V, 4 mA per amplifier typ (5 mA max), GBW 8 MHz, slew 20 V/us, AOL 120 dB typ, VOS 0.5 mV typ, IB 5 pA typ (FET input), input common mode (V-) + 2.5 V to (V+) - 2.5 V, output within ~1 V of the rails (600 Ohm: 1.2 V), output current 35 mA, THD+N 0.00008 %",
         aliases=["OPA2134", "OPA2134PA", "OPA134", "audiophile op amp"], use="High-fidelity audio stages (headphone amps, DAC output filters, preamps) on a split supply.",
         cap="amplify or buffer a hi-fi audio signal with a low-distortion FET-input op-amp"),
    dict(key="mcp6004", layout="quad14", vmin=1.8, vmax=6.0, vabs=7.0, iq=(0.0004, 0.00068), gbw=1e6, slew=0.6e6, avol=300e3,
         vos=0.0045, ib=1e-12, hh=0.025, hl=0.025, io=0.023, cm=(-0.3, 0.3), rail_in=True,
         src="Microchip MCP6001/1R/1U/2/4 datasheet DS20001733: MCP6004 quad, VDD 1.8-6.0 V (7.0 V absolute), 100 uA per amplifier typ (170 uA max), GBW 1 MHz, slew 0.6 V/us, AOL 88 dB min / 112 dB typ, VOS +/-4.5 mV max, IB 1 pA, input common mode VSS - 0.3 V to VDD + 0.3 V, output within 25 mV of the rails, short-circuit current 23 mA at 5.5 V; pinout like the LM324",
         aliases=["MCP6004", "MCP6004-I/P", "quad rail to rail op amp"], use="Four rail-to-rail amplifiers or buffers for 3.3 V / 5 V sensor front ends.",
         cap="amplify or buffer several sensor signals with rail-to-rail op-amps on a 3.3 or 5 volt supply"),
    dict(key="mcp6001", layout="single5", vmin=1.8, vmax=6.0, vabs=7.0, iq=(0.0001, 0.00017), gbw=1e6, slew=0.6e6, avol=300e3,
         vos=0.0045, ib=1e-12, hh=0.025, hl=0.025, io=0.023, cm=(-0.3, 0.3), rail_in=True,
         src="Microchip MCP6001/1R/1U/2/4 datasheet DS20001733: MCP6001 single, VDD 1.8-6.0 V (7.0 V absolute), IQ 100 uA typ / 170 uA max, GBW 1 MHz, slew 0.6 V/us, AOL 88 dB min / 112 dB typ, VOS +/-4.5 mV max, IB 1 pA, input common mode VSS - 0.3 V to VDD + 0.3 V, output within 25 mV of the rails, short-circuit current 23 mA at 5.5 V; SOT-23-5: 1 VOUT, 2 VSS, 3 VIN+, 4 VIN-, 5 VDD",
         aliases=["MCP6001", "MCP6001T-I/OT", "sot-23 op amp", "single rail to rail op amp"], use="A tiny rail-to-rail buffer or gain stage for one sensor on a 3.3 V / 5 V board.",
         cap="buffer or amplify one sensor signal with a tiny rail-to-rail op-amp"),
    dict(key="lm2904",
         desc='Dual single-supply op-amp (TI LM2904) rated -40 to +125 C, the automotive temperature grade of the LM358: 3-26 V supply, inputs and output reach ground, output up to 1.5 V below VCC; 0.7 MHz, 0.3 V/us.',
         layout="dual8", vmin=3, vmax=26, vabs=26, iq=(0.0007, 0.0012), gbw=0.7e6, slew=0.3e6, avol=100e3,
         vos=0.003, ib=20e-9, hh=1.5, hl=0.005, io=0.03, cm=(0.0, -1.5), rail_in=False,
         src="Texas Instruments LM358/LM2904 datasheet SLOS068: LM2904 VCC 3-26 V (26 V absolute), supply current 0.7 mA typ / 1.2 mA max (both amplifiers, 5 V), GBW 0.7 MHz, slew 0.3 V/us, AVOL 100 V/mV typ, VOS 3 mV typ, IB 20 nA typ, input common mode 0 to VCC - 1.5 V, output high VCC - 1.5 V, output source 30 mA; -40 to 125 C",
         aliases=["LM2904", "LM2904N", "automotive lm358"], use="The LM358 rated -40 to 125 C: single-supply sensor amplifiers in hot or outdoor places.",
         cap="amplify a small sensor signal with a single-supply op-amp rated for heat"),
    dict(key="lm2903", layout="dual8", vmin=2, vmax=36, vabs=36, iq=(0.0004, 0.001), gbw=1e6, slew=1e6, avol=200e3,
         vos=0.002, ib=25e-9, hh=0.0, hl=0.15, io=0.016, cm=(0.0, -1.5), rail_in=False, comparator=True,
         src="Texas Instruments LM393/LM2903 datasheet SLCS005: LM2903 VCC 2-36 V, supply current 0.4 mA typ / 1 mA max (both comparators, 5 V), open-collector outputs sinking 16 mA typ (6 mA min), VOL 0.15 V typ at 4 mA, VOS 2 mV typ, IB 25 nA, input common mode 0 to VCC - 1.5 V, response 1.3 us; -40 to 125 C",
         aliases=["LM2903", "LM2903N", "automotive lm393"], use="The LM393 rated -40 to 125 C: two threshold detectors (light, temperature, battery level) with pull-ups on the outputs."),
]
REGULATORS += [
    dict(key="lm2940-5.0", pins=["IN", "GND", "OUT"], pkg="TO-220", vout=5.0, io=1.0, drop=0.5, vin=26.0, iq=(0.010, 0.015),
         cin=0.47e-6, cout=22e-6, vrev=15.0,
         src="Texas Instruments (National) LM2940/LM2940C datasheet SNVS769: LM2940CT-5.0 VO 5 V +/-3 %, output current 1 A, dropout 0.5 V typ / 0.8 V max at 1 A (1 V max over temperature), VIN 26 V max operating (60 V transient; reverse-battery protected: reverse polarity DC input -15 V with RL 100 Ohm), quiescent 10 mA typ / 15 mA max at 5 mA load (30 mA at 1 A); TO-220 pinout IN, GND, OUT; 0.47 uF input and at least 22 uF output capacitors (ESR critical)",
         aliases=["LM2940-5.0", "LM2940CT-5.0", "LM2940", "5v 1a ldo", "automotive 5v regulator"]),
    dict(key="ams1117-5.0", pins=["GND", "OUT", "IN"], pkg="SOT-223", vout=5.0, io=1.0, drop=1.1, vin=15.0, iq=(0.005, 0.011),
         cin=10e-6, cout=22e-6,
         src="Advanced Monolithic Systems AMS1117 datasheet: AMS1117-5.0 VOUT 5 V +/-1 %, output current 1 A (current limit 1.1 A min), dropout 1.1 V typ / 1.3 V max at 800 mA, VIN max 15 V, quiescent 5 mA typ / 11 mA max; SOT-223 pinout GND/ADJ, VOUT, VIN (tab = VOUT); 10 uF input and 22 uF tantalum output capacitors",
         aliases=["AMS1117-5.0", "AMS1117 5V", "1117 5v", "sot-223 5v regulator"]),
    dict(key="lm1117-3.3", pins=["GND", "OUT", "IN"], pkg="SOT-223", vout=3.3, io=0.8, drop=1.2, vin=15.0, iq=(0.005, 0.01),
         cin=10e-6, cout=10e-6,
         src="Texas Instruments LM1117 datasheet SNOS412: LM1117-3.3 VOUT 3.3 V +/-1 %, output current 800 mA, dropout 1.2 V typ / 1.3 V max at 800 mA, VIN max 15 V (20 V absolute), quiescent 5 mA typ / 10 mA max; SOT-223 pinout GND/ADJ, VOUT, VIN (tab = VOUT); 10 uF tantalum input and output capacitors",
         aliases=["LM1117-3.3", "LM1117MPX-3.3", "LM1117", "800ma 3.3v regulator"]),
    dict(key="lp2950-5.0", pins=["OUT", "GND", "IN"], pkg="TO-92", vout=5.0, io=0.1, drop=0.38, vin=30.0, iq=(75e-6, 120e-6),
         cin=1e-6, cout=1e-6,
         src="Texas Instruments LP2950/LP2951 datasheet SNVS764: LP2950-5.0 VOUT 5 V +/-0.5 %, output current 100 mA, dropout 380 mV typ / 450 mV max at 100 mA, VIN max 30 V, quiescent 75 uA typ / 120 uA max at 100 uA load (8 mA at 100 mA); TO-92 pinout OUTPUT, GROUND, INPUT; 1 uF input and output capacitors",
         aliases=["LP2950-5.0", "LP2950CZ-5.0", "LP2950", "micropower 5v regulator"]),
    dict(key="lp2950-3.3", pins=["OUT", "GND", "IN"], pkg="TO-92", vout=3.3, io=0.1, drop=0.38, vin=30.0, iq=(75e-6, 120e-6),
         cin=1e-6, cout=2.2e-6,
         src="Texas Instruments LP2950/LP2951 datasheet SNVS764: LP2950-3.3 VOUT 3.3 V +/-0.5 %, output current 100 mA, dropout 380 mV typ / 450 mV max at 100 mA, VIN max 30 V, quiescent 75 uA typ / 120 uA max at 100 uA load; TO-92 pinout OUTPUT, GROUND, INPUT; 1 uF input and 2.2 uF output capacitors (3.3 V version)",
         aliases=["LP2950-3.3", "LP2950CZ-3.3", "micropower 3.3v regulator to-92"]),
]


# How common each part is in makers' hands (record field ``commonness``, knowledge/preference.py: it
# decides among parts that meet a need equally). A row not listed here is "common" (widely stocked);
# "specialist" marks a part stocked for a purpose, which a generic need should not get by default.
COMMONNESS = {
    "bc549": "specialist",    # the low-noise selection of the BC548
    "2n5551": "specialist",   # 160 V
    "2n5401": "specialist",   # 150 V
    "irf840": "specialist",   # 500 V
    "2n3055": "specialist",   # TO-3 power transistor for linear supplies
}


# Thermal figures (record fields ratings.theta_ja / theta_jc / t_j_max, knowledge.heat_reading): junction to
# ambient in still air with no heatsink, junction to case for a package a heatsink bolts to (TO-220, TO-126, TO-3;
# none for a surface-mount part, whose heatsink is the board's copper), and the highest operating junction
# temperature, each from the datasheet its row's source names (where the datasheet states no junction-to-case
# figure, the case-rated dissipation gives it: (TJ - 25 C) / PD). key -> (theta_ja, theta_jc or None, t_j_max, citation)
_IR_TO220 = "RthJA 62 C/W (TO-220, free air), TJ 175 C"
THERMAL = {
    "irfz44n": (62.0, 1.5, 175.0, f"IRFZ44N datasheet thermal resistance: RthJC 1.5 C/W, {_IR_TO220}"),
    "irf3205": (62.0, 0.75, 175.0, f"IRF3205 datasheet thermal resistance: RthJC 0.75 C/W, {_IR_TO220}"),
    "irf530n": (62.0, 2.15, 175.0, f"IRF530N datasheet thermal resistance: RthJC 2.15 C/W, {_IR_TO220}"),
    "irf520n": (62.0, 3.1, 175.0, f"IRF520N datasheet thermal resistance: RthJC 3.1 C/W, {_IR_TO220}"),
    "irlb8721": (62.0, 2.3, 175.0, f"IRLB8721PbF datasheet thermal resistance: RthJC 2.3 C/W, {_IR_TO220}"),
    "irl540n": (62.0, 1.1, 175.0, f"IRL540N datasheet thermal resistance: RthJC 1.1 C/W, {_IR_TO220}"),
    "irlz34n": (62.0, 2.2, 175.0, f"IRLZ34N datasheet thermal resistance: RthJC 2.2 C/W, {_IR_TO220}"),
    "irf4905": (62.0, 0.75, 175.0, f"IRF4905 datasheet thermal resistance: RthJC 0.75 C/W, {_IR_TO220}"),
    "irf5305": (62.0, 1.4, 175.0, f"IRF5305 datasheet thermal resistance: RthJC 1.4 C/W, {_IR_TO220}"),
    "irf9z34n": (62.0, 2.2, 175.0, f"IRF9Z34N datasheet thermal resistance: RthJC 2.2 C/W, {_IR_TO220}"),
    "irf840": (62.0, 1.0, 150.0, "Vishay IRF840 thermal resistance ratings: RthJC 1.0 C/W, RthJA 62 C/W, TJ 150 C"),
    "fqp30n06l": (62.5, 1.9, 175.0, "FQP30N06L thermal characteristics: RthJC 1.9 C/W, RthJA 62.5 C/W, TJ 175 C"),
    "fqp27p06": (62.5, 1.25, 175.0, "FQP27P06 thermal characteristics: RthJC 1.25 C/W, RthJA 62.5 C/W, TJ 175 C"),
    "stp55nf06l": (62.5, 1.58, 175.0, "STP55NF06L thermal data: Rthj-case 1.58 C/W, Rthj-amb 62.5 C/W, TJ 175 C"),
    "ao3401": (125.0, None, 150.0, "AO3401A thermal characteristics: RthJA 125 C/W max steady state (1 in2 FR-4 pad), TJ 150 C"),
    "2n7002": (357.0, None, 150.0, "2N7002 thermal resistance junction-to-ambient 357 C/W (steady state), TJ 150 C"),
    "tip122": (62.5, 1.92, 150.0, "onsemi TIP120/D thermal characteristics: RthJC 1.92 C/W, RthJA 62.5 C/W, TJ 150 C"),
    "tip127": (62.5, 1.92, 150.0, "onsemi TIP125/D thermal characteristics: RthJC 1.92 C/W, RthJA 62.5 C/W, TJ 150 C"),
    "tip31c": (62.5, 3.125, 150.0, "onsemi TIP31A/D thermal characteristics: RthJC 3.125 C/W, RthJA 62.5 C/W, TJ 150 C"),
    "tip32c": (62.5, 3.125, 150.0, "onsemi TIP32A/D thermal characteristics: RthJC 3.125 C/W, RthJA 62.5 C/W, TJ 150 C"),
    "tip42c": (62.5, 1.92, 150.0, "onsemi TIP42A/D thermal characteristics: RthJC 1.92 C/W, RthJA 62.5 C/W, TJ 150 C"),
    "bd140": (100.0, 10.0, 150.0, "ST BD136/BD138/BD140 thermal data: Rthj-case 10 C/W, Rthj-amb 100 C/W, TJ 150 C"),
    "2n3055": (35.0, 1.52, 200.0, "onsemi 2N3055/D: RthJC 1.52 C/W, TJ 200 C; the sheet states no junction-to-ambient "
                                  "figure: 35 C/W is the TO-3 case's still-air figure"),
    "bc337": (200.0, None, 150.0, "onsemi BC337/D thermal characteristics: RthJA 200 C/W, TJ 150 C"),
    "2n4401": (200.0, None, 150.0, "onsemi 2N4401/D thermal characteristics: RthJA 200 C/W, TJ 150 C"),
    "s8050": (200.0, None, 150.0, "S8050 datasheet: PD 625 mW at TA 25 C and TJ 150 C, so RthJA (150 - 25) / 0.625 "
                                  "= 200 C/W"),
    **{f"lm78{v:02d}": (50.0, 5.0, 125.0, "ST L78 datasheet DS0422 table 2 thermal data (TO-220): RthJC 5 C/W, "
                                          "RthJA 50 C/W; operating junction temperature up to 125 C")
       for v in (6, 8, 9, 15, 24)},
    "lm7905": (65.0, 5.0, 150.0, "onsemi MC7900/D thermal characteristics (TO-220): RthJA 65 C/W, RthJC 5 C/W, TJ 150 C"),
    "lm7912": (65.0, 5.0, 150.0, "onsemi MC7900/D thermal characteristics (TO-220): RthJA 65 C/W, RthJC 5 C/W, TJ 150 C"),
    "lm2940-5.0": (60.0, 3.0, 125.0, "National LM2940 datasheet thermal resistance (TO-220): junction to ambient 60 C/W, "
                                     "junction to case 3 C/W; operating junction temperature up to 125 C"),
    "lm1117-3.3": (136.0, None, 125.0, "National LM1117 datasheet (LM1117__national_mikedanylov.pdf): thermal resistance "
                                       "junction to ambient 136 C/W (SOT-223, no heat sink), operating junction "
                                       "temperature up to 125 C"),
    "ams1117-5.0": (150.0, None, 125.0, "AMS1117 datasheet (SOT-223): thermal resistance junction to ambient 150 C/W, "
                                        "operating junction temperature up to 125 C"),
}


def _with_thermal(rec: dict) -> dict:
    th = THERMAL.get(rec["key"])
    if th is not None:
        ja, jc, tj, cite = th
        rec["ratings"] = {**rec["ratings"], "theta_ja": ja, **({"theta_jc": jc} if jc else {}), "t_j_max": tj}
        rec["source"] = f"{rec['source']}; {cite}"
    return rec


FAMILIES = {
    "Bipolar transistors": lambda: [_bjt(r) for r in BJTS],
    "MOSFETs": lambda: [_mosfet(r) for r in MOSFETS],
    "Rectifier, fast and Schottky diodes": lambda: [_diode(r) for r in DIODES],
    "1N47xxA 1 W zener diodes": lambda: [_zener(*z) for z in ZENERS],
    "Transient-voltage suppressors": lambda: [_tvs(r) for r in TVS],
    "Op-amps and comparators": lambda: [_opamp(r) for r in OPAMPS],
    "Linear regulators": lambda: [_regulator(r) for r in REGULATORS],
}


def _with_commonness(rec: dict) -> dict:
    if rec["key"] in COMMONNESS:
        rec["commonness"] = COMMONNESS[rec["key"]]
    return _with_thermal(rec)


def records() -> list[dict]:
    return [_with_commonness(rec) for make in FAMILIES.values() for rec in make()]


def write(out_dir: Path = OUT_DIR) -> list[Path]:
    """One file per record, named for its key like every other record (the library's order is by file name)."""
    written = []
    for title, make in FAMILIES.items():
        for rec in map(_with_commonness, make()):
            path = out_dir / f"{rec['key']}.yaml"
            head = (f"# {title}: GENERATED by `python -m knowledge.families` from its reviewed table of datasheet\n"
                    f"# figures; edit the table there, not this file. The model card is fitted to the figures.\n")
            path.write_text(head + yaml.safe_dump(rec, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    print(f"{len(write())} records written to {OUT_DIR}")
