"""The sizing pipeline: request → specs → feasibility → E-series search with SPICE in the loop →
tolerance Monte Carlo → report, as a LangGraph graph that reads top to bottom.

Used on its own (``circuitsmith size``) and by the design pipeline for the values it chooses.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
from langgraph.graph import END, START, StateGraph

from agents.llm import LLMClient
from agents.size import SizingAmbiguous, SizingParseError, SizingRequest, parse_request
from circuit.atomic import write_atomic
from circuit.sim import SimulationError, simulate
from circuit.sizing.block import Block, Infeasible
from circuit.sizing.blocks import make_block
from circuit.sizing.optimize import SizingResult, size, with_implied
from circuit.sizing.tolerance import YIELD_TARGET, ToleranceResult, monte_carlo, sensitivity
from circuit.units import format_value
from knowledge import lazy_imports


# quantities that only make sense above zero (a frequency, a time, a current through a part)
POSITIVE_UNITS = {"Hz", "s", "A", "Ω", "F", "H", "W"}


class SizingState(TypedDict, total=False):
    text: str
    request: SizingRequest
    backend: str
    block: Block
    error: str
    result: SizingResult
    tolerance: ToleranceResult
    tighten: list
    tightened: tuple
    notes: list
    options: list
    budget: int
    mc_runs: int
    seconds: float


# ---- nodes ------------------------------------------------------------------------------
def parse_node(state: SizingState) -> SizingState:
    if state.get("request") is not None:
        return {"backend": state.get("backend", "spec file")}
    try:
        llm = LLMClient.from_env()
    except Exception:  # no LLM configured or the client cannot start: rules
        llm = None
    try:
        req, backend = parse_request(state["text"], llm)
    except SizingAmbiguous as e:
        return {"error": str(e), "options": e.options}
    except SizingParseError as e:
        return {"error": str(e)}
    return {"request": req, "backend": backend}


def feasibility_node(state: SizingState) -> SizingState:
    req = state["request"]
    block = make_block(req.block, req.env)
    for s in req.spec_objects():
        if s.unit in POSITIVE_UNITS and s.target <= 0 and s.op != "<=":
            return {"block": block, "error": f"cannot be met: {s.name} must be a positive {s.unit} value, "
                                             f"not {format_value(s.target, s.unit)}"}
    try:
        specs = {s.name: s for s in with_implied(block, req.spec_objects())}
        block.adapt(specs)
        block.check_feasible(specs)
    except Infeasible as e:
        return {"block": block, "error": f"cannot be met: {e}"}
    return {"block": block}


def optimise_node(state: SizingState) -> SizingState:
    req = state["request"]
    try:
        res = size(state["block"], req.spec_objects(), series=req.series, budget=state.get("budget", 60))
    except Infeasible as e:
        return {"error": f"cannot be met: {e}"}
    except (ValueError, ArithmeticError) as e:  # a spec the equations cannot take: say so, never a traceback
        return {"error": f"cannot be met: the specs give no usable first guess ({e})"}
    return {"result": res}


def _tolerances(block: Block, env: dict) -> dict[str, float]:
    """Stated part tolerances (``tol_r``, ``tol_c`` in the request's conditions) per designator."""
    out = {}
    for p in block.params():
        t = env.get({"R": "tol_r", "C": "tol_c", "L": "tol_l"}[p.kind])
        if t:
            out[p.name] = float(t)
    return out


def tolerance_node(state: SizingState) -> SizingState:
    """Monte Carlo yield at the stated tolerances; when under 90 %, the part whose tolerance moves the
    specs most (the one to buy tighter). Also the block's own notes (clipping at the input amplitude)."""
    res, block = state["result"], state["block"]
    out: SizingState = {"notes": block.notes(res.values) if res.met else []}
    if not res.met or state.get("mc_runs", 50) <= 0:
        return out
    tols = _tolerances(block, state["request"].env)
    mc = monte_carlo(block, res.values, res.specs, runs=state.get("mc_runs", 50), tolerances=tols)
    out["tolerance"] = mc
    if mc.yield_ < YIELD_TARGET:
        tight = sensitivity(block, res.values, res.specs, tols)
        out["tighten"] = tight
        if tight:
            name = tight[0][0]
            better = _tighter(block, name)
            again = monte_carlo(block, res.values, res.specs, runs=state.get("mc_runs", 50),
                                tolerances={**tols, name: better})
            out["tightened"] = (name, better, again.yield_)
    return out


def _tighter(block: Block, name: str) -> float:
    """The next tolerance grade down for a part: 5 % → 1 % resistors, 10 % → 2 % capacitors."""
    p = next((p for p in block.params() if p.name == name), None)
    now = p.default_tolerance if p else 0.01
    if p and p.kind == "R":
        return 0.001 if now <= 0.01 else 0.01
    return 0.01 if now <= 0.02 else 0.02


def tolerant(state: SizingState) -> bool | None:
    """Met at tolerance: the Monte Carlo yield reaches 90 %; None when it was not run."""
    tol = state.get("tolerance")
    return None if tol is None else tol.yield_ >= YIELD_TARGET


def tighten_advice(state: SizingState) -> str:
    tight = state.get("tighten") or []
    if not tight:
        return ""
    block = state["block"]
    name = tight[0][0]
    p = next((p for p in block.params() if p.name == name), None)
    now = p.default_tolerance if p else 0.0
    msg = (f"tolerance-limited: {state['tolerance'].yield_ * 100:.0f} % of builds meet every spec (need "
           f"{YIELD_TARGET * 100:.0f} %); {name} moves the specs most")
    t = state.get("tightened")
    if t:
        msg += (f": with a {t[1] * 100:g} % part for {name} (now {now * 100:g} %) {t[2] * 100:.0f} % of builds meet them"
                + ("" if t[2] >= YIELD_TARGET else "; widen the spec window as well"))
    return msg


def _after(key: str):
    def route(state: SizingState) -> str:
        return "stop" if state.get("error") else key
    return route


def build_graph():
    g = StateGraph(SizingState)
    g.add_node("parse", parse_node)
    g.add_node("feasibility", feasibility_node)
    g.add_node("optimise", optimise_node)
    g.add_node("tolerance", tolerance_node)
    g.add_edge(START, "parse")
    g.add_conditional_edges("parse", _after("feasibility"), {"feasibility": "feasibility", "stop": END})
    g.add_conditional_edges("feasibility", _after("optimise"), {"optimise": "optimise", "stop": END})
    g.add_conditional_edges("optimise", _after("tolerance"), {"tolerance": "tolerance", "stop": END})
    g.add_edge("tolerance", END)
    return g.compile()


_GRAPH = None


def run_sizing(text: str | None = None, request: SizingRequest | None = None, budget: int = 60, mc_runs: int = 50) -> SizingState:
    global _GRAPH
    if _GRAPH is None:
        _GRAPH = build_graph()
    t0 = time.perf_counter()
    state: SizingState = {"text": text or "", "budget": budget, "mc_runs": mc_runs}
    if request is not None:
        state["request"] = request
    out = _GRAPH.invoke(state)
    out["seconds"] = time.perf_counter() - t0
    return out


# ---- outputs ----------------------------------------------------------------------------
def report_markdown(state: SizingState) -> str:
    req = state.get("request")
    lines = ["# Sizing report", ""]
    if state.get("text"):
        lines += [f"Request: {state['text']}", ""]
    if state.get("error"):
        lines += [f"**Not sized** — {state['error']}", ""]
        return "\n".join(lines)
    block, res = state["block"], state["result"]
    lines += [f"Block: **{block.title}** ({req.series} values, parsed by {state.get('backend', 'rules')})", ""]
    env = ", ".join(f"{k} = {v}" for k, v in block.env.items() if v not in ({}, None))
    lines += [f"Conditions: {env}", "", "## The circuit as built (every simulated part)", "",
              "| part | value | how |", "|---|---|---|"]
    for ref, val, how in block.bill(res.values):
        lines.append(f"| {ref} | {val} | {how} |")
    lines += ["", "## Specs: target vs simulated", "", "| spec | target | simulated | error | met |", "|---|---|---|---|---|"]
    for s in res.specs:
        got = res.measures.get(s.name)
        err = s.rel_error(got)
        lines.append(f"| {s.name} | {s.describe()} | {format_value(got, s.unit) if got is not None else '—'} | "
                     f"{err * 100:.2f} % | {'yes' if s.met(got) else '**no**'} |")
    lines += ["", f"Simulations used: {res.sims}.", ""]
    if not res.met:
        lines += [f"**Not met** — {res.message}", ""]
    for note in state.get("notes") or []:
        lines += [f"- {note}"]
    if state.get("notes"):
        lines += [""]
    tol = state.get("tolerance")
    if tol:
        tols = ", ".join(f"{p.name} ±{p.default_tolerance * 100:g} %" for p in block.params())
        verdict = "met at tolerance" if tolerant(state) else "**tolerance-limited**"
        lines += ["## Tolerances", "",
                  f"Monte Carlo over {tol.runs} builds ({tols}, unless stated): "
                  f"**{tol.yield_ * 100:.0f} %** meet every spec: {verdict}.", ""]
        if state.get("tighten"):
            lines += [tighten_advice(state), ""]
        lines += ["| measure | min | max |", "|---|---|---|"]
        for k, (lo, hi) in tol.spread.items():
            u = block.measures.get(k, "")
            lines.append(f"| {k} | {format_value(lo, u)} | {format_value(hi, u)} |")
    return "\n".join(lines) + "\n"


def summary(state: SizingState) -> dict[str, Any]:
    """PASS: every spec met by the nominal values AND (when the Monte Carlo ran) at least 90 % of builds."""
    res = state.get("result")
    tol = state.get("tolerance")
    nominal = bool(res and res.met and not state.get("error"))
    return {
        "pass": nominal and tolerant(state) is not False,
        "met_nominal": nominal,
        "tolerance_limited": bool(nominal and tolerant(state) is False),
        "tighten": tighten_advice(state) or None,
        "notes": state.get("notes") or [],
        "options": state.get("options") or [],
        "env": dict(state["block"].env) if state.get("block") else {},
        "parts": [list(b) for b in state["block"].bill(res.values)] if res and state.get("block") else [],
        "block": state["request"].block if state.get("request") else None,
        "values": res.values if res else {},
        "measures": res.measures if res else {},
        "specs": [{"name": s.name, "op": s.op, "target": s.target, "tol": s.tol, "met": s.met(res.measures.get(s.name))}
                  for s in res.specs] if res else [],
        "sims": res.sims if res else 0,
        "yield": tol.yield_ if tol else None,
        "error": state.get("error"),
        "seconds": round(state.get("seconds", 0.0), 3),
    }


def write_outputs(state: SizingState, out_dir: Path) -> dict[str, Path]:
    """values.json, netlist.cir, report.md and a plot of the response (SVG and PNG)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def put(name: str, text: str) -> None:
        files[name] = write_atomic(out_dir / name, text)

    put("report.md", report_markdown(state))
    put("values.json", json.dumps(summary(state), indent=2, default=float) + "\n")
    if state.get("result") and state.get("block"):
        block, res = state["block"], state["result"]
        put("netlist.cir", block.netlist(res.values))
        files.update(plot_response(block, res.values, out_dir))
    return files


def plot_response(block: Block, values: dict[str, float], out_dir: Path) -> dict[str, Path]:
    """Bode plot for AC testbenches, waveform for transients, as SVG and PNG."""
    plt = lazy_imports.pyplot()
    name, deck = block.decks(values)[0]
    try:
        r = simulate(deck)
    except SimulationError:
        return {}
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=110)
    if "frequency" in r.vectors and "out" in r.vectors:
        f = np.real(r["frequency"])
        ax.semilogx(f, 20 * np.log10(np.maximum(np.abs(r["out"]), 1e-12)), color="#1f5fa8")
        ax.set_xlabel("frequency (Hz)")
        ax.set_ylabel("gain (dB)")
        ax.set_title(f"{block.title}: frequency response")
    elif "time" in r.vectors and "out" in r.vectors:
        t = np.real(r["time"])
        ax.plot(t * 1e3, np.real(r["out"]), color="#1f5fa8", label="output")
        if "in" in r.vectors:
            ax.plot(t * 1e3, np.real(r["in"]), color="#999", label="input")
            ax.legend(loc="upper right")
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("voltage (V)")
        ax.set_title(f"{block.title}: waveform")
    else:
        plt.close(fig)
        return {}
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    out = {}
    for ext in ("svg", "png"):
        p = out_dir / f"response.{ext}"
        fig.savefig(p)
        out[p.name] = p
    plt.close(fig)
    return out
