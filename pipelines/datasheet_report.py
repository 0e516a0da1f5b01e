"""Per-device outputs of the datasheet job: PARAMS.json, report.md and the plots.

Plots show the model's simulated curve with the datasheet's own points drawn over it (forward
characteristic of a diode, transfer and output curves of a MOSFET, hFE against IC of a BJT, the
open-loop Bode plot of an op-amp, VOUT against VIN of a regulator). Every file is written
atomically, so an interrupted batch never leaves half a file behind.

Datasheet text reaching report.md is escaped for Markdown tables; nothing from a PDF becomes a
path (file names come from :func:`safe_dirname`).
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from circuit.atomic import write_atomic
from circuit.sim import SimulationError, simulate
from circuit.units import format_value
from knowledge import lazy_imports
from knowledge.datasheet.normalize import parse_conditions

__all__ = ["atomic_write", "safe_dirname", "params_json", "make_plots", "report_markdown", "md_cell"]


def atomic_write(path: Path, data: str | bytes) -> Path:
    return write_atomic(path, data)


def safe_dirname(text: str, fallback: str = "device") -> str:
    """A folder name from a part number: letters, digits, '.', '-', '_' only, never '..'."""
    s = re.sub(r"[^A-Za-z0-9._-]+", "-", str(text or "")).strip("-._")[:60]
    return s or fallback


def md_cell(text: object, limit: int = 160) -> str:
    """Datasheet text as one Markdown table cell: no pipes, no newlines, no HTML."""
    s = re.sub(r"\s+", " ", str(text)).strip()
    s = s.replace("|", "/").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")
    return s[:limit] + ("…" if len(s) > limit else "")


_UNIT_SIGN = {"1": "", "V/V": "", "": ""}


def fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    if unit == "V/s":
        return f"{value / 1e6:.3g} V/µs"
    if unit in ("dB", "%", "%/V"):
        return f"{value:.4g} {unit}"
    if unit in _UNIT_SIGN:
        return f"{value:.4g}"
    return format_value(value, unit)


def params_json(ex, model=None, error: str | None = None) -> dict:
    """PARAMS.json: the extraction (name -> value, kind, unit, conditions, page, source) and the
    model's verification summary."""
    out = ex.as_json()
    out["pages_read"] = ex.pages_read
    out["traits"] = ex.traits
    out["seconds"] = ex.seconds
    out["curve_points"] = [
        {"name": p.name, "value": p.value, "kind": p.kind, "unit": p.unit, "conditions": p.conditions, "page": p.page}
        for p in ex.points
    ]
    if model is not None:
        v = model.verification
        out["model"] = {
            "name": model.name,
            "kind": model.kind,
            "status": "verified" if v.passed else "failed",
            "points_passed": v.n_passed,
            "points": len(v.points),
            "test_points": [tp.row() for tp in v.points],
            "assumed": dict(model.defaults),
        }
    elif error:
        out["model"] = {"status": "none", "reason": error}
    return out


# ---- plots ------------------------------------------------------------------------------------------

def _cond_value(text: str, key: str) -> float | None:
    v = parse_conditions(text or "").get(key)
    if isinstance(v, list):
        v = v[-1]
    return float(v) if isinstance(v, (int, float)) else None


def _sim(deck: str):
    try:
        return simulate(deck, timeout=10)
    except SimulationError:
        return None


def _points(model, name: str):
    return [tp for tp in model.verification.points if tp.name == name]


def _diode_curves(model):
    vfs = [tp.datasheet for tp in _points(model, "VF")] or [1.0]
    vmax = max(vfs) * 1.2
    deck = f"iv\nV1 a 0 DC 0\n{model.instance('D1', ['a', '0'])}\n{model.spice_text()}\n.dc V1 0.05 {vmax:.4g} {vmax / 200:.4g}\n.end\n"
    r = _sim(deck)
    if r is None:
        return []
    v = np.real(r.get("v-sweep", r.get("a")))
    i = np.abs(np.real(r["v1#branch"]))
    pts = [(tp.datasheet, _cond_value(tp.conditions, "IF"), "datasheet VF") for tp in _points(model, "VF")]
    return [("Forward characteristic", "VF (V)", "IF (A)", [("model", v, i)], [p for p in pts if p[1]], False, True)]


def _mos_curves(model):
    sign = -1.0 if model.kind == "pmos" else 1.0
    out = []
    th = _points(model, "VGS_th")
    rds = _points(model, "RDS_on")
    vth = abs(th[0].datasheet) if th else 2.0
    vg_max = max([abs(_cond_value(t.conditions, "VGS") or 10.0) for t in rds] or [10.0])
    vmax = max(vg_max, vth + 3)
    deck = (f"tr\nVG g 0 DC 0\n{model.instance('M1', ['g', 'g', '0'])}\n{model.spice_text()}\n"
            f".dc VG 0 {sign * vmax:.4g} {sign * vmax / 200:.4g}\n.end\n")
    r = _sim(deck)
    if r is not None:
        vg = np.abs(np.real(r.get("v-sweep", r.get("g"))))
        idr = np.abs(np.real(r["vg#branch"]))
        pts = [(abs(t.datasheet), abs(_cond_value(t.conditions, "ID") or 0), "datasheet VGS(th)") for t in th]
        out.append(("Transfer (VDS = VGS)", "|VGS| (V)", "|ID| (A)", [("model", vg, np.maximum(idr, 1e-12))],
                    [p for p in pts if p[1]], False, True))
    ids = [abs(_cond_value(t.conditions, "ID") or 0) for t in rds]
    idmax = max(ids + [0.1]) * 2
    vds_max = max(1.0, idmax * max([t.datasheet for t in rds] or [1.0]) * 3)
    series = []
    for vgs in sorted({round(vg_max, 2), round(max(vth + 1.0, vg_max / 2), 2), round(vth + 0.5, 2)}):
        deck = (f"out\nVD d 0 DC 0\nVG g 0 DC {sign * vgs:.4g}\n{model.instance('M1', ['d', 'g', '0'])}\n{model.spice_text()}\n"
                f".dc VD 0 {sign * vds_max:.4g} {sign * vds_max / 100:.4g}\n.end\n")
        r = _sim(deck)
        if r is not None:
            series.append((f"|VGS| = {vgs:g} V", np.abs(np.real(r.get("v-sweep", r.get("d")))), np.abs(np.real(r["vd#branch"]))))
    pts = [(abs(_cond_value(t.conditions, "ID") or 0) * t.datasheet, abs(_cond_value(t.conditions, "ID") or 0), "datasheet RDS(on)") for t in rds]
    if series:
        out.append(("Output characteristics", "|VDS| (V)", "|ID| (A)", series, [p for p in pts if p[1]], False, False))
    return out


def _bjt_curves(model):
    sign = -1.0 if model.kind == "pnp" else 1.0
    hfe = _points(model, "hFE")
    vce = abs(_cond_value(hfe[0].conditions, "VCE") or 5.0) if hfe else 5.0
    deck = (f"hfe\nVC c 0 DC {sign * vce:.4g}\nVB b 0 DC 0\n{model.instance('Q1', ['c', 'b', '0'])}\n{model.spice_text()}\n"
            f".dc VB {sign * 0.3:.3g} {sign * 1.0:.3g} {sign * 0.002:.3g}\n.end\n")
    r = _sim(deck)
    if r is None:
        return []
    ic = np.abs(np.real(r["vc#branch"]))
    ib = np.abs(np.real(r["vb#branch"]))
    ok = (ib > 0) & (ic > 1e-7)
    pts = [(abs(_cond_value(t.conditions, "IC") or 0), t.datasheet, "datasheet hFE") for t in hfe]
    return [("DC current gain", "|IC| (A)", "hFE", [("model", ic[ok], ic[ok] / ib[ok])], [p for p in pts if p[0]], True, False)]


def _opamp_curves(model):
    ports = {p.lower(): p for p in model.ports}
    nodes = ["inp", "inn", "vcc", "0", "out"]
    deck = (f"bode\nVCC vcc 0 DC 5\nVIN in 0 DC 2.5 AC 1\nXU inp inn vcc 0 out {model.name}\nRp in inp 1\n"
            f"L1 out inn 1e9\nC1 inn 0 1\n{model.spice_text()}\n.ac dec 20 1 100meg\n.end\n")
    r = _sim(deck)
    if r is None or "out" not in r.vectors:
        return []
    f = np.real(r["frequency"])
    g = np.abs(r["out"]) / np.abs(r["in"])
    gbw = _points(model, "GBW")
    pts = [(t.datasheet, 1.0, "datasheet GBW") for t in gbw]
    del ports, nodes
    return [("Open-loop gain", "f (Hz)", "|A| (V/V)", [("model", f, g)], pts, True, True)]


def _regulator_curves(model):
    vout = _points(model, "VOUT") or _points(model, "VREF")
    vo = abs(vout[0].datasheet) if vout else 5.0
    io = 0.1
    ports = [p.lower() for p in model.ports]
    if "adj" in ports:
        # OUT - ADJ = VREF: a 240 Ω / 720 Ω divider sets about 4 VREF
        body = f"XU in out adj {model.name}\nR1 out adj 240\nR2 adj 0 720\nIL out 0 DC {io}"
        vmax = 4 * vo + 10
    else:
        body = f"XU in out 0 {model.name}\nIL out 0 DC {io}"
        vmax = vo + 10
    deck = f"reg\nVIN in 0 DC 0\n{body}\n{model.spice_text()}\n.dc VIN 0 {vmax:.4g} {vmax / 200:.4g}\n.end\n"
    r = _sim(deck)
    if r is None or "out" not in r.vectors:
        return []
    vin = np.real(r.get("v-sweep", r.get("in")))
    return [("Output against input (100 mA load)", "VIN (V)", "VOUT (V)", [("model", vin, np.real(r["out"]))], [], False, False)]


def make_plots(model, out_dir: Path) -> list[str]:
    """Render the model's curves with the datasheet points; returns the PNG file names."""
    plt = lazy_imports.pyplot()
    curves = {
        "diode": _diode_curves, "nmos": _mos_curves, "pmos": _mos_curves, "npn": _bjt_curves, "pnp": _bjt_curves,
        "opamp": _opamp_curves, "regulator": _regulator_curves,
    }.get(model.kind, lambda m: [])(model)
    names = []
    for k, (title, xl, yl, series, points, logx, logy) in enumerate(curves):
        fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
        for label, x, y in series:
            ax.plot(x, y, label=label)
        for x, y, label in points:
            ax.plot([x], [y], "o", color="tab:red", label=label)
        if logx:
            ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel(xl)
        ax.set_ylabel(yl)
        ax.grid(True, which="both", alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        uniq = dict(zip(labels, handles))
        ax.legend(uniq.values(), uniq.keys(), fontsize=8)
        fig.tight_layout()
        base = f"plot{k + 1}"
        for ext in ("png",):
            fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=f".{ext}", dir=out_dir)
            os.close(fd)
            fig.savefig(tmp, format=ext)
            os.replace(tmp, out_dir / f"{base}.{ext}")
        plt.close(fig)
        names.append(f"{base}.png")
    return names


# ---- report.md -------------------------------------------------------------------------------------

def report_markdown(ex, model=None, model_error: str | None = None, plots: list[str] | None = None,
                    record_note: str = "") -> str:
    lines = [f"# {md_cell(ex.part or ex.file)} — datasheet extraction", ""]
    lines += [
        f"- Source: `{md_cell(ex.file)}` ({ex.pages} pages; pages read in detail: {', '.join(map(str, ex.pages_read))})",
        f"- Device class: {ex.device_class}" + (f" ({', '.join(ex.traits)})" if ex.traits else ""),
        f"- Extraction: {len(ex.params)} values in {ex.seconds:.2f} s"
        + (f", LLM used ({ex.llm_tokens} tokens)" if ex.llm_used else ", rules only (no LLM)"),
    ]
    for w in ex.warnings[:12]:
        lines.append(f"- Note: {md_cell(w, 200)}")
    lines += ["", "## Parameters", "", "| Parameter | Kind | Value | Conditions | Page | Source text |", "|---|---|---|---|---|---|"]
    for name, p in ex.named().items():
        lines.append(f"| {md_cell(name)} | {p.kind} | {fmt(p.value, p.unit)} | {md_cell(p.conditions_text, 80)} | {p.page} | "
                     f"{md_cell(p.source, 100)}{' (LLM, quote checked)' if p.method == 'llm' else ''} |")
    lines += ["", "## SPICE model", ""]
    if model is None:
        lines.append(f"No model was generated: {md_cell(model_error or 'not enough datasheet figures', 300)}")
    else:
        v = model.verification
        status = "VERIFIED" if v.passed else "FAILED"
        lines += [
            f"**{status}**: {v.n_passed} of {len(v.points)} datasheet test points agree within 10 % "
            f"(simulated with ngspice at the datasheet's own test conditions). Model file: `MODEL.lib`"
            + (", knowledge-base record: `record.yaml`" if record_note == "ok" else "") + ".",
            "",
            "```spice",
            model.spice_text(),
            "```",
            "",
            "| Test | Conditions | Datasheet | Simulated | Error | Result |",
            "|---|---|---|---|---|---|",
        ]
        for tp in v.points:
            err = tp.error
            lines.append(
                f"| {md_cell(tp.name)} | {md_cell(tp.conditions, 80)} | {fmt(tp.datasheet, tp.unit)} ({md_cell(tp.basis)}) | "
                f"{fmt(tp.simulated, tp.unit)} | {('-' if err is None else f'{err * 100:+.1f} %')} | "
                f"{'pass' if tp.passed else '**MISS**'} |"
            )
        if model.defaults:
            lines += ["", "Assumed (not in the datasheet):", ""]
            for k, why in model.defaults.items():
                lines.append(f"- {md_cell(k)}: {md_cell(why, 200)}")
        if record_note and record_note != "ok":
            lines += ["", f"No knowledge-base record: {md_cell(record_note, 200)}"]
        if plots:
            lines += ["", "## Plots", ""]
            for p in plots:
                lines.append(f"![{p}]({p})")
    return "\n".join(lines) + "\n"


def dumps(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=str)
