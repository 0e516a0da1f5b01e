"""Independent check of an emitted sizing netlist: the benchmark's own small ngspice testbenches.

The sizing engine measures its candidates with its own testbenches. This module does not reuse
any of them: it takes the circuit section of the emitted ``netlist.cir`` (everything above the
testbench mark: the parts a person builds, on the named ports), adds its own sources and
analysis, runs ngspice and reads the result with its own code. A spec is met when the measured
value is inside the intended window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from circuit.sim import SimulationError, simulate
from circuit.sizing.subcircuit import spice_value

MARK = "* ---- testbench"
# the window each intended spec is checked against (fraction of the target, or absolute for duty)
TOL = {"vout": 0.03, "i_led": 0.10, "f_c": 0.10, "q": 0.10, "gain": 0.03, "f_unity": 0.10, "v_threshold": 0.03,
       "v_th_high": 0.04, "v_th_low": 0.04, "frequency": 0.10, "pulse_width": 0.10, "t_debounce": 0.10, "ic": 0.25,
       "f0": 0.10, "bandwidth": 0.15, "cmrr_db": 0.0, "duty": 0.03}


@dataclass
class Check:
    met: bool
    measured: dict[str, float]
    detail: str = ""


def circuit_of(netlist: str) -> str:
    """The built circuit: the netlist above the testbench mark, without its title comments."""
    body = netlist.split(MARK)[0]
    return "\n".join(ln for ln in body.splitlines() if ln.strip()) + "\n"


def _n(x: float) -> str:
    return f"{x:.6g}"


def _run(deck: str):
    try:
        return simulate(deck, timeout=30)
    except SimulationError:  # once more: a busy machine can starve one run
        return simulate(deck, timeout=60)


def _db(h):
    return 20 * np.log10(np.maximum(np.abs(h), 1e-30))


def _cross(x, y, level, rising: bool, start: int = 0) -> float | None:
    for i in range(start, len(y) - 1):
        a, b = y[i], y[i + 1]
        if (rising and a < level <= b) or (not rising and a > level >= b):
            t = (level - a) / (b - a)
            return float(x[i] + t * (x[i + 1] - x[i]))
    return None


def _cross_log(f, y, level, rising: bool, start: int = 0) -> float | None:
    v = _cross(np.log10(f), y, level, rising, start)
    return None if v is None else float(10 ** v)


def _supplies(env: dict) -> str:
    return f"VCC vcc 0 DC {_n(env.get('vcc', 5.0))}\nVEE vee 0 DC {_n(env.get('vee', 0.0))}\n"


def measure(block: str, circuit: str, env: dict, specs: dict[str, float]) -> dict[str, float]:
    """Measured values of the intended specs for one block kind (SI units)."""
    m: dict[str, float] = {}
    if block == "voltage_divider":
        load = f"RL out 0 {_n(specs['vout'] / env['i_load'])}\n" if env.get("i_load") and "vout" in specs else ""
        r = _run(f"div\n{circuit}VIN in 0 DC {_n(env['vin'])}\n{load}.op\n.end\n")
        m["vout"] = r.node("out")
        m["i_divider"] = -r.current("vin")
    elif block == "led_driver":
        r = _run(f"led\n{circuit}VS vs 0 DC {_n(env['vsupply'])}\n.op\n.end\n")
        m["i_led"] = -r.current("vs")
    elif block in ("rc_lowpass", "rc_highpass", "rl_lowpass", "rl_highpass"):
        r = _run(f"flt\n{circuit}VIN in 0 DC 0 AC 1\n.ac dec 50 0.01 100Meg\n.end\n")
        f, g = np.real(r["frequency"]), _db(r["out"])
        hp = "highpass" in block
        ref = g[-1] if hp else g[0]
        m["f_c"] = _cross_log(f, g, ref - 3.0103, rising=hp)
    elif block == "sallen_key_lowpass":
        r = _run(f"sk\n{circuit}{_supplies(env)}VIN in 0 DC 0 AC 1\n.ac dec 100 0.1 10Meg\n.end\n")
        f, h = np.real(r["frequency"]), r["out"]
        fc0 = specs.get("f_c", 1e3)
        i0 = int(np.argmin(abs(np.log(f / (fc0 / 20)))))
        g = _db(h)
        m["f_c"] = _cross_log(f, g, g[i0] - 3.0103, rising=False, start=i0)
        ph = np.unwrap(np.angle(h))
        k = np.where(ph - ph[i0] <= -math.pi / 2)[0]
        m["q"] = float(abs(h[k[0]]) / abs(h[i0])) if len(k) else math.nan
    elif block in ("noninverting_amplifier", "inverting_amplifier", "difference_amplifier"):
        stim = ("VA a 0 DC 0 AC -0.5\nVB b 0 DC 0 AC 0.5\n" if block == "difference_amplifier"
                else "VIN in 0 DC 0 AC 1\n")
        r = _run(f"amp\n{circuit}{_supplies(env)}{stim}.ac dec 40 1 100Meg\n.end\n")
        f, g = np.real(r["frequency"]), _db(r["out"])
        i = int(np.argmax(g))
        m["gain"] = float(10 ** (g[i] / 20))
        m["bandwidth"] = _cross_log(f, g, g[i] - 3.0103, rising=False, start=i) or math.nan
        if block != "difference_amplifier":  # what the source sees, at mid-band
            m["r_in"] = float(1 / max(abs(r["vin#branch"][i]), 1e-30))
        if block == "difference_amplifier":
            rc = _run(f"cm\n{circuit}{_supplies(env)}VA a 0 DC 0 AC 1\nVB b 0 DC 0 AC 1\n.ac dec 5 100 1k\n.end\n")
            m["cmrr_db"] = float(20 * np.log10(m["gain"] / max(np.max(np.abs(rc["out"])), 1e-30)))
    elif block == "integrator":
        r = _run(f"int\n{circuit}{_supplies(env)}VIN in 0 DC 0 AC 1\n.ac dec 50 0.01 10Meg\n.end\n")
        f, g = np.real(r["frequency"]), _db(r["out"])
        m["f_unity"] = _cross_log(f, g, 0.0, rising=False, start=int(np.argmax(g)))
    elif block == "comparator":
        lo, hi = env.get("vee", 0.0), env.get("vcc", 5.0)
        r = _run(f"cmp\n{circuit}{_supplies(env)}VIN in 0 DC 0\n.dc VIN {_n(lo)} {_n(hi)} 0.002\n.end\n")
        vin = np.real(r["v-sweep"]) if "v-sweep" in r.vectors else np.real(r["in"])
        out = np.real(r["out"])
        m["v_threshold"] = _cross(vin, out, (out.max() + out.min()) / 2, rising=True)
    elif block == "schmitt_trigger":
        lo, hi = env.get("vee", 0.0), env.get("vcc", 5.0)
        r = _run(f"st\n{circuit}{_supplies(env)}VIN in 0 PWL(0 {_n(lo)} 50m {_n(hi)} 100m {_n(lo)})\n"
                 f".tran 10u 100m\n.end\n")
        t, vin, out = np.real(r["time"]), np.real(r["in"]), np.real(r["out"])
        mid = (out.max() + out.min()) / 2
        half = int(np.searchsorted(t, 50e-3))
        d = np.where((out[:-1] > mid) & (out[1:] <= mid))[0]
        u = np.where((out[:-1] < mid) & (out[1:] >= mid))[0]
        d, u = [i for i in d if i < half], [i for i in u if i >= half]
        if d and u:
            m["v_th_high"], m["v_th_low"] = float(vin[d[0]]), float(vin[u[0]])
    elif block == "bjt_switch":
        vl = env.get("vload", 5.0)
        rl = vl / env["i_load"] if env.get("i_load") else env.get("r_load", 120.0)
        r = _run(f"sw\n{circuit}VL vl 0 DC {_n(vl)}\nRLOAD vl c {_n(rl)}\nVD drive 0 DC {_n(env.get('v_drive', 5.0))}\n.op\n.end\n")
        m["ic"], m["vce_sat"], m["i_pin"] = -r.current("vl"), r.node("c"), -r.current("vd")
        m["_need"] = vl / rl
    elif block == "mosfet_switch":
        vl = env.get("vload", 12.0)
        rl = vl / env["i_load"] if env.get("i_load") else env.get("r_load", 12.0)
        r = _run(f"fet\n{circuit}VL vl 0 DC {_n(vl)}\nRLOAD vl d {_n(rl)}\nVD drive 0 DC {_n(env.get('v_drive', 5.0))}\n.op\n.end\n")
        m["i_load"], m["vds_on"] = -r.current("vl"), r.node("d")
        m["i_gate_peak"] = env.get("v_drive", 5.0) / _first_value(circuit, "RG")
        m["_need"] = vl / rl
    elif block == "ne555_astable":
        f0 = specs.get("frequency", 1.0)
        per = 1 / f0
        settle = 2e-3  # power-up: the control pin's capacitor charges; measure after it
        t_end = settle + 8 * per
        r = _run(f"ast\n{circuit}VCC vcc 0 DC {_n(env.get('vcc', 5.0))}\n.tran {_n(per / 500)} {_n(t_end)} 0 "
                 f"{_n(per / 500)} uic\n.end\n")
        t, out = np.real(r["time"]), np.real(r["out"])
        mid = (out.max() + out.min()) / 2
        ups = [_cross(t, out, mid, True, i) for i in np.where((out[:-1] < mid) & (out[1:] >= mid))[0]]
        downs = [_cross(t, out, mid, False, i) for i in np.where((out[:-1] > mid) & (out[1:] <= mid))[0]]
        ups = [u for u in ups[2:] if u > settle]
        if len(ups) >= 2:
            period = float(np.median(np.diff(ups)))
            highs = [next(d for d in downs if d > u) - u for u in ups[:-1] if any(d > u for d in downs)]
            m["frequency"] = 1 / period
            m["duty"] = float(np.median(highs)) / period if highs else math.nan
    elif block == "ne555_monostable":
        tp = specs.get("pulse_width", 1e-3)
        vcc = env.get("vcc", 5.0)
        t1 = max(tp * 0.2, 2e-3)  # trigger after power-up has settled the control pin
        r = _run(f"mono\n{circuit}VCC vcc 0 DC {_n(vcc)}\nVT trig 0 PWL(0 {_n(vcc)} {_n(t1)} {_n(vcc)} {_n(t1 + 1e-7)} 0 "
                 f"{_n(t1 + tp * 0.05)} 0 {_n(t1 + tp * 0.05 + 1e-7)} {_n(vcc)})\n.tran {_n(tp / 1000)} "
                 f"{_n(t1 + tp * 2.5)} 0 {_n(tp / 1000)} uic\n.end\n")
        t, out = np.real(r["time"]), np.real(r["out"])
        mid = (out.max() + out.min()) / 2
        a, b = _cross(t, out, mid, True), None
        if a is not None:
            b = _cross(t, out, mid, False, int(np.searchsorted(t, a)))
        if a is not None and b is not None:
            m["pulse_width"] = b - a
    elif block == "lm317_regulator":
        r = _run(f"reg\n{circuit}VIN vin 0 DC {_n(env['vin'])}\nIL out 0 DC {_n(env.get('i_load', 0.1))}\n.op\n.end\n")
        m["vout"] = r.node("out")
    elif block == "zener_regulator":
        r = _run(f"z\n{circuit}VIN vin 0 DC {_n(env['vin_min'])}\nIL out 0 DC {_n(env.get('i_load', 0.01))}\n.op\n.end\n")
        m["vout"] = r.node("out")
    elif block == "rc_debounce":
        vcc = env.get("vcc", 5.0)
        td = specs.get("t_debounce", 0.01)
        # the contact held closed, then opened at t0: how long until the logic input passes 0.6·VCC
        t0 = 2 * td
        r = _run(f"db\n{circuit}VCC vcc 0 DC {_n(vcc)}\nVC press 0 PWL(0 1 {_n(t0)} 1 {_n(t0 + td / 1000)} 0)\n"
                 f".ic v(in)=0\n.tran {_n(td / 500)} {_n(t0 + 4 * td)} 0 {_n(td / 500)} uic\n.end\n")
        t, v = np.real(r["time"]), np.real(r["in"])
        x = _cross(t, v, 0.6 * vcc, True, int(np.searchsorted(t, t0)))
        if x is not None:
            m["t_debounce"] = x - t0
    elif block == "common_emitter":
        r = _run(f"ce\n{circuit}VCC vcc 0 DC {_n(env.get('vcc', 12.0))}\nVIN in 0 DC 0 AC 1\nRL out 0 100k\n"
                 f".ac dec 10 1k 10k\n.end\n")
        m["gain"] = float(np.abs(r["out"][0]))
        rop = _run(f"ceop\n{circuit}VCC vcc 0 DC {_n(env.get('vcc', 12.0))}\nVIN in 0 DC 0\nRL out 0 100k\n.op\n.end\n")
        m["ic"] = (env.get("vcc", 12.0) - rop.node("c")) / _first_value(circuit, "RC")
    elif block == "rlc_bandpass":
        f0 = specs.get("f0", 1e3)
        r = _run(f"bp\n{circuit}VIN in 0 DC 0 AC 1\n.ac dec 500 {_n(f0 / 100)} {_n(f0 * 100)}\n.end\n")
        f, g = np.real(r["frequency"]), _db(r["out"])
        i = int(np.argmax(g))
        lo = _cross_log(f[: i + 1][::-1], g[: i + 1][::-1], g[i] - 3.0103, rising=False)
        hi = _cross_log(f, g, g[i] - 3.0103, rising=False, start=i)
        if lo and hi:
            m["f0"] = math.sqrt(lo * hi)
            m["bandwidth"] = hi - lo
            m["q"] = m["f0"] / m["bandwidth"]
    elif block == "i2c_pullup":
        vcc, c = env.get("vcc", 3.3), env["c_bus"]
        rp = _first_value(circuit, "R1")
        tau = rp * c
        lines = f"VCC vcc 0 DC {_n(vcc)}\nCA sda 0 {_n(c)}\nCB scl 0 {_n(c)}\n"
        r = _run(f"i2c\n{circuit}{lines}.ic v(sda)=0 v(scl)=0\n.tran {_n(tau / 400)} {_n(tau * 6)} 0 {_n(tau / 400)} uic\n.end\n")
        for line in ("sda", "scl"):
            t, v = np.real(r["time"]), np.real(r[line])
            a, b = _cross(t, v, 0.3 * vcc, True), _cross(t, v, 0.7 * vcc, True)
            if a is not None and b is not None:
                m[f"_rise_{line}"] = b - a
        rop = _run(f"i2cop\n{circuit}{lines}VLO sda 0 DC 0.4\nVLC scl 0 DC 0.4\n.op\n.end\n")
        m["_sink"] = max(abs(rop.current("vlo")), abs(rop.current("vlc")))
        # the I2C specification's limits for the bus speed (UM10204 Table 10): rise time and sink current
        f = env["f_scl"]
        m["_rise_max"], m["_sink_max"] = (1000e-9, 3e-3) if f <= 100e3 else (300e-9, 3e-3) if f <= 400e3 else (120e-9, 20e-3)
    else:
        raise KeyError(f"no independent testbench for {block}")
    return m


def _first_value(circuit: str, ref: str) -> float:
    for ln in circuit.splitlines():
        tok = ln.split()
        if tok and tok[0] == ref:
            return spice_value(tok[3])
    raise KeyError(ref)


def check(block: str, netlist: str, env: dict, specs: list[tuple[str, str, float]]) -> Check:
    """Simulate the emitted netlist's circuit with this module's testbench and compare to the specs."""
    want = {n: t for n, _, t in specs}
    try:
        m = measure(block, circuit_of(netlist), env, want)
    except (SimulationError, KeyError, ValueError, IndexError, StopIteration) as e:
        return Check(False, {}, f"independent simulation failed: {e}")
    bad = []
    for name, op, target in specs:
        v = m.get(name)
        if v is None or not math.isfinite(v):
            bad.append(f"{name} not measured")
            continue
        if op == "=":
            ok = abs(v - target) <= (TOL.get(name, 0.05) if name != "duty" else TOL["duty"]) * (abs(target) if name != "duty" else 1)
        elif op == ">=":
            ok = v >= target * (1 - 1e-6)
        else:
            ok = v <= target * (1 + 1e-6)
        if not ok:
            bad.append(f"{name} {v:.4g} vs {op} {target:.4g}")
    # switches: the load gets its current and the transistor is fully on
    if block == "bjt_switch" and "_need" in m:
        if m["ic"] < 0.95 * m["_need"] or m["vce_sat"] > 0.3:
            bad.append(f"not saturated: Ic {m['ic']:.3g} A of {m['_need']:.3g} A, Vce {m['vce_sat']:.3g} V")
    if block == "mosfet_switch" and "_need" in m:
        if m["i_load"] < 0.95 * m["_need"]:
            bad.append(f"load current {m['i_load']:.3g} A of {m['_need']:.3g} A")
    if block == "i2c_pullup":
        rises = [m.get("_rise_sda"), m.get("_rise_scl")]
        if None in rises or max(rises) > m["_rise_max"]:
            bad.append(f"rise time {rises} vs <= {m['_rise_max']:.3g} s")
        if m["_sink"] > m["_sink_max"]:
            bad.append(f"sink current {m['_sink']:.3g} A vs <= {m['_sink_max']:.3g} A")
    return Check(not bad, {k: v for k, v in m.items() if not k.startswith("_")}, "; ".join(bad))
