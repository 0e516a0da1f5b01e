"""One clause, one part per role: a clause read two close ways on one side of a device (two kinds of display, a
text message or a beep, a buzzer or a vibration motor) asks for one of them, not both; a word of the clause that
reads another thing of that side on its own, of another kind of part, asks for it beside.

The requests here are phrased for these tests (not taken from any benchmark). Assertions read the records' typed
data (capability directions, categories), so they hold as records are added.
"""

from __future__ import annotations

from agents.understand.rules import understand_rules


def _of(req, library, direction: set[str]) -> list[str]:
    dirs = {c.capability: c.direction for r in library for c in r.provides}
    return [n.capability for n in req.needs if dirs.get(n.capability) in direction]


def test_a_display_said_by_its_kind_asks_for_one_display(library):
    for text in ("put the weight in grams on a display", "print the battery voltage on a screen"):
        req = understand_rules(text, library)
        shown = [c for c in _of(req, library, {"act"})
                 if any(r.category == "display" for r in library if any(p.capability == c for p in r.provides))]
        assert len(shown) <= 1, (text, req.needs)
        # (the gate still takes either kind: the clause's close readings stay asked)
        assert any(len(a.any_of) > 1 for a in req.asked), req.asked


def test_a_phone_alert_is_one_answer_not_a_message_and_a_beep(library):
    req = understand_rules("alert me on my phone", library)
    out = _of(req, library, {"act", "communicate"})
    assert len(out) == 1, req.needs


def test_a_sound_word_said_in_a_parts_name_picks_that_part(library):
    # "buzzes" reads a vibration motor a hair ahead of a sounder; the word is the sounders' own name (buzzer)
    req = understand_rules("a box that buzzes when the lid is lifted", library)
    out = _of(req, library, {"act", "communicate"})
    assert len(out) == 1, req.needs
    assert any(r.category == "audio" for r in library if any(c.capability == out[0] for c in r.provides)), out


def test_a_word_that_names_another_thing_of_that_side_asks_for_it_beside(library):
    # "coordinates" is a position on its own, of another kind of part than a clock: both are asked
    req = understand_rules("a tracker that sends a text message with its coordinates every hour", library)
    assert "gps-position" in {n.capability for n in req.needs}, req.needs


def test_a_things_name_guessed_on_a_side_is_answered_by_the_clause_that_says_it_plainly(library):
    # "a shed alarm" reads as a beep; "sounds a siren" says the sounder plainly: one sounder, and the name's
    # clause is answered by either
    req = understand_rules("a shed alarm that sounds a siren when the shed door is opened", library)
    audio = [n.capability for n in req.needs
             if all(r.category == "audio" for r in library if any(c.capability == n.capability for c in r.provides))]
    assert len(audio) == 1, req.needs
    name = next(a for a in req.asked if a.words == "a shed alarm")
    assert audio[0] in name.any_of, req.asked
