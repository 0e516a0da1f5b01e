"""A bare word listed after a part names something of that part: "a 12 V motor, speed + direction".

In a list, a clause of one or two words with no part of its own ("speed", "direction", "brightness") that
follows the clause naming a part says what is wanted of that part, not a thing of its own: alone, "speed"
reads as a display of a speed and "direction" as a compass; said with the part before it ("dc motor
speed", "dc motor direction") they read as what drives that part. Such a clause is read both ways, and the
reading with the part is taken where it matches better than the clause alone (a part named that does it
itself then explains the clause, as any named part does).
"""

from __future__ import annotations

from knowledge.library import Library

BARE = 2  # at most this many content words: an attribute, not a thing described
LIST_JOINERS = {"", "and", "plus"}
LIST_MARKS = {",", "+", "&", "/", ""}
TIGHT = {"and", "plus", "+", "&", "/"}  # what joins two items into one ("speed and direction"); a comma lists them


def part_readings(text: str, cls, texts: list[str], content, inside: list[list[tuple[int, int, str]]],
                  library: Library, index, ranked: list) -> None:
    """Replace ``ranked[i]`` of each bare listed clause by its reading with the part named before it (the words that
    name it, without figures or qualifiers: "motor speed") where that matches better. ``cls``: the clauses of
    ``text``; ``texts``: what each is read as; ``content``: a text's content words; ``inside``: the named spans
    (start, end, key) within each clause; ``ranked``: each clause's readings (changed in place)."""
    asks: list[tuple[int, str]] = []
    for i, c in enumerate(cls):
        if i == 0 or c.names_part or c.negated or c.joined_by not in LIST_JOINERS or c.set_off not in LIST_MARKS \
                or not (c.joined_by or c.set_off) or not 0 < len(content(c.text)) <= BARE:
            continue
        j = i - 1  # back over bare items joined tightly to this one ("speed + direction") to the part's clause
        while j > 0 and not cls[j].names_part and len(content(cls[j].text)) <= BARE \
                and (cls[j + 1].joined_by in TIGHT or cls[j + 1].set_off in TIGHT):
            j -= 1
        parts = [(a, z, library[k]) for a, z, k in inside[j] if (r := library.get(k)) is not None and not r.is_mcu]
        if not cls[j].names_part or len(parts) != 1:
            continue
        name = " ".join(content(text[parts[0][0]:parts[0][1]]))
        if name:
            asks.append((i, f"{name} {texts[i]}", {c.capability for c in parts[0][2].provides}))
    if not asks:
        return
    try:
        with_part = index.rank([t for _, t, _ in asks])
    except Exception:  # no embedding model here: the clauses keep their own readings
        return
    for (i, _, own), hits in zip(asks, with_part):
        # (what is done to the part, not the part itself: a reading the part gives read with its own name says
        # only that the part was named, and the clause keeps what it asks alone: "led, 10 s delay")
        if hits and hits[0].capability not in own and (not ranked[i] or hits[0].score > ranked[i][0].score):
            ranked[i] = hits


__all__ = ["part_readings"]
