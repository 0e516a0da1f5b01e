"""Sounders: a self-oscillating (active) buzzer makes one fixed pitch from DC; a passive buzzer or
speaker follows the square wave it is driven with, so only that kind can play tones or a melody
(tone() on a PWM pin). The kind is read from the record's description, which the datasheet
states ("built-in oscillator" / "without an oscillator")."""

from __future__ import annotations

from agents.rules import parts as P
from knowledge.preference import preference

SOUNDER_CATEGORIES = ("audio", "actuator")


def self_oscillating(rec) -> bool:
    text = f"{rec.name}. {rec.description}".lower().split(". ")[0:2]  # what the part is, not what it is not
    text = " ".join(text)
    return any(w in text for w in ("built-in oscillator", "self-oscillating", "self oscillating", "active buzzer"))


def is_sounder(rec) -> bool:
    words = " ".join([rec.key, rec.name, *rec.aliases]).lower()
    return rec.category in SOUNDER_CATEGORIES and P.is_two_terminal(rec) and any(
        w in words for w in ("buzzer", "sounder", "transducer", "speaker"))


def tone_sounder_for(lib, key: str) -> str | None:
    """The library's sounder that can play tones in place of ``key`` when ``key`` cannot; None when
    ``key`` is not a self-oscillating sounder (or nothing better exists)."""
    rec = lib[key]
    if not is_sounder(rec) or not self_oscillating(rec):
        return None
    cands = [r for r in lib if is_sounder(r) and not self_oscillating(r)]
    same = [r for r in cands if "buzzer" in " ".join([r.key, *r.aliases]).lower()]
    pick = (same or cands)
    return min(pick, key=preference).key if pick else None
