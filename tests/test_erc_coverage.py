"""Every ERC rule has at least one failing and one passing circuit in the tests."""

import importlib
import pkgutil

import tests
from circuit.erc import RULES


def test_every_rule_has_a_failing_and_a_passing_case():
    covered = set()
    for m in pkgutil.iter_modules(tests.__path__):
        if m.name.startswith("test_erc_"):
            mod = importlib.import_module(f"tests.{m.name}")
            covered |= {c[0] for c in getattr(mod, "CASES", [])}
    missing = sorted(set(RULES) - covered)
    assert not missing, f"rules without a bad/good test circuit: {missing}"


def test_rule_table_is_consistent():
    for rule, (severity, description) in RULES.items():
        assert rule.startswith(("ERC-", "SAFETY-")) and rule.upper() == rule
        assert description.endswith(".")
