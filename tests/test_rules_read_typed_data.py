"""House rule: rules read typed record data, not wording.

The agents outside the understanding layer (agents/*.py, agents/rules) and the checks (circuit/) classify a part by its record's typed fields
(category, pin types and functions, ``actuator``, ``drives``, ``requires``, ``flags``, ``source_kind``,
``provides`` slugs, ratings), never by matching words in its name, key, aliases, description, typical use
or notes. This test reads the source of those modules and fails on either of:

- a read of a record's or a pin's ``description``, ``typical_use`` or ``notes``;
- ``.lower()`` (or ``.casefold()``) of text built from a record's ``name``, ``key`` or ``aliases``
  (the first step of every keyword match), or an ``in`` test against them.

Modules that match a *request's* words against record names (the rules implementation of
understanding: mentions, phrases, part_search) are listed in UNDERSTANDING with the reason; only the
understanding layer reads wording, and these modules are that layer's word search.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The rules implementation of understanding: they read the request's words and look them up in record
# names and aliases (issue 10: only the understanding layer reads wording).
UNDERSTANDING = {
    "agents/rules/mentions.py": "matches a request's mentions to record names and aliases",
    "agents/rules/phrases.py": "splits a request into part phrases, using record names as the vocabulary",
    "agents/rules/part_search.py": "looks a request's words up in record texts (lexical search)",
    "circuit/sizing/devices.py": "resolves the device a sizing request names to its record",
    "agents/explain.py": "finds the parts a user's question about the design names",
}

# Objects whose .description/.notes are a record's or a pin's (not a plan's, a deck's or an edit's notes).
RECORD_LIKE = re.compile(r"^(rec|r|record|recs?_?\w*|\w+_rec|mrec|srec|drv|motor|board|pin|p|pn|q|part_rec)$")
RECORD_ONLY = re.compile(r"^(rec|r|record|recs?_?\w*|\w+_rec|mrec|srec|drv|motor|board|part_rec)$")  # a pin's name is its label
TEXT_FIELDS = {"description", "typical_use", "notes"}
NAME_FIELDS = {"name", "key", "aliases"}


def _modules() -> list[Path]:
    paths = sorted((ROOT / "agents").glob("*.py")) + sorted((ROOT / "agents" / "rules").glob("*.py"))
    paths += sorted(p for p in (ROOT / "circuit").rglob("*.py") if "devicemodels" not in p.parts)
    return paths


def _base_name(node: ast.expr) -> str | None:
    """The last name of an attribute's object (``ctx.b.rec`` -> ``rec``, ``rec`` -> ``rec``)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _base_name(node.func)
    if isinstance(node, ast.Subscript):
        return _base_name(node.value)
    return None


def _record_attr(node: ast.AST, fields: set[str], like: re.Pattern = RECORD_LIKE) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in fields and bool(like.match(_base_name(node.value) or ""))


def _word_match(node: ast.AST) -> bool:
    """``(… rec.name …).lower()`` or ``"word" in rec.key``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("lower", "casefold"):
        return any(_record_attr(n, NAME_FIELDS, RECORD_ONLY) for n in ast.walk(node.func.value))
    if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) \
            and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
        return any(_record_attr(n, NAME_FIELDS, RECORD_ONLY) for c in node.comparators for n in ast.walk(c))
    return False


def offenders() -> list[str]:
    out = []
    for path in _modules():
        rel = path.relative_to(ROOT).as_posix()
        if rel in UNDERSTANDING:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if _record_attr(node, TEXT_FIELDS):
                out.append(f"{rel}:{node.lineno}: reads .{node.attr} of {ast.unparse(node.value)}")
            if _word_match(node):
                out.append(f"{rel}:{node.lineno}: matches words: {ast.unparse(node)[:70]}")
    return out


def test_rules_classify_by_typed_data_not_wording():
    found = offenders()
    assert not found, "rules must read typed record fields, not words:\n" + "\n".join(found)


def test_the_guard_sees_a_keyword_rule(tmp_path):
    """The scan is not blind: the old word-based motor test is an offence, its typed form is not."""
    bad = ast.parse('def is_stepper(rec):\n    return "stepper" in (rec.key + " " + rec.name).lower()\n'
                    'def self_osc(rec):\n    return "oscillator" in rec.description\n'
                    'def is_rgb(rec):\n    return "rgb" in rec.key\n')
    good = ast.parse('def is_stepper(rec):\n    return rec.actuator == "stepper"\n'
                     'def pin_named(rec, n):\n    return [p for p in rec.pins if p.name.lower() == n.lower()]\n')
    hits = lambda tree: [n for n in ast.walk(tree) if _record_attr(n, TEXT_FIELDS) or _word_match(n)]
    assert len(hits(bad)) == 4  # the lower() call, its "in" test, the description read, the key test
    assert hits(good) == []


# Regexes over pin labels that still classify pins (each a leftover, with what it reads); a new one fails the
# guard below. Driver outputs and motor-supply pins are no longer among them: the records' pin functions
# (``motor``, ``coil``) say which pins carry the load (issue 18).
LABEL_PATTERNS = {
    # interrupt/ready outputs, address and mode pins, an I/O expander's port outputs (Q0, P0, GPA0)
    "agents/rules/module_wiring.py": {"AUX_OUT", "ADDRESS", "MODE", "EXPANDER_OUT"},
    "circuit/netlist.py": {"_RAIL_PIN"},  # a rail's voltage printed in its label (5V, 3V3) when it has no v_out
}


def _label_patterns() -> dict[str, set[str]]:
    """Module-level ``re.compile`` names each module matches against a ``.name`` (a pin's label)."""
    out: dict[str, set[str]] = {}
    for path in _modules():
        rel = path.relative_to(ROOT).as_posix()
        if rel in UNDERSTANDING:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        compiled = {t.id for node in tree.body if isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call) and ast.unparse(node.value.func) == "re.compile"
                    for t in node.targets if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("match", "fullmatch", "search") \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in compiled \
                    and any(isinstance(n, ast.Attribute) and n.attr == "name" and _base_name(n.value) != "net"
                            for a in node.args for n in ast.walk(a)):
                out.setdefault(rel, set()).add(node.func.value.id)
    return out


def test_no_new_rule_classifies_pins_by_a_label_pattern():
    assert _label_patterns() == LABEL_PATTERNS


def test_driver_outputs_and_motor_supplies_come_from_pin_functions(library):
    """Every driver's load pins and motor-supply pins are the same when its pins are relabelled P1, P2...:
    the rules read the pins' functions, not their labels (OUT1, 1A, VMOT, VS)."""
    from agents.rules import parts as P
    from agents.rules.motor_drivers import driver_outputs

    drivers = [r for r in library if r.category == "driver" or r.drives]
    assert len([r for r in drivers if driver_outputs(r)]) >= 10
    for rec in drivers:
        relabel = {p.name: f"P{i}" for i, p in enumerate(rec.pins, 1)}
        blind = rec.model_copy(update={"pins": [p.model_copy(update={"name": relabel[p.name], "aliases": []})
                                                for p in rec.pins]})
        assert driver_outputs(blind) == [relabel[n] for n in driver_outputs(rec)], rec.key
        load = [p.name for p in P.power_in_pins(rec) if P.is_load_supply_pin(rec, p)]
        blind_load = [p.name for p in P.power_in_pins(blind) if P.is_load_supply_pin(blind, p)]
        assert blind_load == [relabel[n] for n in load], rec.key
        if rec.drives and driver_outputs(rec):
            assert load, f"{rec.key}: drives {rec.drives} but no power input has the motor function"
