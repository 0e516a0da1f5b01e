"""Reading specs off simulation vectors: gains, corner frequencies, oscillation frequency, duty."""

from __future__ import annotations

import math

import numpy as np


def db(x: np.ndarray) -> np.ndarray:
    return 20 * np.log10(np.maximum(np.abs(x), 1e-30))


def _interp_log_f(f1: float, f2: float, y1: float, y2: float, y: float) -> float:
    if y2 == y1:
        return f1
    t = (y - y1) / (y2 - y1)
    return float(10 ** (math.log10(f1) + t * (math.log10(f2) - math.log10(f1))))


def crossing_freq(freq: np.ndarray, mag_db: np.ndarray, level_db: float, direction: str = "down", start: int = 0) -> float | None:
    """First frequency (after index ``start``) where the magnitude crosses ``level_db``."""
    f = np.real(freq)
    for i in range(max(start, 0), len(f) - 1):
        a, b = mag_db[i], mag_db[i + 1]
        if direction == "down" and a >= level_db > b:
            return _interp_log_f(f[i], f[i + 1], a, b, level_db)
        if direction == "up" and a <= level_db < b:
            return _interp_log_f(f[i], f[i + 1], a, b, level_db)
    return None


def lowpass_corner(freq, h) -> float | None:
    m = db(h)
    return crossing_freq(freq, m, m[0] - 3.0103, "down")


def highpass_corner(freq, h) -> float | None:
    m = db(h)
    return crossing_freq(freq, m, m[-1] - 3.0103, "up")


def bandpass(freq, h) -> tuple[float, float, float, float] | None:
    """(f0, peak gain, bandwidth, Q) of a band-pass response."""
    f = np.real(freq)
    m = db(h)
    i = int(np.argmax(m))
    if i == 0 or i == len(m) - 1:
        return None
    level = m[i] - 3.0103
    lo = None
    for j in range(i, 0, -1):
        if m[j - 1] < level <= m[j]:
            lo = _interp_log_f(f[j - 1], f[j], m[j - 1], m[j], level)
            break
    hi = crossing_freq(f, m, level, "down", start=i)
    if lo is None or hi is None:
        return None
    f0 = math.sqrt(lo * hi)
    return f0, float(10 ** (m[i] / 20)), hi - lo, f0 / (hi - lo)


def rising_edges(t: np.ndarray, v: np.ndarray, level: float) -> list[float]:
    t = np.real(t)
    v = np.real(v)
    out = []
    for i in range(len(v) - 1):
        if v[i] < level <= v[i + 1]:
            out.append(float(t[i] + (level - v[i]) * (t[i + 1] - t[i]) / (v[i + 1] - v[i])))
    return out


def falling_edges(t: np.ndarray, v: np.ndarray, level: float) -> list[float]:
    return rising_edges(t, -np.real(v), -level)


def frequency_and_duty(t: np.ndarray, v: np.ndarray, level: float | None = None, skip: int = 1) -> tuple[float, float] | None:
    """Steady-state frequency and duty cycle of a periodic waveform (skipping start-up cycles)."""
    v = np.real(v)
    if level is None:
        tail = v[len(v) // 3:]
        level = (float(np.max(tail)) + float(np.min(tail))) / 2
    ups = rising_edges(t, v, level)
    downs = falling_edges(t, v, level)
    ups = ups[skip:]
    if len(ups) < 2:
        return None
    periods = np.diff(ups)
    period = float(np.median(periods))
    highs = []
    for u in ups[:-1]:
        d = [x for x in downs if x > u]
        if d:
            highs.append(d[0] - u)
    duty = float(np.median(highs)) / period if highs else math.nan
    return 1.0 / period, duty


def amplitude(v: np.ndarray, frac: float = 0.3) -> float:
    """Peak-to-peak / 2 over the last ``frac`` of a waveform."""
    v = np.real(v)
    tail = v[int(len(v) * (1 - frac)):]
    return float((np.max(tail) - np.min(tail)) / 2)
