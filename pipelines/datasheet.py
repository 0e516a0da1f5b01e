"""The datasheet pipeline: one PDF -> parameters, a verified SPICE model and a report.

A LangGraph state machine, ingest -> focus -> extract -> model -> verify -> report:

- ingest: read the PDF (text of every page, page by page); a bad file ends the run with a reason.
- focus: device class, target part number, the pages worth reading in detail.
- extract: tables and retrieval (rules); the LLM only for leftovers, when one is configured.
- model: fit an ngspice model to the figures (circuit.devicemodels).
- verify: the verification gate; the datasheet test points, simulated, decide verified/failed.
- report: PARAMS.json, MODEL.lib, report.md with plots, record.yaml, all written atomically.

:func:`process_datasheet` runs the graph for one file and returns a summary row; batches live in
:mod:`pipelines.datasheet_batch`.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path
from typing import Any, TypedDict

import yaml
from langgraph.graph import END, START, StateGraph

from agents.extract import make_extract
from circuit.devicemodels.build import build_model
from circuit.devicemodels.device import DeviceError
from circuit.devicemodels.libfile import write_model_lib
from circuit.devicemodels.model import ModelError
from circuit.devicemodels.record import record_yaml
from knowledge.datasheet.extract import extract_focused, focus_document
from knowledge.datasheet.ingest import DatasheetError, read_document
from knowledge.library import LibraryError, parse_record
from pipelines.datasheet_report import atomic_write, dumps, make_plots, params_json, report_markdown, safe_dirname

__all__ = ["process_datasheet", "build_graph", "DatasheetState", "device_dir"]


class DatasheetState(TypedDict, total=False):
    path: str
    out_root: str
    part: str | None
    use_llm: bool | None
    t0: float
    doc: Any
    focus: Any
    extraction: Any
    model: Any
    model_error: str
    verdict: str
    members: list
    error: str
    reason: str
    result: dict


def _ingest(state: DatasheetState) -> DatasheetState:
    try:
        return {"doc": read_document(state["path"])}
    except DatasheetError as e:
        return {"error": e.message, "reason": e.reason}


def _focus(state: DatasheetState) -> DatasheetState:
    return {"focus": focus_document(state["doc"], state["path"], state.get("part"))}


def _extract(state: DatasheetState) -> DatasheetState:
    result = extract_focused(state["doc"], state["focus"], state.get("t0"))
    agent = make_extract(state.get("use_llm"))
    ex = agent.complete(result)
    ex.seconds = round(time.perf_counter() - state.get("t0", time.perf_counter()), 3)
    if ex.members and not state.get("part"):
        # a family sheet whose part the file name and title do not tell: one device per member
        return {"extraction": ex, "members": list(ex.members)}
    if not ex.params:
        return {"extraction": ex, "error": _no_params_reason(state["doc"], ex), "reason": "no_params"}
    return {"extraction": ex}


def _no_params_reason(doc, ex) -> str:
    """What happened when nothing was read: unreadable pages, or a datasheet whose tables gave
    nothing, or a document that is no datasheet at all."""
    unread = [w for w in doc.warnings if "no readable text layer" in w]
    if unread:
        return f"no parameter could be read: {unread[0]}"
    if max(ex.class_scores.values(), default=0.0) >= 3.0 and re.search(
            r"absolute\s*maximum|maximum\s*ratings|electrical\s*characteristics|\b(min|typ|max)\b", doc.text, re.I):
        return (f"a {ex.device_class} datasheet, but none of its tables on pages {', '.join(map(str, ex.pages_read))} "
                "gave a parameter the extractor knows; pass --llm to let the LLM read it")
    return "no parameter table was recognised (is this a component datasheet?)"


def _model(state: DatasheetState) -> DatasheetState:
    ex = state["extraction"]
    try:
        return {"model": build_model(ex, source=ex.file)}
    except (ModelError, DeviceError) as e:
        return {"model_error": str(e)}
    except Exception as e:  # a model that cannot be fitted costs the model, not the extraction
        return {"model_error": f"model fitting failed ({type(e).__name__}: {e})"}


def _verify(state: DatasheetState) -> DatasheetState:
    model = state.get("model")
    if model is None:
        return {"verdict": "none"}
    v = model.verification
    return {"verdict": "verified" if (v.points and v.passed) else ("failed" if v.points else "unverified")}


SOURCE_MARK = ".source"  # in each device folder: the sha256 of the PDF that owns it


def device_dir(out_root: Path, part: str | None, file: Path) -> Path:
    """OUT/<part>/ for the first file that claims it; another file of the same part gets
    OUT/<part>-<short content hash>/. The claim is atomic (O_EXCL), so two workers never share a folder."""
    h = hashlib.sha256()
    with open(file, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    base = safe_dirname(part or file.stem)
    for name in (base, f"{base}-{digest[:10]}"):
        d = out_root / name
        d.mkdir(parents=True, exist_ok=True)
        mark = d / SOURCE_MARK
        try:
            fd = os.open(mark, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            try:
                owner = mark.read_text(encoding="utf-8").split()[0]
            except (OSError, IndexError):
                owner = ""
            if owner == digest:
                return d
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"{digest} {file.name}\n")
        return d
    return out_root / f"{base}-{digest[:10]}"


def _report(state: DatasheetState) -> DatasheetState:
    ex = state["extraction"]
    path = Path(state["path"])
    out = device_dir(Path(state["out_root"]), ex.part, path)
    out.mkdir(parents=True, exist_ok=True)
    model = state.get("model")
    plots: list[str] = []
    record_note = ""
    if model is not None:
        write_model_lib(model, out / "MODEL.lib")
        try:
            plots = make_plots(model, out)
        except Exception as e:  # plots are a convenience; their failure is noted, not fatal
            ex.warnings.append(f"plots could not be drawn ({type(e).__name__})")
        try:
            text = record_yaml(model, source=path.name)
            parse_record(str(out / "record.yaml"), yaml.safe_load(text))
            atomic_write(out / "record.yaml", text)
            record_note = "ok"
        except (LibraryError, ValueError, KeyError) as e:
            record_note = f"the record did not validate ({e})"
    pj = params_json(ex, model, state.get("model_error"))
    pj["verdict"] = state.get("verdict", "none")
    atomic_write(out / "report.md", report_markdown(ex, model, state.get("model_error"), plots, record_note))
    atomic_write(out / "PARAMS.json", dumps(pj))
    v = model.verification if model is not None else None
    result = {
        "file": path.name,
        "status": "ok",
        "part": ex.part,
        "class": ex.device_class,
        "dir": str(out),
        "params": len(ex.params),
        "model": state.get("verdict", "none"),
        "points_passed": v.n_passed if v else 0,
        "points": len(v.points) if v else 0,
        "model_error": state.get("model_error", ""),
        "llm_tokens": ex.llm_tokens,
        "seconds": round(time.perf_counter() - state.get("t0", time.perf_counter()), 3),
        "json": {"file": path.name, "part": ex.part, "class": ex.device_class, "params": pj["params"],
                 "model": pj.get("model", {}).get("status", "none")},
    }
    return {"result": result}


def _fail(state: DatasheetState) -> DatasheetState:
    path = Path(state["path"])
    return {"result": {"file": path.name, "status": "error", "reason": state.get("reason", "error"),
                       "error": state.get("error", "unknown error"), "part": None, "class": None, "params": 0,
                       "model": "none", "points_passed": 0, "points": 0, "llm_tokens": 0,
                       "seconds": round(time.perf_counter() - state.get("t0", time.perf_counter()), 3)}}


def _ok_or_fail(state: DatasheetState) -> str:
    return "fail" if state.get("error") else "next"


def _after_extract(state: DatasheetState) -> str:
    return "members" if state.get("members") else _ok_or_fail(state)


_GRAPH = None


def build_graph():
    """The compiled StateGraph (built once per process)."""
    global _GRAPH
    if _GRAPH is not None:
        return _GRAPH
    g = StateGraph(DatasheetState)
    for name, fn in (("ingest", _ingest), ("focus", _focus), ("extract", _extract), ("model", _model),
                     ("verify", _verify), ("report", _report), ("fail", _fail)):
        g.add_node(name, fn)
    g.add_edge(START, "ingest")
    g.add_conditional_edges("ingest", _ok_or_fail, {"next": "focus", "fail": "fail"})
    g.add_edge("focus", "extract")
    g.add_conditional_edges("extract", _after_extract, {"next": "model", "fail": "fail", "members": END})
    g.add_edge("model", "verify")
    g.add_edge("verify", "report")
    g.add_edge("report", END)
    g.add_edge("fail", END)
    _GRAPH = g.compile()
    return _GRAPH


def process_datasheet(path: str | Path, out_root: str | Path, part: str | None = None, use_llm: bool | None = None) -> dict:
    """Run the pipeline for one PDF; returns its summary row (never raises for a bad file)."""
    state: DatasheetState = {"path": str(path), "out_root": str(out_root), "part": part, "use_llm": use_llm,
                             "t0": time.perf_counter()}
    try:
        final = build_graph().invoke(state)
    except Exception as e:  # an unexpected failure is this file's line in the summary
        return _fail({**state, "error": f"internal error: {type(e).__name__}: {e}", "reason": "internal"})["result"]
    members = final.get("members")
    if members:
        return _each_member(path, out_root, members, use_llm, state)
    return final["result"]


MAX_MEMBERS = 8  # a family sheet with more members than this asks for --part instead of extracting them all


def _each_member(path, out_root, members: list[str], use_llm, state: DatasheetState) -> dict:
    """One device line per family member; a row that lists them under ``devices``."""
    if len(members) > MAX_MEMBERS:
        shown = ", ".join(members[:12]) + (", …" if len(members) > 12 else "")
        return _fail({**state, "error": f"several parts in this sheet: pass --part (found: {shown})", "reason": "several_parts"})["result"]
    rows = [process_datasheet(path, out_root, m, use_llm) for m in members]
    ok = [r for r in rows if r.get("status") == "ok"]
    head = dict(ok[0] if ok else rows[0])
    head["devices"] = rows
    head["status"] = "ok" if ok else "error"
    return head
