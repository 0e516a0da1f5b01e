"""A sizing block's default part (when the request names none) is library data: the record whose
``default_for`` lists the block's job (knowledge/role_defaults.py), not a part number in code."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from circuit.sizing.block import DefaultPart
from circuit.sizing.blocks import BLOCKS, make_block
from knowledge.library import Library
from knowledge.record import ComponentRecord
from knowledge.role_defaults import DefaultPartError, default_part


def test_every_block_default_is_one_record_of_the_blocks_device(library):
    jobs = {(key, name, v.job) for key, cls in BLOCKS.items() for name, v in cls.default_env.items()
            if isinstance(v, DefaultPart)}
    assert len({j for *_, j in jobs}) >= 5
    for key, name, job in jobs:
        rec = default_part(library, job)
        block = make_block(key)
        assert block.env[name] == rec.key  # resolved when the block is made
        assert rec.spice.kind == BLOCKS[key].device, (key, rec.key)
        named = make_block(key, {name: "some-other-part"})
        assert named.env[name] == "some-other-part"  # a part the request names is kept


def test_the_data_decides_and_a_conflict_is_an_error(library):
    job = "npn-switch"
    rec = default_part(library, job)
    other = next(r for r in library if r.spice.kind == "npn" and r.key != rec.key)
    moved = [r.model_copy(update={"default_for": []}) if r.key == rec.key else
             r.model_copy(update={"default_for": [job]}) if r.key == other.key else r for r in library]
    assert default_part(Library(moved), job).key == other.key
    both = [r.model_copy(update={"default_for": [job]}) if r.key == other.key else r for r in library]
    with pytest.raises(DefaultPartError, match=f"{other.key}.*{job}|{rec.key}.*{other.key}"):
        default_part(Library(both), job)
    with pytest.raises(DefaultPartError, match="no record"):
        default_part(Library([r for r in library if r.key != rec.key]), job)


def test_default_for_is_validated_on_load(library):
    data = library["2n2222"].model_dump()
    data["default_for"] = ["NPN switch"]
    with pytest.raises(ValidationError):
        ComponentRecord.model_validate(data)
