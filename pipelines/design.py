"""The design pipeline: a chat request to a validated, simulated, drawn circuit.

The graph reads top to bottom like the job::

    route ─┬─ question ──────────────────────────────────────────────► explain ─► END
           └─ design/edit ─► identify ─► retrieve ─┬─ (out of library: interrupt, or stop) ─► answer
                                                   └─► plan ─► synthesize ─► erc ─► spice ─► requirements ─┐
              ┌────────────────────────────────────────────────────────────────────────────────────────────┘
              ├─ fails, rounds left ─► repair ─┬─ a part not rated for what the request states ─► plan (the
              │                                │  gate's rated part in its place, agents/rules/need_swaps.py)
              │                                ├─ a clause left unanswered ─► plan (asked for as a need where
              │                                │  the library agrees, agents/rules/asked_repair.py)
              │                                ├─ fix hints applied ─► erc
              │                                └─ LLM plan ─► plan (with the findings)
              └─ passes / no rounds left ─► judge (LLM only) ─► render ─► answer ─► END

A design that still fails after the repair rounds is returned with its findings stated plainly,
never as a success. A thread (checkpointer: SQLite under ``$CIRCUITSMITH_HOME`` by default,
Postgres when ``DATABASE_URL`` is set) keeps the design, so a follow-up edits it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Callable

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt

from agents import (
    backend as B,
    explain as explain_agent,
    identify as identify_agent,
    judge as judge_agent,
    plan as plan_agent,
    retrieve as retrieve_agent,
    synthesize as synthesize_agent,
)
from agents.models import Identification, Plan, Resolution
from agents.rules.asked_repair import ask_for_unanswered
from agents.rules.edits import apply_ops
from agents.rules.need_swaps import rating_swaps, swap_needs, swaps_made
from agents.rules.plan_edit import apply_overrides, keep_designators, plan_diff, with_types, with_user_pins
from agents.understand import agent as understand
from agents.understand.edit_reading import classify, read_edit
from agents.understand.requirements import Requirements
from circuit import sim
from circuit.erc import dedupe
from circuit.export import OUTPUT_FILES, write_outputs
from circuit.file_set import publish_set
from circuit.findings import Finding, sort_findings
from circuit.firmware.check import FirmwareCheck, check_sketch
from circuit.firmware.sketch import generate_sketch
from circuit.fixes import add_companions, apply_fixes
from circuit.gates import check_circuit
from circuit.kicad import KicadUnavailable, kicad_netlist
from circuit.load import CircuitReadError
from circuit.model import Circuit
from circuit.requirement_gate import check_requirements, gate_error
from circuit.spice_gate import run_spice_gate
from circuit.wokwi import to_wokwi
from knowledge import lazy_imports
from knowledge.library import Library, user_home
from pipelines import llm_usage
from pipelines.llm_fallback import needs_takeover, rules_takeover
from pipelines.report import answer_text, design_report
from pipelines.requirements_source import requirements_of, saved_with_design
from pipelines.settings import BUDGET_SPENT, DesignSettings
from pipelines.state import MAX_REPAIR_ROUNDS, TURN_RESET, DesignState, blocking, push_version
from pipelines.thread_lock import thread_lock

LEAVE_OUT = "(leave it out)"
TITLE_MAX = 300   # characters of the request kept as the design's title (the drawing wraps it)
STAGES = ["route", "identify", "retrieve", "plan", "synthesize", "erc", "spice", "requirements", "repair", "judge", "render",
          "explain", "answer"]


# ---- runtime helpers (not state: clients and the library live per process) ----------------------
_CLIENTS: dict[str | None, Any] = {}
_LOCK = threading.Lock()


def _library() -> Library:
    return Library.default()


def _client_key(state: DesignState) -> tuple:
    # a client per preference and LLM configuration (a test or a chat may point at another server)
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(("CIRCUITSMITH_LLM", "OPENAI_"))))
    return (state.get("backend"), env)


def _client(state: DesignState):
    key = _client_key(state)
    with _LOCK:
        if key not in _CLIENTS:
            _CLIENTS[key] = B.llm_client(key[0])
        return _CLIENTS[key]


def _label(client) -> str:
    return getattr(client, "label", "llm") if client is not None else "rules"


def _timed(name: str):
    def deco(fn: Callable[[DesignState], dict]):
        def run(state: DesignState) -> dict:
            before = llm_usage.snapshot(_CLIENTS.get(_client_key(state)))
            t0 = time.perf_counter()
            out = fn(state) or {}
            timings = dict(state.get("timings") or {})
            timings.update(out.get("timings") or {})
            timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - t0, 4)
            out["timings"] = timings
            llm_usage.account(name, state, out, before, _CLIENTS.get(_client_key(state)))
            return out

        run.__name__ = name
        return run

    return deco


def _with_backend(state: DesignState, agent: str, backend: str) -> dict[str, str]:
    b = dict(state.get("backends") or {})
    b[agent] = backend
    return b


def _run_agent(state: DesignState, agent: str, make, call):
    """Run an agent on the LLM when configured, falling back to its rules on an LLM failure."""
    forced = (state.get("rules_for") or {}).get(agent)  # the rules took over this turn (pipelines.llm_fallback)
    if forced:
        return call(make(None)), forced
    client = _client(state)
    if client is not None and not client.serves(agent):  # CIRCUITSMITH_LLM_AGENTS leaves this one to its rules
        client = None
    deadline = state.get("llm_deadline")
    if client is not None and budget_spent(state):
        return call(make(None)), BUDGET_SPENT
    impl = make(client)
    try:
        with _within(client, deadline):
            return call(impl), _label(client) if client is not None else "rules"
    except B.llm_error_types() as e:
        if client is None:
            raise
        if budget_spent(state):
            return call(make(None)), BUDGET_SPENT
        return call(make(None)), f"rules (LLM failed: {str(e)[:120]})"


def budget_spent(state: DesignState) -> bool:
    deadline = state.get("llm_deadline")
    return deadline is not None and time.time() >= deadline


def _within(client, deadline: float | None):
    """The client's budget scope for this call (every request and retry ends by ``deadline``)."""
    within = getattr(client, "within", None)
    return within(deadline) if within is not None and deadline is not None else nullcontext()


def _title(message: str) -> str:
    """The request as the design's title: one line, at most TITLE_MAX characters (each output escapes it)."""
    text = " ".join(message.split())
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rstrip() + "…"


# ---- nodes ------------------------------------------------------------------------------------
@_timed("route")
def route_node(state: DesignState) -> dict:
    message = (state.get("request") or "").strip()
    has = bool(state.get("circuit"))
    mode = classify(message, Plan.model_validate(state.get("plan") or {}) if has else None, _library())
    out = dict(TURN_RESET)
    out.update({"mode": mode, "turns": [{"role": "user", "content": message}]})
    if mode in ("design", "edit") and has:
        out["history"] = push_version(state)  # "undo" returns to it
    if mode == "design":
        out.update({"choices": {}, "title": _title(message), "backends": {}, "overrides": {}})
    return out


@_timed("identify")
def identify_node(state: DesignState) -> dict:
    lib = _library()
    message = state["request"]
    if state.get("mode") == "edit":
        current = Identification.model_validate(state.get("ident") or {})
        previous = Plan.model_validate(state.get("plan") or {})
        edit = read_edit(message, previous, lib)  # typed operations: the only reading of the edit's words
        ident, overrides, notes, swaps = apply_ops(edit, current, previous, state.get("overrides") or {}, lib)
        if not edit.ops:  # nothing to change: the design stays exactly as it was, nothing is planned again
            notes = notes or ["no change I could make from that; name a part to add, remove or use instead, a "
                              "value (\"make R1 330 Ω\") or pins (\"move the LED to PWM pins\")"]
            return {"changes": ["nothing changed"] + notes, "edit_notes": notes, "edit_unchanged": True,
                    "backends": _with_backend(state, "identify", "rules (edit)")}
        # an edit changes the design, not the first request's words: the gate reads the edited parts
        return {"ident": ident.model_dump(), "changes": notes, "edit_notes": notes, "overrides": overrides,
                "edit_swaps": swaps,
                "requirements": {}, "backends": _with_backend(state, "identify", "rules (edit)")}
    # what the request asks for (the only reading of its words: the rules, or the model repaired by them)
    req, used = _run_agent(state, "identify", understand.make, lambda a: a.run(message, lib))
    ident = identify_agent.make().run(message, lib, req)  # the parts list, from the requirements and the records
    return {"requirements": req.model_dump(), "ident": ident.model_dump(),
            "backends": _with_backend(state, "identify", used)}


@_timed("retrieve")
def retrieve_node(state: DesignState) -> dict:
    lib = _library()
    ident = Identification.model_validate(state["ident"])
    choices = dict(state.get("choices") or {})
    res, used = _run_agent(state, "retrieve", retrieve_agent.make, lambda a: a.run(ident, lib, choices))
    backends = _with_backend(state, "retrieve", used)
    if res.ood:
        ood = [o.model_dump() for o in res.ood]
        if state.get("interactive"):
            answer = interrupt({"ood": ood, "question": ood_question(ood)})
            if state.get("llm_budget"):  # the time the user took to answer is not LLM time: a fresh budget
                state = {**state, "llm_deadline": time.time() + float(state["llm_budget"])}
            picked = _read_choice(answer, ood, lib)
            choices.update(picked)
            res, used = _run_agent(state, "retrieve", retrieve_agent.make, lambda a: a.run(ident, lib, choices))
            if res.ood:  # still unresolved (the user's choice was not a library part): leave them out
                for o in res.ood:
                    choices[o.phrase] = None
                res, used = _run_agent(state, "retrieve", retrieve_agent.make, lambda a: a.run(ident, lib, choices))
        else:
            return {"resolution": res.model_dump(), "ood": ood, "stopped": ood_message(ood),
                    "backends": backends, "passed": False}
    return {"resolution": res.model_dump(), "choices": choices, "ood": [], "backends": backends,
            "llm_deadline": state.get("llm_deadline")}


def _read_choice(answer: Any, ood: list[dict], lib: Library) -> dict[str, str | None]:
    """The resume value: {"phrase": key-or-None}, a bare key (for a single item), or None (leave out)."""
    out: dict[str, str | None] = {}
    if isinstance(answer, dict):
        for o in ood:
            v = answer.get(o["phrase"])
            out[o["phrase"]] = v if isinstance(v, str) and v in lib else None
        return out
    if isinstance(answer, str) and len(ood) >= 1:
        for o in ood:
            out[o["phrase"]] = answer if answer in lib else None
        return out
    return {o["phrase"]: None for o in ood}


def ood_question(ood: list[dict]) -> str:
    lines = []
    for o in ood:
        near = ", ".join(f"{m['key']} ({m['name']})" for m in o.get("near_misses", [])) or "nothing close"
        lines.append(f"'{o['phrase']}' is not in the component library. Closest: {near}.")
    lines.append("Choose one of those parts, or leave it out.")
    return "\n".join(lines)


def ood_message(ood: list[dict]) -> str:
    lines = []
    for o in ood:
        near = ", ".join(f"{m['key']}" for m in o.get("near_misses", [])) or "none"
        lines.append(f"'{o['phrase']}' is not in the component library (closest: {near}).")
    lines.append("Name one of the closest parts in the request, or add the part with `circuitsmith kb add FILE`, "
                 "then run again. Nothing was designed.")
    return " ".join(lines)


@_timed("plan")
def plan_node(state: DesignState) -> dict:
    lib = _library()
    res = Resolution.model_validate(state["resolution"])
    ident = Identification.model_validate(state["ident"])
    ident.needs = res.needs
    findings = blocking(state.get("findings") or []) if state.get("round") else None
    previous = Plan.model_validate(state["plan"]) if state.get("mode") == "edit" and state.get("plan") else None
    remembered = previous
    if previous is not None:
        remembered = with_types(previous, state.get("edit_swaps") or {})  # a swapped part keeps its name and pins
        remembered = with_user_pins(remembered, state.get("overrides") or {})
    plan, used = _run_agent(state, "plan", plan_agent.make,
                            lambda a: a.run(ident, lib, state.get("title", ""), findings, remembered))
    out = {"plan": plan.model_dump(), "backends": _with_backend(state, "plan", used)}
    if previous is not None:  # an edit: the parts that stay keep their names, the user's values and pins stay set
        plan = keep_designators(plan, remembered)
        overrides = state.get("overrides") or {}
        notes, failed = apply_overrides(plan, overrides, lib)
        if failed:  # a pin the board cannot give is said once, not kept for every later edit
            out["overrides"] = {**overrides, "pins": {k: v for k, v in (overrides.get("pins") or {}).items()
                                                      if k not in failed}}
        diff = plan_diff(previous, plan, lib)
        out["plan"] = plan.model_dump()
        out["changes"] = (diff or ["nothing changed"]) + [n for n in (state.get("edit_notes") or []) + notes
                                                         if n not in diff]
    if not plan.parts:
        out.update({"stopped": NOTHING_TO_DESIGN, "passed": False})
    return out


NOTHING_TO_DESIGN = ("There is no circuit to design in that request: name the parts or say what it should do, "
                     "e.g. \"Blink an LED with a button on an Arduino Uno\" or \"a 5 V supply from a 9 V battery\".")


@_timed("synthesize")
def synthesize_node(state: DesignState) -> dict:
    lib = _library()
    plan = Plan.model_validate(state["plan"])
    doc, used = _run_agent(state, "synthesize", synthesize_agent.make, lambda a: a.run(plan, lib))
    return {"circuit": doc, "backends": _with_backend(state, "synthesize", used)}


@_timed("erc")
def erc_node(state: DesignState) -> dict:
    lib = _library()
    try:
        report = check_circuit(state["circuit"], lib, spice=False)
    except CircuitReadError as e:  # an agent's document beyond the input limits: a finding, not a crash
        bad = {"rule": "SCHEMA-LIMIT", "severity": "Critical", "where": [], "fix": None, "source": "schema",
               "message": f"the circuit document is beyond an input limit: {str(e)[:300]}"}
        return {"circuit": {"version": 1, "title": state.get("title", ""), "parts": [], "connections": []},
                "findings": _plan_findings(state) + [bad]}
    out: dict = {}
    # the companions the parts' records state (bulk and regulator capacitors, data resistors) are added
    # to whatever circuit was synthesized, whatever their severity
    fixed, applied = add_companions(report.circuit, report.findings, lib)
    if applied:
        report = check_circuit(fixed, lib, spice=False)
        out["repairs"] = list(state.get("repairs") or []) + ["record companions: added " + "; ".join(applied)]
    return {**out, "circuit": report.circuit.to_dict(),
            "findings": _plan_findings(state) + [_fd(f) for f in report.findings]}


def _plan_findings(state: DesignState) -> list[dict]:
    """What the planner could not do (out of pins, no part for a job) fails the design, in plain words."""
    unmet = (state.get("plan") or {}).get("unmet") or []
    return [{"rule": "PLAN-UNMET", "severity": "Major", "message": text, "where": [], "fix": None, "source": "plan"}
            for text in unmet]


def _fd(f) -> dict:
    d = f.as_dict()
    d["source"] = getattr(f, "source", "erc")
    return d


@_timed("spice")
def spice_node(state: DesignState) -> dict:
    lib = _library()
    findings = [f for f in (state.get("findings") or []) if f.get("source") != "spice"]
    circuit = Circuit.model_validate(state["circuit"])
    try:
        report = run_spice_gate(circuit, lib)
    except Exception as e:  # the gate reports, it should not crash; if it does, say so plainly
        findings.append({"rule": "SPICE-GATE-ERROR", "severity": "Major", "where": [], "fix": None, "source": "spice",
                         "message": f"the SPICE check could not run ({type(e).__name__}: {str(e)[:200]}), so nothing "
                                    "proves the design safe to build"})
        return {"spice": {"ran": False, "notes": [str(e)]}, **_verdict(findings)}
    extra = [_fd(f) for f in report.findings]
    try:
        objs = dedupe([Finding(**{k: v for k, v in f.items() if k != "source"}, source=f.get("source", "erc"))
                       for f in findings + extra])
        merged = [_fd(f) for f in sort_findings(objs)]
    except Exception:
        merged = findings + extra
    spice = {"ran": True, "node_voltages": {k: round(v, 4) for k, v in (report.node_voltages or {}).items()},
             "notes": list(report.notes or [])}
    return {"spice": spice, **_verdict(merged)}


@_timed("requirements")
def requirements_node(state: DesignState) -> dict:
    """The requirement gate (:mod:`circuit.requirement_gate`): does the circuit do what was asked?"""
    lib = _library()
    findings = [f for f in (state.get("findings") or []) if f.get("source") != "requirements"]
    try:
        check = check_requirements(state["circuit"], requirements_of(state, lib), lib)
    except Exception as e:  # a gate that cannot run fails closed
        check = gate_error(e)
    return {"requirements_check": check.as_json(), **_verdict(findings + [_fd(f) for f in check.findings])}


def _verdict(findings: list[dict]) -> dict:
    return {"findings": findings, "passed": not blocking(findings)}


def after_spice(state: DesignState) -> str:
    if state.get("passed"):
        return _finish_route(state)
    if int(state.get("round") or 0) < MAX_REPAIR_ROUNDS or needs_takeover(state, MAX_REPAIR_ROUNDS):
        return "repair"
    return _finish_route(state)


def _finish_route(state: DesignState) -> str:
    return "judge" if _client(state) is not None else "render"


@_timed("repair")
def repair_node(state: DesignState) -> dict:
    """A part the rating gate finds unrated for what the request states is swapped for the rated part it
    suggests where the planner chose it, and planned again; a clause the request asks that no wired part
    answers is asked for as a need and planned again; else the gates' unambiguous fix hints are applied;
    if none applies, an LLM plan gets another try with the findings; the rules plan is deterministic, so
    without an applicable hint it stops here."""
    lib = _library()
    rnd = int(state.get("round") or 0) + 1
    bad = blocking(state.get("findings") or [])
    takeover = rules_takeover(state, rnd, bad, max_rounds=MAX_REPAIR_ROUNDS)
    if takeover:
        return takeover
    repairs = list(state.get("repairs") or [])
    # a part not rated for what the request states: planned again with the part the gate suggests
    tried = list(state.get("swaps_tried") or [])
    swaps = rating_swaps(bad, state.get("circuit") or {}, lib)
    if swaps and state.get("resolution"):
        res = Resolution.model_validate(state["resolution"])
        needs, swapped = swap_needs(res.needs, swaps, lib, tried)
        if swapped:
            res.needs = needs
            repairs.append(f"round {rnd}: " + "; ".join(swapped))
            return {"resolution": res.model_dump(), "swaps_tried": tried, "round": rnd, "repairs": repairs,
                    "next": "plan"}
    # a clause the design leaves unanswered: asked for as a need, identified and planned again
    asked = _ask_unanswered(state, bad, lib, tried)
    if asked is not None:
        asked["repairs"] = repairs + [f"round {rnd}: " + "; ".join(asked.pop("done"))]
        return {**asked, "swaps_tried": tried, "round": rnd, "next": "plan"}
    applied: list[str] = []
    objs = [Finding(**{k: v for k, v in f.items() if k != "source"}, source=f.get("source", "erc")) for f in bad]
    fixed, applied = apply_fixes(Circuit.model_validate(state["circuit"]), objs, lib)
    if applied:
        repairs.append(f"round {rnd}: applied " + "; ".join(applied))
        return {"circuit": fixed.to_dict(), "round": rnd, "repairs": repairs, "next": "erc"}
    if state.get("backends", {}).get("plan", "rules").startswith("llm"):
        repairs.append(f"round {rnd}: asked the planner again with {len(bad)} finding(s)")
        return {"round": rnd, "repairs": repairs, "next": "plan"}
    takeover = rules_takeover(state, rnd, bad, stuck=True, max_rounds=MAX_REPAIR_ROUNDS)
    if takeover:
        return takeover
    repairs.append(f"round {rnd}: no fix hint could be applied automatically")
    return {"round": MAX_REPAIR_ROUNDS, "repairs": repairs, "next": "finish"}


def _ask_unanswered(state: DesignState, bad: list[dict], lib: Library, tried: list[str]) -> dict | None:
    """The state update that asks for the clauses the gate finds unanswered (agents/rules/asked_repair.py):
    the requirements with their new needs, identified and resolved again; None when nothing is asked. The
    part swaps made earlier this turn are made again in the new needs."""
    if state.get("mode") != "design" or not state.get("requirements"):
        return None
    req = Requirements.model_validate(state["requirements"])
    asked, done = ask_for_unanswered(bad, req, lib, tried)
    if asked is None:
        return None
    ident = identify_agent.make().run(state.get("request") or "", lib, asked)
    res = retrieve_agent.make().run(ident, lib, dict(state.get("choices") or {}))
    if res.ood:
        return None
    res.needs, _ = swap_needs(res.needs, swaps_made(tried), lib, [])
    return {"requirements": asked.model_dump(), "ident": ident.model_dump(), "resolution": res.model_dump(),
            "done": done}


def after_repair(state: DesignState) -> str:
    nxt = state.get("next")
    if nxt in ("erc", "plan", "synthesize"):
        return nxt
    return _finish_route(state)


@_timed("judge")
def judge_node(state: DesignState) -> dict:
    client = _client(state)
    if client is None:
        return {}
    if not client.serves("judge"):
        return {"verdict": {"ok": None, "summary": "the judge is switched off (CIRCUITSMITH_LLM_AGENTS).", "concerns": []},
                "backends": _with_backend(state, "judge", "off (CIRCUITSMITH_LLM_AGENTS)")}
    if budget_spent(state):
        return {"verdict": {"ok": None, "summary": "the judge did not run: the LLM time budget was spent.", "concerns": []},
                "backends": _with_backend(state, "judge", "not run (LLM time budget spent)")}
    lib = _library()
    plan = Plan.model_validate(state["plan"])
    try:
        with _within(client, state.get("llm_deadline")):
            v = judge_agent.make(client).run(state.get("title") or state.get("request", ""), plan, state["circuit"],
                                       state.get("findings") or [], lib)
        return {"verdict": v.model_dump(), "backends": _with_backend(state, "judge", _label(client))}
    except B.llm_error_types() as e:
        return {"verdict": {"ok": None, "summary": f"the judge could not run: {str(e)[:160]}", "concerns": []},
                "backends": _with_backend(state, "judge", "not run (LLM failed)")}


@_timed("render")
def render_node(state: DesignState) -> dict:
    out_dir = state.get("out_dir")
    if not out_dir:
        return {}
    lib = _library()
    circuit = Circuit.model_validate(state["circuit"])
    sketch = generate_sketch(circuit, lib)
    firmware = None
    if sketch is not None:
        check = check_sketch(sketch) if state.get("check_firmware") else FirmwareCheck(sketch.board, "not-checked")
        firmware = {**check.as_json(), "todo": sketch.todo}
    wokwi = to_wokwi(circuit, lib)
    notes = [wokwi.note()]
    kicad_text = None
    if "kicad" in (state.get("exports") or []):
        try:
            kicad_text = kicad_netlist(circuit, lib).text
        except (KicadUnavailable, RuntimeError) as e:
            notes.append(f"KiCad netlist not written: {e}")
    extras = {"firmware": firmware, "exports_note": "\n\n".join(n for n in notes if n)}
    report = design_report({**state, **extras})
    saved = Circuit.model_validate({**state["circuit"], **saved_with_design(state, lib)})  # keeps its request
    # the set lands whole (a kill mid-way leaves the previous set, never a mix of old and new files)
    paths = publish_set(out_dir, lambda stage: write_outputs(
        saved, lib, stage, report_md=report, sketch=sketch, wokwi=wokwi, kicad_text=kicad_text,
        pictures="png" in (state.get("exports") or [])), OUTPUT_FILES)
    return {"outputs": {k: str(v) for k, v in paths.items()}, **extras}


@_timed("answer")
def answer_node(state: DesignState) -> dict:
    text = answer_text(state)
    return {"answer": text, "turns": [{"role": "assistant", "content": text}]}


@_timed("explain")
def explain_node(state: DesignState) -> dict:
    plan = Plan.model_validate(state.get("plan") or {})
    ans, used = _run_agent(state, "explain", explain_agent.make,
                           lambda a: a.run(state["request"], plan, state.get("findings") or []))
    return {"answer": ans.text, "turns": [{"role": "assistant", "content": ans.text}],
            "backends": _with_backend(state, "explain", used)}


# ---- the graph --------------------------------------------------------------------------------
def build_graph(checkpointer=None):
    g = StateGraph(DesignState)
    g.add_node("route", route_node)
    g.add_node("identify", identify_node)
    g.add_node("retrieve", retrieve_node)
    g.add_node("plan", plan_node)
    g.add_node("synthesize", synthesize_node)
    g.add_node("erc", erc_node)
    g.add_node("spice", spice_node)
    g.add_node("requirements", requirements_node)
    g.add_node("repair", repair_node)
    g.add_node("judge", judge_node)
    g.add_node("render", render_node)
    g.add_node("answer", answer_node)
    g.add_node("explain", explain_node)

    g.add_edge(START, "route")
    g.add_conditional_edges("route", lambda s: "explain" if s.get("mode") == "question" else "identify",
                            ["explain", "identify"])
    g.add_edge("explain", END)
    g.add_conditional_edges("identify", lambda s: "answer" if s.get("edit_unchanged") else "retrieve",
                            ["answer", "retrieve"])
    g.add_conditional_edges("retrieve", lambda s: "answer" if s.get("stopped") else "plan", ["answer", "plan"])
    g.add_conditional_edges("plan", lambda s: "answer" if s.get("stopped") else "synthesize", ["answer", "synthesize"])
    g.add_edge("synthesize", "erc")
    g.add_edge("erc", "spice")
    g.add_edge("spice", "requirements")
    g.add_conditional_edges("requirements", after_spice, ["repair", "judge", "render"])
    g.add_conditional_edges("repair", after_repair, ["erc", "plan", "synthesize", "judge", "render"])
    g.add_edge("judge", "render")
    g.add_edge("render", "answer")
    g.add_edge("answer", END)
    return g.compile(checkpointer=checkpointer)


# ---- checkpointers ----------------------------------------------------------------------------
def threads_path() -> Path:
    return user_home() / "threads.sqlite"


def make_checkpointer():
    """Postgres when DATABASE_URL is set (langgraph-checkpoint-postgres), else a SQLite file."""
    url = os.environ.get("DATABASE_URL")
    if url:
        try:
            psycopg, PostgresSaver, dict_row = lazy_imports.postgres_saver()
        except ImportError as e:
            raise RuntimeError(
                "DATABASE_URL is set, but the Postgres checkpointer is not installed: "
                "pip install langgraph-checkpoint-postgres 'psycopg[binary]' (or unset DATABASE_URL to use SQLite)"
            ) from e
        try:
            conn = psycopg.Connection.connect(url, autocommit=True, prepare_threshold=0, row_factory=dict_row,
                                              connect_timeout=10)
            saver = PostgresSaver(conn)
            saver.setup()
        except psycopg.Error as e:  # unreachable or malformed: say which, in one line
            why = " ".join(str(e).split())[:200]
            raise RuntimeError(f"cannot use the thread database in DATABASE_URL ({why}); fix DATABASE_URL, "
                               "or unset it to keep threads in SQLite") from None
        return saver
    path = threads_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False)
    return SqliteSaver(conn)


# ---- sessions ---------------------------------------------------------------------------------
class Turn(dict):
    """The state after a turn, plus ``interrupt`` (the question) when the graph is waiting."""

    @property
    def waiting(self) -> dict | None:
        return self.get("__interrupt__")


class DesignSession:
    """One conversation thread: ``send`` a message, ``resume`` after an out-of-library question."""

    def __init__(self, thread: str | None = None, backend: str | None = None, checkpointer=None,
                 interactive: bool = False, settings: DesignSettings | None = None):
        self.settings = settings or DesignSettings()
        self.thread = thread or f"design-{uuid.uuid4().hex[:12]}"
        self.backend = backend
        self.interactive = interactive
        self.checkpointer = checkpointer if checkpointer is not None else make_checkpointer()
        self.graph = build_graph(self.checkpointer)
        self.config = {"configurable": {"thread_id": self.thread}, "recursion_limit": 60}

    def state(self) -> dict:
        snap = self.graph.get_state(self.config)
        return dict(snap.values) if snap and snap.values else {}

    def pending(self) -> dict | None:
        """The question the thread is waiting on (an interrupt), if any."""
        snap = self.graph.get_state(self.config)
        for task in (snap.tasks if snap else ()):
            for intr in getattr(task, "interrupts", ()) or ():
                return intr.value
        return None

    def _run(self, payload, on_stage: Callable[[str, dict], None] | None) -> Turn:
        t0 = time.perf_counter()
        waiting = None
        for chunk in self.graph.stream(payload, self.config, stream_mode="updates"):
            for node, update in chunk.items():
                if node == "__interrupt__":
                    waiting = update[0].value if update else None
                    continue
                if on_stage is not None:
                    on_stage(node, update or {})
        out = Turn(self.state())
        if waiting is not None:
            out["__interrupt__"] = waiting
        out["seconds"] = round(time.perf_counter() - t0, 3)
        return out

    def _locked_run(self, payload, on_stage) -> Turn:
        """One turn, holding the thread: concurrent writers take turns, none is lost (pipelines.thread_lock)."""
        with thread_lock(self.checkpointer, self.thread, self.settings.thread_wait):
            return self._run(payload, on_stage)

    def send(self, message: str, out_dir: str | None = None,
             on_stage: Callable[[str, dict], None] | None = None, check_firmware: bool = False,
             exports: tuple[str, ...] = ()) -> Turn:
        if is_undo(message):
            return self.undo(message, out_dir=out_dir, exports=exports)
        sim.prestart()  # ngspice's worker starts beside the reading of the request, not before the SPICE gate
        payload = {"request": message, "backend": self.backend, "interactive": self.interactive,
                   "out_dir": out_dir, "check_firmware": check_firmware, "exports": list(exports),
                   "llm_deadline": time.time() + self.settings.llm_budget, "llm_budget": self.settings.llm_budget}
        return self._locked_run(payload, on_stage)

    def undo(self, message: str = "undo", out_dir: str | None = None, exports: tuple[str, ...] = ()) -> Turn:
        """Put the design back as it was before the last change (the thread's history), and write its files."""
        with thread_lock(self.checkpointer, self.thread, self.settings.thread_wait):
            return self._undo(message, out_dir, exports)

    def _undo(self, message: str, out_dir: str | None, exports: tuple[str, ...]) -> Turn:
        t0 = time.perf_counter()
        state = self.state()
        history = list(state.get("history") or [])
        turn = {**TURN_RESET, "request": message, "mode": "undo", "out_dir": out_dir, "exports": list(exports)}
        if not history:
            turn["stopped"] = answer = "Nothing to undo: this thread has no earlier version of the design."
        else:
            version = history.pop()
            lib = _library()
            turn.update(version)
            turn["history"] = history
            turn["changes"] = plan_diff(Plan.model_validate(state.get("plan") or {}),
                                        Plan.model_validate(version.get("plan") or {}), lib) or ["nothing changed"]
            if out_dir and version.get("circuit"):
                turn.update(render_node({**state, **turn}))
            answer = "Undone: back to the previous version.\n" + answer_text({**state, **turn})
        turn["answer"] = answer
        turn["turns"] = [{"role": "user", "content": message}, {"role": "assistant", "content": answer}]
        self.graph.update_state(self.config, turn, as_node="answer")
        out = Turn(self.state())
        out["seconds"] = round(time.perf_counter() - t0, 3)
        return out

    def resume(self, choice: Any, on_stage: Callable[[str, dict], None] | None = None) -> Turn:
        """Answer the pending question: {phrase: key or None}, a key, or None to leave the parts out."""
        if choice is None or choice == {}:
            choice = LEAVE_OUT  # langgraph cannot resume with None or an empty map
        return self._locked_run(Command(resume=choice), on_stage)


# commands of the conversation itself, not requests: "undo" returns to the previous version
UNDO_WORDS = {"undo", "/undo", "undo that", "undo it", "undo the last change", "undo last change", "go back",
              "revert", "revert that", "revert the last change"}


def is_undo(message: str) -> bool:
    return " ".join(message.lower().strip(" .!").split()) in UNDO_WORDS


def design(request: str, backend: str | None = "rules", out_dir: str | None = None, checkpointer=None,
           thread: str | None = None, on_stage=None, settings: DesignSettings | None = None) -> Turn:
    """One request, one design (non-interactive). Uses an in-memory thread unless given a checkpointer."""
    if checkpointer is None:
        checkpointer = InMemorySaver()
    session = DesignSession(thread=thread, backend=backend, checkpointer=checkpointer, settings=settings)
    return session.send(request, out_dir=out_dir, on_stage=on_stage)
