"""A supply that takes mains in, placed as a source: its mains side wired, from record data.

An enclosed switching supply (record: mains pins on one side of an isolation barrier, its DC output on the
other, ``circuit.hazard.is_isolated_supply``) that the planner places to power loads (a shared supply for
several servos) has its mains terminals fed: live from the design's mains source (or a new one) through a
fuse, neutral straight back, its frame ground to protective earth. The fuse is sized from the supply's rated
power (``ratings.power_max``): a capacitor-input supply without power-factor correction draws about
P / (efficiency x power factor x V) from the mains, with power factor 0.4-0.6 and efficiency about 0.85
(Mean Well SPS user manual, sec. 1.2), and the fuse is 1.5 times that, the next standard size up.
Nothing of the mains side joins the low-voltage ground.
"""

from __future__ import annotations

from agents.rules.builder import DesignBuilder
from circuit.hazard import EARTH_FUNCTION, attr_volts, is_isolated_supply, is_mains_source, live_pin, neutral_pin
from knowledge.preference import most_preferred
from knowledge.record import ComponentRecord

FUSE_SIZES = (0.5, 1.0, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0, 10.0)
INPUT_VA_PER_W = 1 / (0.85 * 0.5)  # volt-amperes a non-PFC supply draws per watt it gives
FUSE_MARGIN = 1.5

__all__ = ["FUSE_SIZES", "feed_from_mains", "supply_fuse_rating"]


def supply_fuse_rating(rec: ComponentRecord, mains_volts: float) -> float:
    """The fuse (A) ahead of a mains-input supply's live terminal."""
    watts = rec.ratings.power_max
    if not watts:
        return FUSE_SIZES[2]
    want = watts * INPUT_VA_PER_W / mains_volts * FUSE_MARGIN
    return next((f for f in FUSE_SIZES if f >= want), FUSE_SIZES[-1])


def _earth_pin(rec: ComponentRecord) -> str | None:
    return next((p.name for p in rec.pins if EARTH_FUNCTION in p.functions), None)


def feed_from_mains(b: DesignBuilder, pid: str) -> None:
    """Wire the mains side of supply ``pid`` when it takes mains in; nothing for any other part."""
    lib = b.lib
    rec = b.rec(pid)
    if not is_isolated_supply(rec):
        return
    src = next((p for p in b.plan.parts if is_mains_source(lib[p.type])), None)
    if src is None:
        mains = most_preferred(r for r in lib if is_mains_source(r))
        if mains is None:
            b.unmet(f"{pid} takes mains in, and the library has no mains source record (live, neutral, earth).")
            return
        src = b.plan.part(b.add(mains.key, "mains supply: live, neutral, protective earth"))
    fuse = most_preferred(r for r in lib if r.safety.overcurrent_protection)
    if fuse is None:
        b.unmet(f"The library has no fuse record to protect {pid}'s mains input.")
        return
    srec = lib[src.type]
    volts = attr_volts(src.attrs) or srec.safety.v_ac or 230.0
    rating = supply_fuse_rating(rec, volts)
    fid = b.add(fuse.key, f"fuse in the mains live wire of {pid}", {"rating": f"{rating:g} A"}, serves=pid)
    f1, f2 = fuse.pin_names[:2]
    b.wire(f"{src.id}:{live_pin(srec)}", f"{fid}:{f1}", "load", f"mains live from {src.id} into the fuse {fid}")
    b.wire(f"{fid}:{f2}", f"{pid}:{live_pin(rec)}", "load", f"fused live into {pid}'s mains input")
    b.wire(f"{src.id}:{neutral_pin(srec)}", f"{pid}:{neutral_pin(rec)}", "load", f"mains neutral into {pid}")
    pe, fg = _earth_pin(srec), _earth_pin(rec)
    if pe and fg:
        b.wire(f"{src.id}:{pe}", f"{pid}:{fg}", "load", f"{pid}'s frame to protective earth")
    b.note(f"{pid} runs from mains: mount it with its fuse {fid} in a closed, earthed enclosure, never join its "
           "mains side to the low-voltage ground, and wire it only while unplugged.")
