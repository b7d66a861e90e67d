"""The whatsapp plugin's declared data flows name what WhatsApp adds to them."""

from __future__ import annotations


def test_data_flows_name_the_phone_number(channel):
    """The client's number (the wa_id) is declared among the data Meta carries."""
    received = {item for flow in channel.data_flows() for item in flow.data}

    assert "message text" in received
    assert "phone number (wa_id)" in received
