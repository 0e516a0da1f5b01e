"""What a design turn says: the chat answer (short, plain) and report.md (the plan, values with
their reasoning, ERC and SPICE results, the judge's verdict, which agents ran on LLM or rules).

A design that fails its gates says so in its first line, with every blocking finding in plain
words; it is never presented as a success.
"""

from __future__ import annotations

from pathlib import Path

from circuit.export import md
from circuit.hazard import safety_banner
from circuit.requirement_gate import family
from circuit.units import format_value
from knowledge.library import Library
from pipelines.llm_usage import usage_markdown

SEVERITIES = ("Critical", "Major", "Minor", "Warning")



def _table(title: str, headers: tuple[str, ...], rows) -> list[str]:
    """A '### title' section holding a Markdown table (cells already escaped)."""
    out = [f"### {title}", "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out + [""]

def _counts(findings: list[dict]) -> dict[str, int]:
    c = {s: 0 for s in SEVERITIES}
    for f in findings:
        c[f.get("severity", "Warning")] = c.get(f.get("severity", "Warning"), 0) + 1
    return c


def status_line(state: dict) -> str:
    if state.get("stopped"):
        return "Stopped: " + state["stopped"]
    findings = state.get("findings") or []
    c = _counts(findings)
    if state.get("passed"):
        extra = f" ({c['Minor']} minor, {c['Warning']} warnings)" if c["Minor"] or c["Warning"] else ""
        asked = " and the check against the request" if state.get("requirements_check") else ""
        return f"PASS: the design passes the electrical rule check, the SPICE check{asked}{extra}."
    return (f"FAIL: the design does NOT pass its checks: {c['Critical']} critical and {c['Major']} major "
            f"finding(s) remain after {state.get('round', 0)} repair round(s). Do not build it as is.")


def banner(state: dict) -> str | None:
    """The safety banner of the design's circuit (circuit/hazard.py), None when nothing in it is hazardous."""
    return safety_banner(state["circuit"]) if state.get("circuit") else None


def answer_text(state: dict) -> str:
    lines = [status_line(state)]
    if state.get("stopped"):
        return "\n".join(lines)
    if (text := banner(state)):
        lines.append(text)
    if state.get("changes"):
        lines.append("Changed: " + "; ".join(state["changes"]) + ".")
    spent = [a for a, b in (state.get("backends") or {}).items() if "budget spent" in str(b)]
    if spent:
        budget = state.get("llm_budget")
        lines.append(f"The LLM time budget{f' ({budget:g} s)' if budget else ''} was spent: "
                     + ", ".join(spent) + " ran on the rules instead (raise it with --llm-budget).")
    plan = state.get("plan") or {}
    if plan.get("summary"):
        lines.append(plan["summary"])
    if (fixed := plan_changes(state)):  # the summary counts the plan's parts; say what the fixes changed
        lines.append(fixed)
    for f in state.get("findings") or []:
        if f.get("severity") in ("Critical", "Major"):
            lines.append(f"- {f['severity']}: {f['message']}")
    unmet = (state.get("requirements_check") or {}).get("unmet") or []
    if unmet:
        lines.append("Not met from the request: " + "; ".join(unmet) + ".")
    pins = plan.get("pins") or []
    if pins:
        lines.append("Pins: " + "; ".join(f"{p['pin']} → {p['serves']} ({p['function']})" for p in pins[:12])
                     + (" …" if len(pins) > 12 else ""))
    vals = [v for v in plan.get("values") or [] if v.get("formula")]
    for v in vals[:4]:
        lines.append(f"{v['part']} = {v['value']}: {v['formula']}")
    if state.get("outputs"):
        first = next(iter(state["outputs"].values()))
        lines.append(f"Files in {Path(first).parent}/: " + ", ".join(state["outputs"]))
    return "\n".join(lines)


def _md(text: object) -> str:
    return md(text)


def _placed(state: dict) -> dict[str, list[str]]:
    """Library key -> designators in the final CircuitJSON (what the report lists is what was placed)."""
    out: dict[str, list[str]] = {}
    for p in (state.get("circuit") or {}).get("parts") or []:
        out.setdefault(p.get("type", ""), []).append(p.get("id", ""))
    return out


def placed_as(key: str, placed: dict[str, list[str]], library: Library) -> list[str]:
    """Where a listed part stands in the final circuit: itself, or a part of its kind (a 'diode' the
    plan asked for is the 1N4007 that was placed; a BC547 is not a 2N2222), each as 'D1' or 'D1 (1n4007)'."""
    if key in placed:
        return list(placed[key])
    kin = family(key, library) if key in library else {key}
    return [f"{pid} ({k})" for k in sorted(kin) if k != key for pid in placed.get(k, [])]


def plan_changes(state: dict) -> str | None:
    """The parts the checks' fixes added to or took out of the plan, so the plan, the parts table and
    the CircuitJSON tell one story (None when the circuit holds exactly the planned parts)."""
    planned = {p.get("id"): p.get("type") for p in (state.get("plan") or {}).get("parts") or []}
    parts = {p.get("id"): p.get("type") for p in (state.get("circuit") or {}).get("parts") or []}
    if not planned or planned == parts:
        return None
    added = [f"{i} ({t})" for i, t in parts.items() if planned.get(i) != t]
    removed = [f"{i} ({t})" for i, t in planned.items() if parts.get(i) != t]
    bits = ([f"added {', '.join(added)}"] if added else []) + ([f"removed {', '.join(removed)}"] if removed else [])
    return (f"After planning, the checks' fixes {' and '.join(bits)}: the design has {len(parts)} parts "
            f"(the plan had {len(planned)}).")


def design_report(state: dict) -> str:
    plan = state.get("plan") or {}
    findings = state.get("findings") or []
    out = [f"# {_md(state.get('title') or 'Design')}", ""]
    if (text := banner(state)):
        out += [f"> **{_md(text)}**", ""]
    out += [f"**{_md(status_line(state))}**", ""]
    out += ["## Request", "", "> " + _md(state.get("request", "")), ""]
    if state.get("changes"):
        out += ["Changes this turn: " + _md("; ".join(state["changes"])), ""]
    out += ["## Plan", "", _md(plan.get("summary", "")), ""]
    if (changed := plan_changes(state)):
        out += [_md(changed), ""]
    ident = state.get("ident") or {}
    needs = ident.get("needs") or []
    if needs:
        placed, lib = _placed(state), Library.default()
        out += _table("What it needs", ("part", "qty", "why", "named in the request", "in the design"), [
            (_md(n.get("key") or n.get("phrase")), n.get("qty", 1), _md(n.get("why") or n.get("phrase", "")),
             "yes" if n.get("explicit") else "no (added)", _md(", ".join(placed_as(n.get("key") or "", placed, lib)) or "no"))
            for n in needs])
    if plan.get("pins"):
        out += _table("Controller pins", ("pin", "used as", "for", "why"), [
            (_md(p["pin"]), _md(p["function"]), _md(p["serves"]), _md(p.get("why", ""))) for p in plan["pins"]])
    if plan.get("rails"):
        out += _table("Power", ("rail", "volts", "from", "load", "budget", "feeds"), [
            (_md(r["name"]), format_value(r["volts"], "V"), _md(r["source"]), format_value(r.get("load_a") or 0, "A"),
             format_value(r["budget_a"], "A") if r.get("budget_a") else "—", _md(", ".join(r.get("feeds", []))))
            for r in plan["rails"]])
    if plan.get("values"):
        out += _table("Values and why", ("part", "value", "math", "why"), [
            (_md(v["part"]), _md(v["value"]), _md(v.get("formula", "")), _md(v.get("why", ""))) for v in plan["values"]])
    if plan.get("notes"):
        out += ["### Notes", ""] + [f"- {_md(n)}" for n in plan["notes"]] + [""]
    check = state.get("requirements_check") or {}
    if check:
        out += ["## Against the request", ""]
        out += [f"- met: {_md(m)}" for m in check.get("met") or []]
        out += [f"- **NOT met: {_md(m)}**" for m in check.get("unmet") or []]
        out.append("")
    out += ["## Checks", ""]
    c = _counts(findings)
    out.append(f"ERC, SPICE and request findings: {c['Critical']} critical, {c['Major']} major, {c['Minor']} minor, "
               f"{c['Warning']} warnings. Pass@1 (no critical or major): **{'yes' if state.get('passed') else 'no'}**.")
    out.append("")
    if findings:
        out += ["| severity | source | rule | message | fix |", "|---|---|---|---|---|"]
        for f in findings:
            out.append(f"| {f['severity']} | {_md(f.get('source', ''))} | {_md(f['rule'])} | {_md(f['message'])} | "
                       f"{_md(f.get('fix') or '')} |")
        out.append("")
    spice = state.get("spice") or {}
    if spice.get("ran") and spice.get("node_voltages"):
        out += ["### SPICE operating point", "", "| net | volts |", "|---|---|"]
        for k, v in list(spice["node_voltages"].items())[:40]:
            out.append(f"| {_md(k)} | {v:.3f} |")
        out.append("")
    elif not spice.get("ran"):
        out += ["SPICE check: not run" + (f" ({_md('; '.join(spice.get('notes', [])))})" if spice.get("notes") else "") + ".", ""]
    if state.get("repairs"):
        out += ["### Repair rounds", ""] + [f"- {_md(r)}" for r in state["repairs"]] + [""]
    out += ["## Judge", ""]
    v = state.get("verdict")
    if v:
        ok = v.get("ok")
        out.append(f"Verdict: **{'looks right' if ok else ('has concerns' if ok is False else 'not available')}**"
                   + (f" (score {v.get('score')}/10)" if v.get("score") else "") + ". " + _md(v.get("summary", "")))
        out += [f"- {_md(x)}" for x in v.get("concerns") or []]
        out.append("The judge's verdict is a second opinion; it was not applied to the design.")
    else:
        out.append("Not run: no LLM is configured (the judge is an LLM second opinion; the ERC and SPICE checks above "
                   "are the rules' verdict).")
    out += ["", "## Agents", "", "| agent | ran on |", "|---|---|"]
    for a, b in (state.get("backends") or {}).items():
        out.append(f"| {_md(a)} | {_md(b)} |")
    out += [""] + usage_markdown(state.get("llm")) if state.get("llm") else []
    out += _next_steps(state)
    t = state.get("timings") or {}
    if t:
        out += ["", "Stage times: " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items())]
    return "\n".join(out) + "\n"


_BUILD_WORDS = {True: "compiles", False: "does not build", "syntax-only": "passes a syntax check only (no compiler "
                "for this board here; the check is against a stand-in of the Arduino API)",
                "not-checked": "was not built (pass --check-firmware to compile it)"}


def _next_steps(state: dict) -> list[str]:
    """Where the design goes next: the Wokwi project and the starter firmware."""
    out = ["", "## Simulate and program", "",
           "- `diagram.json` opens in the Wokwi simulator (paste it into a new project's diagram.json)."]
    if state.get("exports_note"):
        out.append("")
        for line in state["exports_note"].splitlines():
            out.append(("  - " + _md(line[2:])) if line.startswith("- ") else ("- " + _md(line) if line.strip() else ""))
    fw = state.get("firmware")
    if fw:
        out.append(f"- `firmware/sketch.ino` is starter code for {_md(fw.get('board'))} on the pins above; it "
                   f"{_BUILD_WORDS.get(fw.get('compiled'), _md(fw.get('compiled')))}.")
        out += [f"  - build error: `{_md(e)}`" for e in (fw.get("errors") or [])[:5]]
        out += [f"  - TODO {_md(pid)}: {_md(why)}" for pid, why in (fw.get("todo") or {}).items()]
    return out
