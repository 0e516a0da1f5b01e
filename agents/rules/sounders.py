"""Sounders: a self-oscillating (active) buzzer makes one fixed pitch from DC; a passive buzzer or
speaker follows the square wave it is driven with, so only that kind can play tones or a melody
(tone() on a PWM pin). The kind is read from the record: ``actuator`` says it is a buzzer or a
speaker, ``requires.signal_drive`` that it sounds only on a changing signal (no oscillator of its own)."""

from __future__ import annotations

from knowledge.preference import preference


def self_oscillating(rec) -> bool:
    return is_sounder(rec) and not rec.requires.signal_drive


def is_sounder(rec) -> bool:
    return rec.actuator in ("buzzer", "speaker")


def tone_sounder_for(lib, key: str) -> str | None:
    """The library's sounder that can play tones in place of ``key`` when ``key`` cannot; None when
    ``key`` is not a self-oscillating sounder (or nothing better exists)."""
    rec = lib[key]
    if not is_sounder(rec) or not self_oscillating(rec):
        return None
    cands = [r for r in lib if is_sounder(r) and not self_oscillating(r)]
    same = [r for r in cands if r.actuator == rec.actuator]  # a buzzer for a buzzer: it needs no amplifier
    pick = (same or cands)
    return min(pick, key=preference).key if pick else None
