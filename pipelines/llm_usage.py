"""What the LLM cost in one design turn, per agent and in total: calls, prompt and completion
tokens, latency, retries, repairs, schema-valid answers, cache hits, and the times the rules took
over (and why).

The LLM client keeps running counters per agent for its whole life (one client serves every turn
of a process), so each graph node takes a :func:`snapshot` before it runs and adds what changed
(:func:`added_since`) to the turn's ``state["llm"]`` with :func:`merge`. Everything here is plain
JSON, so it lives in the checkpointed state, report.md (:func:`usage_markdown`) and
``circuitsmith design --json`` (key ``"llm"``).
"""

from __future__ import annotations

from typing import Any

from circuit.export import md

COUNTERS = ("calls", "prompt_tokens", "completion_tokens", "retries", "repairs", "failures", "cache_hits",
            "schema_valid")
AGENTS = ("identify", "retrieve", "plan", "synthesize", "judge", "explain")
MAX_EVENTS = 12


def snapshot(client: Any) -> dict[str, tuple] | None:
    """The client's per-agent counters now (None without a client)."""
    if client is None:
        return None
    usage = getattr(client, "usage", None)
    if usage is None:
        return None
    return {name: (tuple(getattr(u, c) for c in COUNTERS), len(u.latencies), len(u.events))
            for name, u in list(usage.by_agent.items())}


def added_since(client: Any, before: dict[str, tuple] | None) -> dict[str, dict]:
    """What each agent added to the client's counters since ``before`` (agents with nothing new left out)."""
    if client is None or getattr(client, "usage", None) is None:
        return {}
    before = before or {}
    out: dict[str, dict] = {}
    for name, u in list(client.usage.by_agent.items()):
        counts0, nlat, nev = before.get(name, ((0,) * len(COUNTERS), 0, 0))
        d: dict[str, Any] = {c: getattr(u, c) - c0 for c, c0 in zip(COUNTERS, counts0)}
        d["latencies"] = [round(x, 4) for x in u.latencies[nlat:]]
        d["events"] = list(u.events[nev:])
        if any(d[c] for c in COUNTERS) or d["latencies"] or d["events"]:
            out[name] = d
    return out


def fallback_reason(label: str | None) -> str | None:
    """The reason in a backend label when the rules took over from the LLM (or the LLM step was skipped)."""
    if not label:
        return None
    if label.startswith("rules (") and label != "rules (edit)":
        return label[len("rules ("):-1] if label.endswith(")") else label[len("rules ("):]
    if label.startswith("not run"):
        return label
    return None


def _empty_agent(model: str | None) -> dict:
    d: dict[str, Any] = {c: 0 for c in COUNTERS}
    d.update({"model": model, "latencies": [], "latency_s": 0.0, "p50_latency_s": None, "fallbacks": 0,
              "fallback_reasons": [], "events": []})
    return d


def p50(xs: list[float]) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    return round(s[len(s) // 2], 4)


def merge(run: dict | None, node: str, added: dict[str, dict], backends: dict[str, str] | None,
          client: Any) -> dict | None:
    """The turn's usage with one node's share added; None when no LLM was involved at all."""
    label = (backends or {}).get(node) if node in AGENTS else None
    reason = fallback_reason(label)
    if not added and reason is None and not run:
        return None
    run = {"model": None, "agents": {}, "total": {}, **(run or {})}
    run["agents"] = {k: dict(v) for k, v in (run.get("agents") or {}).items()}
    cfg = getattr(client, "config", None)
    if client is not None:
        run["model"] = getattr(client, "label", None) or run.get("model")

    def model_for(agent: str) -> str | None:
        return cfg.model_for(agent) if cfg is not None else None

    for agent, d in added.items():
        a = run["agents"].get(agent) or _empty_agent(model_for(agent))
        for c in COUNTERS:
            a[c] = a.get(c, 0) + d.get(c, 0)
        a["latencies"] = list(a.get("latencies") or []) + d.get("latencies", [])
        a["latency_s"] = round(sum(a["latencies"]), 4)
        a["p50_latency_s"] = p50(a["latencies"])
        a["events"] = (list(a.get("events") or []) + d.get("events", []))[-MAX_EVENTS:]
        run["agents"][agent] = a
    if reason is not None:
        a = run["agents"].get(node) or _empty_agent(model_for(node))
        a["fallbacks"] = a.get("fallbacks", 0) + 1
        a["fallback_reasons"] = (list(a.get("fallback_reasons") or []) + [reason])[-MAX_EVENTS:]
        run["agents"][node] = a
    run["total"] = totals(run["agents"])
    return run


def totals(agents: dict[str, dict]) -> dict:
    t: dict[str, Any] = {c: sum(a.get(c, 0) for a in agents.values()) for c in COUNTERS}
    t["latency_s"] = round(sum(a.get("latency_s", 0.0) for a in agents.values()), 4)
    t["fallbacks"] = sum(a.get("fallbacks", 0) for a in agents.values())
    t["tokens"] = t["prompt_tokens"] + t["completion_tokens"]
    return t


def usage_json(run: dict | None) -> dict | None:
    """The ``"llm"`` key of ``circuitsmith design --json``: per agent and total, without raw latency lists."""
    if not run:
        return None
    agents = {name: {k: v for k, v in a.items() if k != "latencies"} for name, a in (run.get("agents") or {}).items()}
    return {"model": run.get("model"), "agents": agents, "total": dict(run.get("total") or {})}


def _md(text: object) -> str:
    return md(text)


def usage_markdown(run: dict | None) -> list[str]:
    """The report.md section: a table per agent, the run's totals, and what went wrong in words."""
    if not run or not run.get("agents"):
        return []
    t = run.get("total") or totals(run["agents"])
    out = ["## LLM usage", "",
           f"Model {_md(run.get('model') or '?')}: {t['calls']} call(s), {t['prompt_tokens']} prompt + "
           f"{t['completion_tokens']} completion tokens, {t['latency_s']:.2f} s waiting for the model, "
           f"{t['retries']} retr{'y' if t['retries'] == 1 else 'ies'}, {t['repairs']} repair request(s), "
           f"{t['cache_hits']} cache hit(s); the rules took over {t['fallbacks']} time(s).", "",
           "| agent | model | calls | prompt tokens | completion tokens | p50 latency | retries | repairs | "
           "schema-valid | rules took over |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, a in run["agents"].items():
        lat = f"{a['p50_latency_s']:.2f} s" if a.get("p50_latency_s") is not None else "—"
        out.append(f"| {_md(name)} | {_md(a.get('model') or '')} | {a.get('calls', 0)} | {a.get('prompt_tokens', 0)} | "
                   f"{a.get('completion_tokens', 0)} | {lat} | {a.get('retries', 0)} | {a.get('repairs', 0)} | "
                   f"{a.get('schema_valid', 0)} | {a.get('fallbacks', 0)} |")
    notes = []
    for name, a in run["agents"].items():
        for r in a.get("fallback_reasons") or []:
            notes.append(f"{name}: {r}" if r.startswith("not run") else f"{name}: the rules took over ({r})")
        for e in a.get("events") or []:
            notes.append(f"{name}: {e}")
    if notes:
        out += ["", "What happened with the model:", ""] + [f"- {_md(n)}" for n in notes]
    return out + [""]


def account(node: str, state: dict, out: dict, before: dict[str, tuple] | None, client: Any) -> None:
    """Add one graph node's LLM usage (and a rules takeover it reports in ``backends``) to ``out["llm"]``."""
    base = out["llm"] if "llm" in out else state.get("llm")  # the route step starts a turn with {}
    run = merge(base, node, added_since(client, before), out.get("backends"), client)
    if run is not None:
        out["llm"] = run
