"""Electronics terms a request uses for design choices and analog building blocks.

These are words of the trade (PWM, MOSFET, pull-up, barrel jack, voltage divider, low-pass, op-amp),
not project names: what a request *needs* is matched by meaning against the records' capabilities
(:mod:`agents.understand.needs`), never listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

W = r"(?:^|[^a-z0-9])"  # word start
E = r"(?=$|[^a-z0-9])"   # word end
V = r"(?:\d+(?:\.\d+)? ?v )?"  # an optional voltage


@dataclass(frozen=True)
class Term:
    pattern: str
    preferences: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        return re.search(self.pattern, text) is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the term stands in ``text`` (its words, without the boundary before them)."""
        return [(m.start(1), m.end(1)) if m.lastindex else m.span() for m in re.finditer(self.pattern, text)]


TERMS: list[Term] = [
    # design choices
    Term(W + r"(pwm|fade|fading|dim|dimm\w*|brightness|speed control|variable (strength|speed|brightness)|analog-like)" + E,
         preferences=("pwm",)),
    Term(W + r"(mosfet|n-channel|p-channel)" + E, preferences=("prefer_mosfet",)),
    Term(W + r"(pull-?ups?|pull up)" + E, preferences=("pullups_requested",)),
    Term(W + r"(pull-?downs?|pull down)" + E, preferences=("button_pull:down",)),
    Term(r"resistors? for the (push-?)?(button|switch)|(button|switch)('s)? resistor|(button|switch) with an? resistor"
         r"|external pull", preferences=("button_pull:external",)),
    Term(W + r"(barrel jack|dc jack)" + E, preferences=("board_power:barrel",)),
    Term(W + r"(powered (by|from|over) usb|usb[- ]powered)" + E, preferences=("board_power:usb",)),
    Term(W + r"(melod\w*|tunes?|musical notes?|tones?|jingle|ringtone|piano)" + E, preferences=("tones", "pwm")),
    # built from discrete parts: no programmable controller (the trade's word for it)
    Term(W + r"discrete (parts?|components?|logic|electronics|circuit\w*)" + E, preferences=("no_controller",)),
    # the direction a threshold is crossed in: below it (dark, cold, dry) rather than above
    Term(W + r"(dark\w*|night\w*|cold\w*|freez\w*|too dry|dries out|drops? below|falls? below|goes below|below)" + E,
         preferences=("trigger:low",)),
    # analog building blocks (sizing blocks the planner builds)
    Term(W + r"(comparators?|compare\w* (against|with) a (threshold|reference))" + E, blocks=("comparator",)),
    Term(W + r"(voltage divider|potential divider|resistor divider|divider|divide\w* " + V + r"down)" + E,
         blocks=("divider",)),
    # noise that is taken out (a filter), not a noise that is made (a siren); a signal smoothed, not an output
    # that changes smoothly (the adverb says how a fade or a sweep goes)
    Term(W + r"(low[- ]pass|lowpass|smooth(?!ly\b)\w*|(filter\w*|clean\w*|remov\w*|reduc\w*|cut\w*|suppress\w*|kill\w*)( up| out)?( \w+){0,5} noise|noisy|ripple)" + E, blocks=("lowpass",)),
    Term(W + r"(high[- ]pass|highpass|block (the )?dc|ac coupl\w*)" + E, blocks=("rc_highpass",)),
    Term(W + r"(dc power supply|regulated (dc )?supply|bench supply|psu|regulated " + V + r"(rail|output)|"
         r"(\d+(\.\d+)? ?v) regulated (rail|supply|output))" + E, blocks=("dc_supply",)),
    Term(W + r"(rheostat|variable resistor)" + E, blocks=("rheostat",)),
    Term(W + r"(debounc\w*|rc network)" + E, blocks=("rc_debounce",)),
    Term(W + r"(shunt regulator|zener (diode )?(shunt|regulator|reference|supply)|zener shunt)" + E, blocks=("zener_shunt",)),
    Term(W + r"(constant[- ]current|current[- ](source|sink|regulator))" + E, blocks=("current_source",)),
    Term(W + r"(transistor[- ]\w+|transistor switch|npn switch|transistor as a switch)" + E,
         blocks=("transistor_switch",)),
    Term(W + r"(op[- ]?amps?|operational amplifier|non[- ]?invert\w* (amp\w*|stage)|amplif(y|ier) (the )?(signal|microphone|sensor)"
         r"|preamp\w*|(amplifier|gain) stage)" + E, blocks=("opamp_noninverting",)),
    # "inverting amplifier", "invertng op amp" (not "non-inverting")
    Term(r"(?:^|[^a-z0-9-])(?<!non )invert\w* (amp\w*|op[- ]?amp|stage)" + E, blocks=("opamp_inverting",)),
]

# words that put a quantity as a threshold of what is watched ("warns below 11.8 V"), not a value of its own
COMPARING = frozenset({"below", "above", "under", "over", "beyond", "past", "exceeds", "exceeding", "than"})

LINK_PROTOCOL = re.compile(W + r"(spi|i2c|uart|serial)" + E)

# the buses a part talks over, in the trade's words (which one a named display is asked to use:
# :mod:`agents.understand.interface_reading`)
BUS_WORDS = {
    "i2c": re.compile(W + r"(i2c|iic|twi)" + E),
    "spi": re.compile(W + r"(spi|4[- ]wire spi|3[- ]wire spi)" + E),
    "parallel": re.compile(W + r"(parallel|4[- ]bit|8[- ]bit)" + E),
}
