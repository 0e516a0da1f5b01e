"""Choosing a transistor that switches a load: an NPN or a logic-level N-MOSFET (a PNP for a
high-side or common-anode job), from the records' ratings, never from part names.

This module owns the choice; the designer (:mod:`agents.rules.load_switch`) and the ERC fixer
(:mod:`circuit.driver_choice`) both ask it.

* **MOSFET or NPN**: a MOSFET for loads over :data:`MOSFET_ABOVE` (its conduction loss stays small
  where an NPN would need more base current than a pin gives) or when the request asks for one or
  names one; an NPN otherwise, and a MOSFET after all when no NPN fits;
* **N-MOSFET**: V_DS(max) at least 1.5 x the load's supply, I_D(max) at least 2 x its peak current,
  and logic-level at the gate drive: fully on when its R_DS(on) is rated at or below the drive
  voltage, else on (not fully enhanced) when its threshold is at most half of it; its gate must
  stand the drive (V_GS(max));
* **BJT**: V_CE(max) at least 1.5 x the supply, I_C(max) at least 1.5 x the load current, the
  base current it needs at a forced gain of :data:`FORCED_BETA` (a Darlington a quarter of its hFE,
  at most 250) within 75 % of what the pin may give, and a drive 0.4 V above its V_BE;
* **among the parts that fit**: one the request names first, then a fully-on MOSFET, a
  through-hole part, small conduction loss, the most common part (knowledge/preference.py), the
  smallest rating, the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.library import Library
from knowledge.preference import commonness_rank, mount_rank, preference
from knowledge.record import ComponentRecord

__all__ = ["FORCED_BETA", "MOSFET_ABOVE", "SwitchChoice", "forced_beta", "gate_drive", "pick_nmos", "pick_bjt",
           "choose_switch"]

FORCED_BETA = 10.0
MOSFET_ABOVE = 0.3  # A
DARLINGTON_HFE = 500.0


@dataclass(frozen=True)
class SwitchChoice:
    key: str
    kind: str           # "nmos" | "npn" | "pnp"
    fully_on: bool = True  # a MOSFET fully enhanced at the gate drive (always True for a BJT)


def forced_beta(rec: ComponentRecord) -> float:
    """The gain a saturated switch is driven at: 10, or for a Darlington a quarter of its hFE (at most 250)."""
    hfe = rec.ratings.hfe or 100.0
    return FORCED_BETA if hfe < DARLINGTON_HFE else min(hfe / 4, 250.0)


def gate_drive(rec: ComponentRecord, v_gate: float) -> str | None:
    """How an N-MOSFET turns on at ``v_gate``: "full" (R_DS(on) rated at or below it), "partial"
    (threshold at most half of it), or None (not a logic-level part at this drive)."""
    r = rec.ratings
    if r.vgs_max is not None and r.vgs_max < v_gate:
        return None
    if r.rds_on_vgs is not None and r.rds_on_vgs <= v_gate + 0.05:
        return "full"
    if r.vgs_th is not None and r.vgs_th <= 0.5 * v_gate:
        return "partial"
    return None


def pick_nmos(lib: Library, v_load: float, i_peak: float, v_gate: float,
              named: tuple[str, ...] = ()) -> tuple[str, bool] | None:
    """(key, fully_on) of the best logic-level N-MOSFET for the job; one the request names first."""
    best = None
    for rec in lib:
        if rec.spice.kind != "nmos":
            continue
        r = rec.ratings
        if r.vds_max is not None and r.vds_max < 1.5 * v_load:
            continue
        if r.id_max is not None and r.id_max < 2 * i_peak:
            continue
        drive = gate_drive(rec, v_gate)
        if drive is None:
            continue
        fully_on = drive == "full"
        loss = (r.rds_on or 1.0) * i_peak * i_peak  # conduction loss at the load current
        score = (rec.key not in named, 0 if fully_on else 1, mount_rank(rec), 0 if loss < 0.5 else 1,
                 commonness_rank(rec), r.id_max or 0, preference(rec))
        if best is None or score < best[0]:
            best = (score, rec.key, fully_on)
    return (best[1], best[2]) if best else None


def pick_bjt(lib: Library, v_load: float, i_c: float, pnp: bool = False, i_base_max: float | None = None,
             named: tuple[str, ...] = (), v_drive: float | None = None) -> str | None:
    """The BJT for the job: one the request names first (a named part is never swapped while it fits);
    ``v_drive``: the drive must clear its V_BE by 0.4 V to push base current through a resistor."""
    kind = "pnp" if pnp else "npn"
    best = None
    for rec in lib:
        if rec.spice.kind != kind:
            continue
        r = rec.ratings
        if r.vce_max is not None and r.vce_max < 1.5 * v_load:
            continue
        if r.ic_max is not None and r.ic_max < 1.5 * i_c:
            continue
        if i_base_max is not None and i_c / forced_beta(rec) > i_base_max:
            continue
        if v_drive is not None and v_drive - (r.vbe_on or 0.7) < 0.4:
            continue
        score = (rec.key not in named, mount_rank(rec), commonness_rank(rec), r.ic_max or 0, preference(rec))
        if best is None or score < best[0]:
            best = (score, rec.key)
    return best[1] if best else None


def choose_switch(lib: Library, v_load: float, i_peak: float, v_drive: float, i_pin: float | None,
                  prefer: str | None = None, named: tuple[str, ...] = ()) -> SwitchChoice | None:
    """The low-side switch for a load of ``i_peak`` at ``v_load`` driven from a pin at ``v_drive``
    that may give ``i_pin``; ``prefer``: "mosfet" or "bjt" when the request asks; ``named``: the
    parts the request names (a named NPN alone makes it an NPN job)."""
    if prefer is None and any(k in lib and lib[k].spice.kind == "npn" for k in named) \
            and not any(k in lib and lib[k].spice.kind == "nmos" for k in named):
        prefer = "bjt"  # the request names the transistor
    elif prefer is None and any(k in lib and lib[k].spice.kind == "nmos" for k in named) \
            and not any(k in lib and lib[k].spice.kind == "npn" for k in named):
        prefer = "mosfet"  # likewise a named N-MOSFET, whatever the load's current
    use_fet = prefer == "mosfet" or (prefer != "bjt" and i_peak > MOSFET_ABOVE)
    fet = pick_nmos(lib, v_load, i_peak, v_drive, named) if use_fet or prefer != "bjt" else None
    bjt = None if (use_fet and fet) else pick_bjt(lib, v_load, i_peak, i_base_max=0.75 * (i_pin or 0.02), named=named,
                                                 v_drive=v_drive)
    if bjt is None and fet is None:
        fet = pick_nmos(lib, v_load, i_peak, v_drive)
    if fet is not None and (use_fet or bjt is None):
        return SwitchChoice(fet[0], "nmos", fet[1])
    return SwitchChoice(bjt, "npn") if bjt is not None else None
