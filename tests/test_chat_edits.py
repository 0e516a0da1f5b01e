"""Chat edits are edits: each scripted follow-up changes only what it names.

Over a few base designs (different boards and parts), every edit is made on the base design and compared
with it: every part the edit does not name keeps its designator, type and values, every connection
between such parts stays (pins and nets), the named change happened (checked against the board
record, the library or the CircuitJSON), the answer lists the difference, and "undo" brings the base
design back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from circuit.model import Circuit
from circuit.netlist import Netlist
from pipelines.design import DesignSession


@dataclass
class Edit:
    message: str
    check: Callable[[dict, dict, object], None]   # (before turn, after turn, library): the named change happened
    named: Callable[[dict], set[str]] = lambda before: set()   # parts of the base the edit names (may change)
    board_pins_of: Callable[[dict], set[str]] = lambda before: set()  # parts whose controller pins may move
    swapped: Callable[[dict], set[str]] = lambda before: set()  # parts whose type changes, pins kept by name
    same_nets: bool = True
    passes: bool = True
    extra: dict = field(default_factory=dict)


# ---- helpers over the CircuitJSON and the plan ----------------------------------------------------------
def same_circuit(a: dict, b: dict) -> bool:
    """The same parts (ids, types, attrs) and the same wires, in any order."""
    def norm(c):
        parts = sorted((p["id"], p["type"], sorted(p["attrs"].items())) for p in c["parts"])
        wires = sorted(tuple(sorted(w[:2])) for w in c["connections"])
        return parts, wires
    return norm(a) == norm(b)


def part_ids(turn: dict, type_: str) -> list[str]:
    return [p["id"] for p in turn["circuit"]["parts"] if p["type"] == type_]


def one(turn: dict, type_: str) -> str:
    ids = part_ids(turn, type_)
    assert len(ids) == 1, (type_, ids)
    return ids[0]


def with_companions(turn: dict, pids: set[str]) -> set[str]:
    """The parts and every planned part that serves them (transitively)."""
    out = set(pids)
    grew = True
    while grew:
        grew = False
        for p in turn["plan"]["parts"]:
            if p.get("serves") in out and p["id"] not in out:
                out.add(p["id"])
                grew = True
    return out


def controller_pins(turn: dict, pid: str) -> list[str]:
    return [u["pin"] for u in turn["plan"]["pins"] if u["serves"].split(":")[0].split(" ")[0] == pid]


def value_of(turn: dict, pid: str) -> str | None:
    part = next(p for p in turn["circuit"]["parts"] if p["id"] == pid)
    return part["attrs"].get("value")


def groups(turn: dict, library, skip_parts: set[str], skip_eps: set[str]) -> dict[str, frozenset[str]]:
    """endpoint -> the endpoints on its net, both outside the skipped parts and endpoints."""
    nl = Netlist(Circuit.model_validate(turn["circuit"]), library)
    out: dict[str, frozenset[str]] = {}
    for net in nl.nets:
        eps = frozenset(e for e in net.pins if e.split(":", 1)[0] not in skip_parts and e not in skip_eps)
        for e in eps:
            out[e] = eps
    return out


def parts_map(turn: dict) -> dict[str, tuple[str, dict]]:
    return {p["id"]: (p["type"], p["attrs"]) for p in turn["circuit"]["parts"]}


def _pin_set(text) -> set[str]:
    return {t for t in str(text or "").replace(",", " ").split() if t}


def assert_only_named_changed(before: dict, after: dict, edit: Edit, library) -> None:
    named = set(edit.named(before))
    swapped = edit.swapped(before)
    b_parts, a_parts = parts_map(before), parts_map(after)
    new = set(a_parts) - set(b_parts)
    for pid, (type_, attrs) in b_parts.items():
        if pid in named:
            continue
        assert pid in a_parts, f"{edit.message!r} removed {pid}, which it does not name"
        if pid in swapped:
            continue
        a_type, a_attrs = a_parts[pid]
        assert a_type == type_, f"{edit.message!r} changed {pid} from {type_} to {a_type}"
        moved = edit.board_pins_of(before)
        moved_pins = {p.split(":", 1)[1] for m in moved | named for p in controller_pins(before, m)}
        # a board's pull-up list names pins: the ones it had stay (a new button adds its own)
        pulls_b = _pin_set(attrs.get("pullups")) - moved_pins
        assert pulls_b <= _pin_set(a_attrs.get("pullups")), f"{edit.message!r} dropped pull-ups of {pid}"
        keep = {k: v for k, v in attrs.items() if k != "pullups" and not (moved and k == "pull")}
        a_keep = {k: v for k, v in a_attrs.items() if k != "pullups" and not (moved and k == "pull")}
        assert a_keep == keep, f"{edit.message!r} changed {pid}'s attrs {attrs} -> {a_attrs}"
    if not edit.same_nets:
        return
    # controller pins of the parts whose pins the edit moves (old and new) are out of the comparison
    moving = edit.board_pins_of(before)
    skip_eps = {p for pid in moving for p in controller_pins(before, pid) + controller_pins(after, pid)}
    skip = named | new
    g_before = groups(before, library, skip, skip_eps)
    g_after = groups(after, library, skip, skip_eps)
    for ep in set(g_before) | set(g_after):
        assert g_before.get(ep, frozenset({ep})) == g_after.get(ep, frozenset({ep})), (
            f"{edit.message!r} rewired {ep}: {sorted(g_before.get(ep, []))} -> {sorted(g_after.get(ep, []))}")
    # the pins of every part it does not name stay where they were
    for u in before["plan"]["pins"]:
        pid = u["serves"].split(":")[0].split(" ")[0]
        if pid in named or pid in moving:
            continue
        assert u["pin"] in controller_pins(after, pid), f"{edit.message!r} moved {pid} off {u['pin']}"


# ---- the named changes ---------------------------------------------------------------------------------
def on_pwm_pins(type_: str):
    def check(before, after, library):
        pid = one(after, type_)
        pins = controller_pins(after, pid)
        board = library[next(p["type"] for p in after["circuit"]["parts"] if library[p["type"]].is_mcu)]
        assert pins and all("pwm" in board.pin(p.split(":", 1)[1]).functions for p in pins), pins
    return check


def removed(type_: str):
    def check(before, after, library):
        assert part_ids(before, type_) and not part_ids(after, type_)
    return check


def added(type_: str, count: int = 1):
    def check(before, after, library):
        assert len(part_ids(after, type_)) == len(part_ids(before, type_)) + count
        pid = part_ids(after, type_)[-1]
        nl = Netlist(Circuit.model_validate(after["circuit"]), library)
        assert any(nl.is_connected(e) for e in nl.part_pins(pid)), f"{pid} is not wired"
    return check


def value_is(pid_of: Callable[[dict], list[str]], text: str):
    def check(before, after, library):
        for pid in pid_of(before):
            assert value_of(after, pid) == text, (pid, value_of(after, pid))
    return check


def pin_is(type_: str, pin: str):
    def check(before, after, library):
        pins = controller_pins(after, one(after, type_))
        assert any(p.split(":", 1)[1] == pin for p in pins), pins
    return check


def swapped_to(old: str, new: str):
    def check(before, after, library):
        pid = one(before, old)
        assert parts_map(after)[pid][0] == new
    return check


def both(*checks):
    def check(before, after, library):
        for c in checks:
            c(before, after, library)
    return check


def repowered(type_: str):
    """The part stays, and the repair that gave it another supply says so (a board whose rail cannot give its peak)."""
    def check(before, after, library):
        pid = one(before, type_)
        assert pid in parts_map(after), f"{pid} was removed"
        assert any(pid in r and "supply" in r for r in after.get("repairs") or []), after.get("repairs")
        # one story: the answer names the part the fix added, not only the plan's parts
        for new in set(parts_map(after)) - set(parts_map(before)):
            assert new in after["answer"], (new, after["answer"])
    return check


def powered_by(type_: str):
    def check(before, after, library):
        pid = one(after, type_)
        nl = Netlist(Circuit.model_validate(after["circuit"]), library)
        board = next(p["id"] for p in after["circuit"]["parts"] if library[p["type"]].is_mcu)
        assert any(nl.connected(e, b) for e in nl.part_pins(pid) for b in nl.part_pins(board)), \
            f"{pid} does not feed the board"
    return check


def resistors_of(type_: str) -> Callable[[dict], list[str]]:
    def pick(turn):
        targets = set(part_ids(turn, type_))
        return [p["id"] for p in turn["plan"]["parts"] if p["type"] == "resistor" and p.get("serves") in targets]
    return pick


def ids(*types: str, companions: bool = True) -> Callable[[dict], set[str]]:
    def pick(turn):
        got = {pid for t in types for pid in part_ids(turn, t)}
        return with_companions(turn, got) if companions else got
    return pick


# ---- the script ------------------------------------------------------------------------------------------
SCRIPT: list[tuple[str, list[Edit]]] = [
    ("an Arduino Nano with an RGB LED and a buzzer", [
        Edit("move the rgb led to pwm pins", on_pwm_pins("rgb-led"), board_pins_of=ids("rgb-led", companions=False)),
        Edit("remove the buzzer", removed("buzzer"), named=ids("buzzer")),
        Edit("make R1 330 Ω", value_is(lambda t: ["R1"], "330 Ω"), named=lambda t: {"R1"}),
        Edit("use a 9 V battery instead", powered_by("battery-9v")),
        Edit("put the buzzer on D12", pin_is("buzzer", "D12"), board_pins_of=ids("buzzer", companions=False)),
        Edit("use an Arduino Uno instead", swapped_to("arduino-nano", "arduino-uno"), swapped=ids("arduino-nano")),
        Edit("add a push button", added("push-button")),
        Edit("change R4 to 1 kΩ", value_is(lambda t: ["R4"], "1 kΩ"), named=lambda t: {"R4"}),
    ]),
    ("ESP32 with a DHT22, an OLED display and a push button", [
        Edit("remove the OLED", removed("ssd1306"), named=ids("ssd1306")),
        Edit("replace the DHT22 with a BME280", swapped_to("dht22", "bme280"), named=ids("dht22")),
        Edit("add a buzzer", added("buzzer")),
        Edit("move the button to GPIO4", pin_is("push-button", "D4"), board_pins_of=ids("push-button", companions=False)),
        Edit("power it from a 12 V adapter", powered_by("power-supply-12v")),
        Edit("add another push button", added("push-button")),
        Edit("I don't need the push button anymore", removed("push-button"), named=ids("push-button")),
    ]),
    ("Arduino Uno with two LEDs, a servo and a potentiometer", [
        Edit("remove the servo", removed("servo"), named=ids("servo")),
        Edit("make the LED resistors 470 Ω", value_is(resistors_of("led"), "470 Ω"), named=resistors_of("led")),
        Edit("add a DHT22", added("dht22")),
        Edit("move the potentiometer to A3", pin_is("potentiometer", "A3"),
             board_pins_of=ids("potentiometer", companions=False)),
        # the Nano's 5 V pin (0.5 A, no peak rating in its record) cannot give the servo's 650 mA peaks that the
        # Uno's (1 A peak) could: the swap re-powers the servo, and the repair says so
        Edit("use an Arduino Nano instead", both(swapped_to("arduino-uno", "arduino-nano"), repowered("servo")),
             swapped=ids("arduino-uno"), named=ids("servo", companions=False)),
        Edit("add a buzzer", added("buzzer")),
    ]),
    ("Arduino Uno with two LEDs and a 9 V battery", [
        Edit("power it from USB instead", removed("battery-9v"), named=ids("battery-9v")),
        Edit("add 2 more LEDs", added("led", 2)),
    ]),
    ("Raspberry Pi Pico with a relay module and an LED", [
        Edit("get rid of the LED", removed("led"), named=ids("led")),
        Edit("add a push button", added("push-button")),
        Edit("make R1 1 kΩ", value_is(lambda t: ["R1"], "1 kΩ"), named=lambda t: {"R1"}),
    ]),
]


def _base_ok(turn: dict) -> None:
    assert turn["mode"] == "design" and turn["passed"], [f["message"] for f in turn.get("findings") or []]


@pytest.mark.parametrize("base,edits", SCRIPT, ids=[s[0][:40] for s in SCRIPT])
def test_scripted_edits_change_only_what_they_name(base, edits, library):
    s = DesignSession(backend="rules", checkpointer=InMemorySaver())
    first = s.send(base)
    _base_ok(first)
    for edit in edits:
        after = s.send(edit.message)
        assert after["mode"] == "edit", (edit.message, after["mode"])
        assert after["passed"] == edit.passes, (edit.message, [f["message"] for f in after.get("findings") or []
                                                               if f["severity"] in ("Critical", "Major")])
        edit.check(first, after, library)
        assert_only_named_changed(first, after, edit, library)
        # the answer lists the difference
        assert after["changes"] and "nothing changed" not in after["changes"], (edit.message, after["changes"])
        assert "Changed:" in after["answer"]
        back = s.send("undo")
        assert back["mode"] == "undo"
        assert back["circuit"] == first["circuit"], f"undo after {edit.message!r} did not restore the design"


def test_script_has_twenty_single_change_edits():
    assert sum(len(e) for _, e in SCRIPT) >= 20


def test_edits_and_undo_work_non_interactively(tmp_path, monkeypatch, capsys):
    """``design "EDIT" --thread NAME --json`` edits the thread's design; ``design "undo" ...`` returns to the
    previous version and writes its files again."""
    import json

    from pipelines.cli import main

    monkeypatch.setenv("CIRCUITSMITH_HOME", str(tmp_path / "home"))
    out = tmp_path / "out"

    def run(message: str) -> tuple[int, dict]:
        rc = main(["design", message, "--thread", "desk", "-o", str(out), "--json", "--rules"])
        return rc, json.loads(capsys.readouterr().out)

    rc, nothing = run("undo")  # a new thread has nothing to undo: said plainly, nothing designed
    assert rc == 2 and nothing["mode"] == "undo" and not nothing["pass"]
    rc, base = run("Arduino Uno with an LED and a buzzer")
    assert rc == 0 and base["mode"] == "design"
    wiring_base = (out / "wiring.md").read_text()
    r1 = next(p for p in json.loads((out / "circuit.json").read_text())["parts"] if p["id"] == "R1")["attrs"]["value"]
    assert r1 != "330 Ω"
    rc, edit = run("make R1 330 Ω")
    assert rc == 0 and edit["mode"] == "edit" and edit["changes"] == [f"R1 {r1} → 330 Ω"]
    assert "330 Ω" in (out / "wiring.md").read_text() and (out / "schematic.png").is_file()
    rc, back = run("undo")
    assert rc == 0 and back["mode"] == "undo" and back["changes"] == [f"R1 330 Ω → {r1}"]
    assert (out / "wiring.md").read_text() == wiring_base


def test_edits_stay_made_through_later_edits_and_wrong_targets_are_said_not_guessed(library):
    s = DesignSession(backend="rules", checkpointer=InMemorySaver())
    base = s.send("an Arduino Nano with an RGB LED and a buzzer")
    _base_ok(base)
    s.send("make R1 330 Ω")
    pwm = s.send("move the rgb led to pwm pins")
    on_pwm_pins("rgb-led")(base, pwm, library)
    more = s.send("add a DHT22")
    assert more["passed"] and part_ids(more, "dht22")
    assert value_of(more, "R1") == "330 Ω", "a value the user set stays set"
    assert controller_pins(more, "LED1") == controller_pins(pwm, "LED1"), "pins the user moved stay moved"
    assert {p["id"]: p["type"] for p in pwm["circuit"]["parts"]}.items() <= \
        {p["id"]: p["type"] for p in more["circuit"]["parts"]}.items(), "designators of the parts that stay"
    # a designator the design lacks, a pin another part holds: said plainly, nothing changed
    wrong = s.send("make R99 330 Ω")
    assert wrong["mode"] == "edit" and same_circuit(wrong["circuit"], more["circuit"])
    assert any("no R99" in c for c in wrong["changes"])
    none = s.send("change the capacitor to 10 uF")  # C1 is the DHT22's companion: asked which, none added
    assert none["mode"] == "edit" and same_circuit(none["circuit"], more["circuit"]), none["changes"]
    taken = controller_pins(more, "LED1")[0].split(":", 1)[1]
    busy = s.send(f"put the buzzer on {taken}")
    assert busy["mode"] == "edit" and same_circuit(busy["circuit"], more["circuit"])
    assert any(f"{taken} is in use by LED1" in c for c in busy["changes"])
    later = s.send("add a push button")
    assert not any("in use" in c for c in later["changes"]), "a refused pin request is not repeated"
    assert same_circuit(s.send("undo")["circuit"], busy["circuit"])
