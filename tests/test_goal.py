"""The need behind a goal (knowledge.goal): an output set off by a condition needs the part that senses it.

Phrasings here are not benchmark queries: each states an everyday outcome (a horn, a bell, a jingle) and the event
that sets it off; the part whose records say it senses that event must rank first, not the output's part.
"""

from __future__ import annotations

import pytest

from knowledge.goal import refers_back
from knowledge.lexical import condition_clause, reads_own_state
from knowledge.retrieval import Retriever

PRESENCE = {"pir-motion", "rcwl-0516", "ld2410"}


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def test_the_condition_clause_is_what_sets_the_action_off():
    assert condition_clause("ring the bell when the shed door swings open") == "the shed door swings open"
    assert condition_clause("text me if the tank runs dry") == "the tank runs dry"
    # a single verb before the cue takes the clause as its object; a short clause is no condition of its own
    assert condition_clause("detect when the box falls") == "" and condition_clause("text me when ready") == ""
    # "even when" concedes: the action holds through it, nothing sets it off
    assert condition_clause("keep the clock right even when the mains is off") == ""


def test_a_pronoun_in_the_condition_refers_back_to_the_action():
    assert refers_back("someone jostles it") and refers_back("the kids pick them up")
    assert not refers_back("a person enters the stairwell")


def test_a_condition_is_read_as_sensed_unawares_by_the_records_typed_capabilities(retriever):
    """Someone walking in is noticed by a sensor; a button pressed is worked on purpose by a person."""
    goal = retriever._goal

    def fits(text):
        return retriever._doc_similarities(retriever._encode([text])[0])

    assert goal.sensed_condition(fits("a person enters the stairwell"))
    assert not goal.sensed_condition(fits("the doorbell button is pressed"))
    assert goal.senses_unawares[retriever._key_pos["pir-motion"]]
    assert not goal.senses_unawares[retriever._key_pos["push-button"]]  # senses only a hand, on purpose
    assert not goal.senses_unawares[retriever._key_pos["active-buzzer"]]


@pytest.mark.parametrize("query,wanted", [
    ("switch on the garden lights if someone walks up the path", PRESENCE),
    ("blink the warning led when a person enters the stairwell", PRESENCE),
    ("play a jingle when a customer walks into the shop", PRESENCE),
    ("sound the buzzer if a person sneaks into the loft", PRESENCE),
    ("ring the bell when the shed door swings open", {"reed-switch", "a3144", "limit-switch"}),
])
def test_an_output_set_off_by_a_sensed_condition_ranks_the_conditions_sensor(retriever, query, wanted):
    """The lamp, led, speaker or buzzer is what any pin drives; the request hinges on sensing the event."""
    res = retriever.search(query, k=3)
    assert res.matches[0].key in wanted, res.as_dict()
    assert not res.ood, res.as_dict()


def test_a_condition_a_person_works_on_purpose_leaves_the_action_the_need(retriever):
    """A button pressed only triggers the action: the part that plays the sound stays first."""
    res = retriever.search("play a chime when the doorbell button is pressed", k=3)
    assert res.matches[0].key == "dfplayer-mini", res.as_dict()


def test_a_sensing_verb_reads_the_own_state_of_a_sensing_part_named_after_of():
    assert reads_own_state("of", {"sense"}, {"sense"})
    assert not reads_own_state("of", {"sense"}, {"act"})  # the speed of a fan: the fan is what is measured
    assert not reads_own_state("for", {"sense"}, {"sense"})
    assert not reads_own_state("of", {"act"}, {"sense"})


@pytest.mark.parametrize("query,wanted", [
    ("read the setting of a knob from 1 to 10", {"potentiometer", "rotary-encoder"}),
    ("read the value of a slider", {"slide-potentiometer", "potentiometer"}),
])
def test_reading_an_input_parts_own_state_ranks_that_part(retriever, query, wanted):
    """The knob's position is the knob's own reading: it is the part wanted, not context; and "1 to 10" is a range
    of values, no part number (the 5 V supply's S-100-5 alias once matched "100" in "0 to 100")."""
    res = retriever.search(query, k=3)
    assert res.matches[0].key in wanted, res.as_dict()


def test_a_range_of_values_is_no_part_number(retriever):
    hit = retriever.lexical.match("a dial that reads from 0 to 100")
    assert not hit.part_number and "100" not in hit.pn_tokens


@pytest.mark.parametrize("query,context", [
    ("measure the speed of a fan", "fan-12v"),
    ("read the voltage of a battery", "battery-generic"),
])
def test_a_part_that_only_acts_or_supplies_named_after_of_stays_the_context(retriever, query, context):
    assert retriever.search(query, k=3).matches[0].key != context
