"""The part a job uses when the request names none, read from the records (``default_for``).

A sizing block built around a device (an NPN switch, a single-supply op-amp stage ...) needs a part
when the request only says "an NPN" or "an op-amp". Which one is library data, not a part number in
code: the record whose ``default_for`` lists the job. Exactly one record may claim a job; none, or
several, is an error that says which records to fix.
"""

from __future__ import annotations

from knowledge.library import Library
from knowledge.record import ComponentRecord

__all__ = ["DefaultPartError", "default_part"]


class DefaultPartError(LookupError):
    """No record, or more than one, is the default for a job."""


def default_part(library: Library, job: str) -> ComponentRecord:
    """The one record whose ``default_for`` lists ``job``."""
    hits = sorted(r.key for r in library if job in r.default_for)
    if not hits:
        raise DefaultPartError(f"no record in the library is the default for {job!r}: add default_for: [{job}] "
                               "to the record that should be")
    if len(hits) > 1:
        raise DefaultPartError(f"records {', '.join(hits)} all claim default_for {job!r}: keep it on one")
    return library[hits[0]]
