"""The contract of a consent store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leadwire import (
    ClientId,
    ConsentDecision,
    ConsentPurpose,
    ConsentRecord,
    ConsentStore,
)
from leadwire_harness.contract._base import Contract

CLIENT = ClientId("CLIENT_00000000c0de")
OTHER = ClientId("CLIENT_00000000beef")
START = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


def decision(
    decision: ConsentDecision,
    minutes: int,
    client: ClientId = CLIENT,
    purpose: ConsentPurpose = ConsentPurpose.BOOKING,
) -> ConsentRecord:
    return ConsentRecord(
        client_id=client,
        purpose=purpose,
        decision=decision,
        template_version="1",
        channel="whatsapp",
        message_id=f"wamid.contract-{minutes}",
        at=START + timedelta(minutes=minutes),
    )


class ConsentStoreContract(Contract):
    """Subclass it and fill in the common blanks to test a consent store."""

    family = "consent_stores"

    def test_fits_the_consent_store_protocol(self, connector):
        """The connector has every method of leadwire.ConsentStore."""
        assert isinstance(connector, ConsentStore)

    async def test_never_asked_is_none(self, connector):
        """A client who was never asked has no decision."""
        assert await connector.lookup(CLIENT, ConsentPurpose.BOOKING) is None

    async def test_latest_decision_wins(self, connector):
        """Granted, then withdrawn: the lookup gives the withdrawal."""
        await connector.record(decision(ConsentDecision.GRANTED, 1))
        await connector.record(decision(ConsentDecision.WITHDRAWN, 2))

        latest = await connector.lookup(CLIENT, ConsentPurpose.BOOKING)

        assert latest == decision(ConsentDecision.WITHDRAWN, 2)

    async def test_purposes_are_separate(self, connector):
        """Consent to booking says nothing about marketing."""
        await connector.record(decision(ConsentDecision.GRANTED, 1))

        assert await connector.lookup(CLIENT, ConsentPurpose.MARKETING) is None

    async def test_history_is_complete_and_in_order(self, connector):
        """History gives every decision of the client, oldest first, no one else's."""
        entries = [
            decision(ConsentDecision.REFUSED, 1),
            decision(ConsentDecision.GRANTED, 5, client=OTHER),
            decision(ConsentDecision.GRANTED, 7),
            decision(ConsentDecision.GRANTED, 9, purpose=ConsentPurpose.MARKETING),
        ]
        for entry in entries:
            await connector.record(entry)

        history = list(await connector.history(CLIENT))

        assert history == [entries[0], entries[2], entries[3]]

    async def test_erase_removes_only_that_client(self, connector):
        """Erasure removes the client's entries and counts them; others stay."""
        await connector.record(decision(ConsentDecision.GRANTED, 1))
        await connector.record(decision(ConsentDecision.WITHDRAWN, 2))
        await connector.record(decision(ConsentDecision.GRANTED, 3, client=OTHER))

        erased = await connector.erase(CLIENT)

        assert erased == 2
        assert list(await connector.history(CLIENT)) == []
        assert len(list(await connector.history(OTHER))) == 1
