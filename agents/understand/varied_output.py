"""An output asked at a varied level (dimmed, faded, its speed or brightness set), not only on and off.

The trade's terms for it (``vocabulary.TERMS`` whose preference is PWM: dim, fade, brightness, speed control) set the
design's PWM preference. Where those words stand inside the words that asked a function (the clause that read as a
mains load: "dim a 230 V lamp"), that function is asked varied: its need carries ``target['varied'] = 1``, and the
requirement gate holds the design to a part that can vary it (a relay's or an SSR's contacts only switch it)."""

from __future__ import annotations

from agents.understand.requirements import Requirements
from agents.understand.vocabulary import TERMS
from agents.rules.text import normalize

VARIED = "varied"
_PWM_TERMS = [t for t in TERMS if "pwm" in t.preferences]


def mark_varied(req: Requirements) -> None:
    """Mark each need whose own words ask its output varied (a PWM term in them, not negated)."""
    if "pwm" not in req.preferences:
        return
    for n in req.needs:
        words = normalize(n.words)
        if words and any(t.matches(words) for t in _PWM_TERMS):
            n.target[VARIED] = 1.0
