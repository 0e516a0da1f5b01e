"""Measuring the voltage of a source (a battery, a solar panel, a supply) on a controller's ADC pin.

The need is a part whose record provides the voltage-measuring capability with an analog output (a divider
board). Its input goes to the watched source's + terminal and its output to an ADC pin, so that the source at
the highest voltage it gives in use (:mod:`circuit.source_peak`) reads within the ADC's range (the board's
logic level):

- a divider board the request names is wired as it is, and a note says what it reads (the requirement gate
  fails a design whose board puts more than the ADC takes on the pin);
- a measurement the request asks for without naming a part is two resistors sized by SPICE
  (``voltage_divider``) so that the source's peak reads at ``ADC_HEADROOM`` of the ADC's range, with the
  divider's output resistance kept low enough for the ADC's sampling capacitor (``R_SOURCE_MAX``);
- a source that stays within the ADC's range goes to the pin straight.

The watched source is a source part of the design: one the request names first, the highest-voltage one next.

A voltage the user brings, with the top of its range stated (``numbers["measured_v"]``, read by
:mod:`agents.understand.measured_range`), is no source part: it comes in on an input terminal (a record that
provides :data:`~circuit.voltage_reading.INPUT_TERMINAL`), one position the measured node, the other ground, and
is read the same way, sized for the top of the range (a divider board the request names is fed from the terminal).
"""

from __future__ import annotations

from agents.models import Need
from agents.rules import parts as P
from agents.rules.analog import two
from agents.rules.builder import Board
from agents.rules.context import PlanContext
from agents.rules.power_tree import is_source
from agents.rules.values import size_block
from circuit.source_peak import source_peak
from circuit.units import format_value
from circuit.voltage_reading import INPUT_TERMINAL, VOLTAGE, record_range
from knowledge.capabilities import providers
from knowledge.record import ComponentRecord

__all__ = ["ADC_HEADROOM", "MEASURED_V", "R_SOURCE_MAX", "VOLTAGE", "measures_voltage", "watch_voltage"]

ADC_HEADROOM = 0.9    # the source's peak reads at this share of the ADC's range
MEASURED_V = "measured_v"  # Identification.numbers: the top of a voltage range the user brings
R_SOURCE_MAX = 10e3   # output resistance an ADC input is specified for (ATmega328P datasheet 24.6.1: 10 kΩ or less;
                      # RP2040 and ESP32 sample through a few pF as well)


def measures_voltage(rec: ComponentRecord) -> bool:
    return any(c.capability == VOLTAGE for c in rec.provides) and bool(rec.pins_of_type("analog_out"))


def _watched(ctx: PlanContext) -> tuple[str, ComponentRecord] | None:
    b = ctx.b
    named = [n.key for n in ctx.ident.needs if n.explicit and n.key]
    sources = []
    for part in b.plan.parts:
        rec = b.lib[part.type]
        if is_source(rec) and rec.pins_of_type("power_out"):
            peak, _ = source_peak(part, rec)
            sources.append((part.type not in named, -(peak or 0.0), part.id, rec))
    if not sources:
        return None
    _, _, pid, rec = min(sources)
    return pid, rec


def _to_source(ctx: PlanContext, ep: str, src: str, rec: ComponentRecord, why: str) -> None:
    """``ep`` on the source's + terminal, the source's - on the common ground. A measurement draws well under a
    milliamp (the notes say how much): it is no load on the source's budget (a panel's charger is budgeted at
    all the panel gives)."""
    b = ctx.b
    plus = f"{src}:{rec.pins_of_type('power_out')[0].name}"
    b.wire(ep, plus, "power", why)
    for g in rec.pins_of_type("ground")[:1]:
        b.to_ground(f"{src}:{g.name}", f"{src}'s - shares the controller's ground: the ADC reads against it")


def watch_voltage(ctx: PlanContext, n: Need, attrs: dict, board: Board | None) -> str | None:
    b = ctx.b
    top = ctx.ident.numbers.get(MEASURED_V)
    if top:
        return _watch_input(ctx, n, attrs, board, top)
    watched = _watched(ctx)
    if watched is None and board is not None and (top := record_range(b.lib)):
        b.note(f"No range is stated and no source is named: the input is sized for {format_value(top, 'V')}, what the "
               "library's voltage sensor board takes.")
        return _watch_input(ctx, n, attrs, board, top)
    if board is None or watched is None:
        what = "no controller reads it" if board is None else "the design has no source to watch"
        b.note(f"{n.phrase or n.key}: a voltage measurement needs a source and an ADC pin; {what}.")
        return None
    src, src_rec = watched
    peak, where = source_peak(b.plan.part(src), src_rec)
    if peak is None:
        b.note(f"{src}'s voltage is unknown: nothing sizes a measurement of it.")
        return None
    full = board.logic
    if n.explicit:
        return _board(ctx, n, attrs, board, src, _from_source(ctx, src, src_rec), peak, where, full)
    if peak <= ADC_HEADROOM * full:
        alloc = board.alloc.take("adc", src, "in")
        ep = b.use_pin(board, alloc, f"{src} +", f"reads {src}'s voltage")
        _to_source(ctx, ep, src, src_rec, f"{src}'s voltage straight to the ADC")
        b.note(f"{ep} reads {src} straight: at most {format_value(peak, 'V')} ({where}), within the "
               f"{format_value(full, 'V')} ADC.")
        return src
    return _divider(ctx, board, src, _from_source(ctx, src, src_rec), peak, where, full)


def _watch_input(ctx: PlanContext, n: Need, attrs: dict, board: Board | None, top: float) -> str | None:
    """The voltage the user brings, up to ``top``: an input terminal per voltage measured, each read on an ADC pin
    (straight when the top of the range is within the ADC's, else through a divider sized for it, or through the
    divider board the request names)."""
    b = ctx.b
    terminal = next(iter(sorted(providers(b.lib, INPUT_TERMINAL), key=lambda k: len(b.lib[k].pins))), None)
    if board is None or terminal is None:
        what = "no controller reads it" if board is None else "the library has no input terminal"
        b.note(f"{n.phrase or n.key}: a voltage up to {format_value(top, 'V')} needs an input and an ADC pin; {what}.")
        return None
    full = board.logic
    where = "the top of the range asked"
    first = None
    for i in range(max(1, n.qty)):
        tid = b.add(terminal, f"input: the voltage measured, up to {format_value(top, 'V')}")
        trec = b.lib[terminal]
        plus, minus = (p.name for p in trec.pins[:2])
        b.to_ground(f"{tid}:{minus}", f"{tid} {minus}: the measured voltage's -, on the controller's ground")
        feed = _from_terminal(ctx, tid, plus)
        label = tid
        if n.explicit:
            pid = _board(ctx, n, attrs, board, label, feed, top, where, full)
        elif top <= ADC_HEADROOM * full:
            alloc = board.alloc.take("adc", tid, "in")
            ep = b.use_pin(board, alloc, f"{tid}:{plus}", f"reads {label}")
            feed(ep, f"{label} straight to the ADC")
            b.note(f"{ep} reads {label} straight: at most {format_value(top, 'V')} ({where}), within the "
                   f"{format_value(full, 'V')} ADC.")
            pid = tid
        else:
            pid = _divider(ctx, board, label, feed, top, where, full)
        first = first or pid
    return first


def _from_terminal(ctx: PlanContext, tid: str, plus: str):
    def feed(ep: str, why: str) -> None:
        ctx.b.wire(ep, f"{tid}:{plus}", "signal", why)
    return feed


def _from_source(ctx: PlanContext, src: str, rec: ComponentRecord):
    def feed(ep: str, why: str) -> None:
        _to_source(ctx, ep, src, rec, why)
    return feed


def _board(ctx: PlanContext, n: Need, attrs: dict, board: Board, src: str, feed, peak: float, where: str,
           full: float) -> str:
    """A named divider board: input on the source (``feed`` wires an endpoint to it), output on an ADC pin."""
    b = ctx.b
    rec = b.lib[n.key]
    pid = b.add(n.key, n.why or f"measures {src}'s voltage", attrs)
    vin = P.power_in_pins(rec)[0].name
    out = rec.pins_of_type("analog_out")[0].name
    gain = rec.spice.params.get("out_gain")
    feed(f"{pid}:{vin}", f"{src}'s voltage into {pid}'s input")
    for g in rec.pins_of_type("ground")[:1]:
        b.to_ground(f"{pid}:{g.name}", f"{pid}'s ground")
    alloc = board.alloc.take("adc", pid, "in")
    ep = b.use_pin(board, alloc, f"{pid}:{out}", f"reads {pid}'s output")
    b.wire(ep, f"{pid}:{out}", "signal", f"{pid}'s scaled-down voltage to the ADC")
    if gain:
        tap = peak * gain
        fits = "within" if tap <= full else "ABOVE"
        b.note(f"{pid} gives {gain:g} of its input: {src} at most {format_value(peak, 'V')} ({where}) reads "
               f"{format_value(tap, 'V')} on {ep}, {fits} the {format_value(full, 'V')} ADC range.")
    return pid


def _divider(ctx: PlanContext, board: Board, src: str, feed, peak: float, where: str, full: float) -> str:
    """Two resistors sized by SPICE: the source's peak at ``ADC_HEADROOM`` of the ADC's range (``feed`` wires an
    endpoint to the source). The power each resistor takes at the peak is said against its record's rating."""
    b = ctx.b
    target = ADC_HEADROOM * full
    ratio = target / peak
    analytic = {"R1": R_SOURCE_MAX / ratio, "R2": R_SOURCE_MAX / (1 - ratio)}
    s = size_block("voltage_divider", {"vin": peak}, [("vout", "=", target, 0.03),
                                                      ("r_source", "<=", R_SOURCE_MAX, 0.05)], analytic)
    r1v, r2v = s.values["R1"], s.values["R2"]
    tap = peak * r2v / (r1v + r2v)
    r1 = b.add("resistor", f"top of the divider measuring {src}", serves=src)
    r2 = b.add("resistor", f"bottom of the divider measuring {src}", serves=src)
    a1, a2 = two(ctx, r1)
    c1, c2 = two(ctx, r2)
    feed(f"{r1}:{a1}", f"{src}'s voltage into the divider")
    b.wire(f"{r1}:{a2}", f"{r2}:{c1}", "signal", f"divider tap: {src}'s voltage scaled down")
    b.to_ground(f"{r2}:{c2}", "divider bottom")
    formula = (f"Vadc = Vpeak × R2/(R1+R2) = {format_value(peak, 'V')} × {format_value(r2v, 'Ω')}/"
               f"({format_value(r1v, 'Ω')}+{format_value(r2v, 'Ω')}) = {format_value(tap, 'V')}")
    b.value(r1, r1v, "Ω", formula, f"top of the divider ({s.method}): {src} at its peak, {format_value(peak, 'V')} "
                                   f"({where}), reads {format_value(tap, 'V')} of the {format_value(full, 'V')} ADC")
    b.value(r2, r2v, "Ω", formula, f"bottom of the divider: R1‖R2 ≤ {format_value(R_SOURCE_MAX, 'Ω')} for the ADC's "
                                   "input")
    alloc = board.alloc.take("adc", r2, "in")
    ep = b.use_pin(board, alloc, f"{r2}:{c1}", f"reads {src}'s voltage through the divider")
    b.wire(ep, f"{r2}:{c1}", "signal", f"divider tap to the ADC: Vsource = reading × {(r1v + r2v) / r2v:.3g}")
    amps = peak / (r1v + r2v)
    rating = b.lib["resistor"].ratings.power_max
    heat = max(amps * amps * r1v, amps * amps * r2v)
    b.note(f"{ep} reads {src}: Vsource = Vadc × (R1+R2)/R2 = Vadc × {(r1v + r2v) / r2v:.3g}; "
           f"the divider draws {format_value(amps, 'A')} from {src} at its peak; the hotter resistor takes "
           f"{format_value(heat, 'W')}" + (f" of its {format_value(rating, 'W')} rating." if rating else "."))
    return r1

