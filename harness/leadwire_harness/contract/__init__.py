"""The contract kit: the tests every connector of a family must pass.

A plugin package subclasses the family's contract in one of its test modules
and fills in the provider-specific parts; pytest then runs the whole contract
against the plugin as it is registered through its hook::

    from leadwire_harness.contract import ChannelContract
    import leadwire_vk

    class TestVkChannel(ChannelContract):
        plugin = leadwire_vk
        kind = "vk"
        settings = {"token": "env:VK_TOKEN"}
        environment = {"VK_TOKEN": "test-token-0001"}
        ...

The async tests need pytest-asyncio; respx mocks the provider's HTTP API.
"""

from leadwire_harness.contract.channel import ChannelContract
from leadwire_harness.contract.consent import ConsentStoreContract
from leadwire_harness.contract.crm import CrmContract
from leadwire_harness.contract.llm import LlmContract

__all__ = ["ChannelContract", "ConsentStoreContract", "CrmContract", "LlmContract"]
