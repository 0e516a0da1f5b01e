"""What a link needs around it (``Capability.network``, knowledge.link_network): Wi-Fi and Ethernet need a local
network, SMS and mobile data bring their own; a request that says there is no Wi-Fi or internet where it is ranks
the links that need one down and the cellular ones up."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from knowledge.library import Library
from knowledge.link_network import NO_LOCAL, OWN_NETWORK
from knowledge.record import Capability
from knowledge.retrieval import Retriever


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.default()


def test_the_network_a_link_needs_is_typed_on_links_only():
    Capability(capability="wifi", description="join a wifi network", direction="communicate", network="local")
    with pytest.raises(ValidationError):
        Capability(capability="sense-x", description="sense something", direction="sense", network="local")
    nets = {(rec.key, c.capability): c.network for rec in Library.default() for c in (rec.provides or [])
            if c.direction == "communicate"}
    assert nets[("esp-01", "wifi")] == "local" and nets[("w5500", "ethernet")] == "local"
    assert nets[("sim800l", "send-sms")] == "cellular" and nets[("a7670", "cellular-data")] == "cellular"
    assert nets[("hc05", "bluetooth")] is None and nets[("sx1278-lora", "long-range-radio")] is None


@pytest.mark.parametrize("text, refused", [
    ("log to a server from a barn without wifi", True),
    ("the hut has no internet connection", True),
    ("post the readings over my home wifi", False),
    ("a wifi module for an uno", False),
])
def test_a_request_refuses_a_local_network_only_with_a_negation(retriever, text, refused):
    assert retriever._network.fit(text).no_local is refused


def test_no_local_network_ranks_wifi_down_and_cellular_up(retriever):
    fit = retriever._network.fit("log to a server from a barn without wifi")
    assert fit.deltas["esp-01"] == -NO_LOCAL and fit.deltas["esp32-devkit-v1"] == -NO_LOCAL
    assert fit.deltas["sim7600"] == OWN_NETWORK and "hc05" not in fit.deltas
    res = retriever.search("push readings to a server from a shed without wifi")
    assert res.matches[0].key in {"sim800l", "a7670", "sim7600"} and not res.ood, res.as_dict()
