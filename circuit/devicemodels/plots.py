"""Plots of a model's simulated curves with the datasheet points over them (matplotlib, Agg).

* diode: forward I-V on a log current axis, datasheet VF/IF points;
* MOSFET: ID-VGS transfer at the gfs/test VDS with the VGS(th) point, and ID-VDS at the RDS(on)
  gate voltage with the RDS(on) point;
* BJT: hFE against IC (log) at the main test VCE with every datasheet hFE point;
* op-amp: open-loop Bode magnitude and phase with the GBW point;
* regulator: VOUT against VIN at the dropout test load with the VOUT and dropout points.

The file type follows the suffix (``.png`` or ``.svg``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from circuit.sim import SimulationError, simulate
from knowledge import lazy_imports

from .fitting import deck_text, num
from .model import DeviceModel
from .device import parse_conditions

__all__ = ["plot_verification", "curves"]


def _sim(title: str, lines: list[str]):
    try:
        return simulate(deck_text(title, lines), timeout=20)
    except SimulationError:
        return None


def _dev_points(model: DeviceModel, name: str) -> list[tuple[float, float, bool]]:
    return [(p.datasheet, p.simulated if p.simulated is not None else math.nan, p.passed)
            for p in model.verification.points if p.name == name]


def _cond(text: str, key: str) -> float | None:
    v = parse_conditions(text).get(key)
    return abs(v) if isinstance(v, float) else None


def _diode(model: DeviceModel, ax) -> None:
    vf = [p for p in model.verification.points if p.name == "VF"]
    v_top = 1.3 * max([p.datasheet for p in vf] + [0.8])
    res = _sim("plot", [model.spice_text(), "Vd a 0 DC 0", f"D1 a 0 {model.name}", f".dc Vd 0 {num(v_top)} {num(v_top / 400)}"])
    if res is not None:
        i = np.abs(np.real(res["vd#branch"]))
        v = np.real(res["v-sweep"])
        keep = i > 1e-9
        ax.semilogy(v[keep], i[keep], label="model")
    for p in vf:
        i_f = _cond(p.conditions, "IF")
        ax.semilogy([p.datasheet], [i_f], "o", color="C3" if not p.passed else "C1",
                    label=f"datasheet VF ({p.basis})")
    ax.set_xlabel("forward voltage (V)")
    ax.set_ylabel("forward current (A)")
    ax.grid(True, which="both", alpha=0.3)


def _mosfet(model: DeviceModel, axes) -> None:
    ax1, ax2 = axes
    s = -1.0 if model.kind == "pmos" else 1.0
    pts = {p.name: p for p in model.verification.points}
    th, rds, gfs = pts.get("VGS_th"), pts.get("RDS_on"), pts.get("gfs")
    vds = _cond(gfs.conditions, "VDS") if gfs else None
    vds = vds or 10.0
    vgs_r = _cond(rds.conditions, "VGS") if rds else 10.0
    id_r = _cond(rds.conditions, "ID") if rds else 1.0
    res = _sim("plot", [model.spice_text(), f"Vd d 0 DC {num(s * vds)}", "Vg g 0 DC 0", f"M1 d g 0 {model.name}",
                        f".dc Vg 0 {num(s * (vgs_r or 10))} {num(s * (vgs_r or 10) / 400)}"])
    if res is not None:
        i_d = np.abs(np.real(res["vd#branch"]))
        keep = i_d > 1e-9
        ax1.semilogy(np.abs(np.real(res["v-sweep"]))[keep], i_d[keep], label=f"model, VDS={vds:g} V")
    if th is not None:
        i_th = _cond(th.conditions, "ID") or 250e-6
        ax1.semilogy([abs(th.datasheet)], [i_th], "o", color="C1", label=f"VGS(th) ({th.basis})")
    if gfs is not None:
        i_g = _cond(gfs.conditions, "ID")
        ax1.plot([], [], " ", label=f"gfs {abs(gfs.datasheet):.3g} S at {i_g:g} A (sim {abs(gfs.simulated or 0):.3g} S)")
    ax1.set_xlabel("|VGS| (V)")
    ax1.set_ylabel("|ID| (A)")
    ax1.set_title("transfer")
    ax1.grid(True, alpha=0.3)
    ax1.legend(fontsize=7)
    if rds is not None and id_r:
        v_max = 3 * id_r * abs(rds.datasheet)
        res = _sim("plot", [model.spice_text(), "Vd d 0 DC 0", f"Vg g 0 DC {num(s * vgs_r)}", f"M1 d g 0 {model.name}",
                            f".dc Vd 0 {num(s * v_max)} {num(s * v_max / 300)}"])
        if res is not None:
            ax2.plot(np.abs(np.real(res["v-sweep"])), np.abs(np.real(res["vd#branch"])), label=f"model, VGS={vgs_r:g} V")
        ax2.plot([id_r * abs(rds.datasheet)], [id_r], "o", color="C1", label=f"RDS(on) {abs(rds.datasheet):.3g} Ω ({rds.basis})")
        ax2.set_xlabel("|VDS| (V)")
        ax2.set_ylabel("|ID| (A)")
        ax2.set_title("on-resistance")
        ax2.grid(True, alpha=0.3)
        ax2.legend(fontsize=7)


def _bjt(model: DeviceModel, ax) -> None:
    s = -1.0 if model.kind == "pnp" else 1.0
    hfe = [p for p in model.verification.points if p.name == "hFE"]
    vce = (_cond(hfe[0].conditions, "VCE") if hfe else None) or 5.0
    res = _sim("plot", [model.spice_text(), f"Vc c 0 DC {num(s * vce)}", "Vb b 0 DC 0", f"Q1 c b 0 {model.name}",
                        f".dc Vb {num(s * 0.3)} {num(s * 1.6)} {num(s * 0.002)}"])
    if res is not None:
        ic = np.abs(np.real(res["vc#branch"]))
        ib = np.abs(np.real(res["vb#branch"]))
        keep = (ic > 1e-7) & (ib > 0)
        ax.semilogx(ic[keep], ic[keep] / ib[keep], label=f"model, VCE={vce:g} V")
    for p in hfe:
        ic_p = _cond(p.conditions, "IC")
        ax.semilogx([ic_p], [p.datasheet], "o", color="C1" if p.passed else "C3")
    ax.plot([], [], "o", color="C1", label="datasheet hFE")
    ax.set_xlabel("IC (A)")
    ax.set_ylabel("hFE")
    ax.grid(True, which="both", alpha=0.3)


def _opamp(model: DeviceModel, axes) -> None:
    ax1, ax2 = axes
    vs = model.figures.get("VS test", 5.0)
    f = model.params
    f_lo = max(f["gbw"] / f["avol"] / 100, 1e-3)
    res = _sim("plot", [model.subckt, f"Vcc vcc 0 DC {num(vs)}", f"Vin inp 0 DC {num(vs / 2)} AC 1",
                        f"X1 inp inn vcc 0 out {model.name}", "Lf out inn 1e12", "Cf inn 0 1e6",
                        f".ac dec 20 {num(f_lo)} {num(f['gbw'] * 30)}"])
    if res is not None:
        fr = np.real(res["frequency"])
        h = res["out"] / res["inp"]
        ax1.semilogx(fr, 20 * np.log10(np.abs(h)), label="model open-loop gain")
        ax2.semilogx(fr, np.degrees(np.unwrap(np.angle(h))), label="phase")
    gbw = next((p for p in model.verification.points if p.name == "GBW"), None)
    if gbw is not None:
        ax1.semilogx([gbw.datasheet], [0.0], "o", color="C1", label=f"datasheet GBW ({gbw.basis})")
    ax1.set_ylabel("gain (dB)")
    ax1.grid(True, which="both", alpha=0.3)
    ax1.legend(fontsize=7)
    ax2.set_xlabel("frequency (Hz)")
    ax2.set_ylabel("phase (°)")
    ax2.grid(True, which="both", alpha=0.3)


def _regulator(model: DeviceModel, ax) -> None:
    fig = model.figures
    v_set = fig.get("VOUT") or fig.get("VREF") or 1.0
    drop = next((p for p in model.verification.points if p.name == "VDROP"), None)
    i_load = (_cond(drop.conditions, "IO") if drop else None) or 0.01
    v_hi = v_set + 3 * fig.get("VDROP", 2.0) + 3
    res = _sim("plot", [model.subckt, "Vi in 0 DC 0", f"Rl out 0 {num(v_set / i_load)}", f"X1 in out 0 {model.name}",
                        f".dc Vi 0 {num(v_hi)} {num(v_hi / 400)}"])
    if res is not None:
        ax.plot(np.real(res["v-sweep"]), np.real(res["out"]), label=f"model, {i_load:g} A load")
    out = next((p for p in model.verification.points if p.name in ("VOUT", "VREF")), None)
    if out is not None:
        ax.axhline(out.datasheet, color="C1", ls="--", lw=1, label=f"datasheet {out.name} ({out.basis})")
    if drop is not None:
        ax.plot([0.99 * v_set + drop.datasheet], [0.99 * v_set], "o", color="C1", label=f"dropout ({drop.basis})")
    ax.set_xlabel("VIN (V)")
    ax.set_ylabel("VOUT (V)")
    ax.grid(True, alpha=0.3)


def plot_verification(model: DeviceModel, path: str | Path) -> Path:
    """Draw the model's curve(s) with the datasheet points and write ``path`` (.png or .svg)."""
    plt = lazy_imports.pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    two = model.device_class in ("mosfet", "opamp")
    fig, axes = plt.subplots(2 if model.device_class == "opamp" else 1, 2 if model.device_class == "mosfet" else 1,
                             figsize=(9 if model.device_class == "mosfet" else 6, 6 if model.device_class == "opamp" else 4.2),
                             sharex=model.device_class == "opamp")
    try:
        draw = {"diode": _diode, "mosfet": _mosfet, "bjt": _bjt, "opamp": _opamp, "regulator": _regulator}[model.device_class]
        draw(model, axes)
        if not two:
            axes.legend(fontsize=7)
        fig.suptitle(model.verification.summary(), fontsize=9)
        fig.tight_layout()
        fig.savefig(path, format=path.suffix.lstrip(".").lower() or "png", dpi=110)
    finally:
        plt.close(fig)
    return path


def curves(model: DeviceModel, out_dir: str | Path, fmt: str = "png") -> Path:
    """Convenience: ``<out_dir>/<model name>.<fmt>``."""
    return plot_verification(model, Path(out_dir) / f"{model.name}.{fmt}")
