"""A bare word listed after a part says what is wanted of that part (agents/understand/part_context.py), and a
condition joined by "the moment" / "the instant" is a condition like one joined by "as soon as".

The phrasings are not benchmark requests.
"""

from __future__ import annotations

from agents.understand.needs import clauses
from agents.understand.rules import understand_rules


def test_speed_and_direction_listed_after_a_motor_drive_that_motor(library):
    req = understand_rules("pico, 6v gear motor, speed + direction", library)
    assert {n.capability for n in req.needs} == {"dc-motor-speed-and-direction"}
    assert {c for a in req.asked for c in a.any_of} == {"dc-motor-speed-and-direction"}  # no display, no compass


def test_a_bare_word_keeps_its_own_reading_where_with_the_part_it_reads_as_the_part(library):
    # "led 20 s delay" reads as the LED itself: the delay keeps its own reading (a timer)
    req = understand_rules("push button, led, 20 s delay then off, no arduino", library)
    assert any("timing" in a.any_of for a in req.asked) or any(n.capability == "timing" for n in req.needs) \
        or req.timing


def test_the_moment_joins_a_condition():
    cls = clauses("flash a lamp the moment the gate opens")
    assert [(c.text, c.joined_by) for c in cls] == [("flash a lamp", ""), ("the gate opens", "the moment")]
