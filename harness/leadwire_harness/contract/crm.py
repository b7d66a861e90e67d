"""The contract of a CRM."""

from __future__ import annotations

import logging
from typing import ClassVar

import pytest
import respx

from leadwire import ClientId, Contact, CredentialsError, Crm, Lead, LeadFields
from leadwire_harness.contract._base import Contract, assert_no_secret


class CrmContract(Contract):
    """Subclass it and fill in the blanks below to test a CRM plugin.

    Besides the common blanks:

    - :meth:`mock_backend`: a stateful mock of the provider's API that keeps
      the records the connector writes (find, create, update, note, erase);
    - :meth:`mock_credentials_failure`: the provider refusing the credentials.
    """

    family = "crms"
    #: A contact to file a lead for; invented values only.
    contact: ClassVar[Contact] = Contact(
        name="Тестовая Клиентка", phone="+79990000001", email="client@example.test"
    )

    def mock_backend(self, router: respx.Router) -> None:
        """Mock the provider's API with state, so written records can be found."""
        raise NotImplementedError("the contract needs mock_backend() for this CRM")

    def mock_credentials_failure(self, router: respx.Router) -> None:
        """Mock the provider answering that the credentials are wrong."""
        raise NotImplementedError("the contract needs mock_credentials_failure()")

    def lead(self) -> Lead:
        return Lead(
            client_id=ClientId("CLIENT_00000000c0de"),
            channel="whatsapp",
            contact=self.contact,
            fields=LeadFields(service="Маникюр", desired_time="завтра в 15:00"),
            title="Запись: маникюр",
        )

    def test_fits_the_crm_protocol(self, connector):
        """The connector has every method of leadwire.Crm."""
        assert isinstance(connector, Crm)

    async def test_new_person_gets_one_lead(self, connector):
        """A lead for a new person is created, and the person is then found."""
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            self.mock_backend(router)
            assert list(await connector.find_person(self.contact)) == []

            result = await connector.upsert_lead(self.lead(), idempotency_key="k-1")
            found = await connector.find_person(self.contact)

        assert result.created
        assert result.ref in found

    async def test_same_idempotency_key_never_makes_a_second_lead(self, connector):
        """Upserting again with the same key gives back the same record."""
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            self.mock_backend(router)

            first = await connector.upsert_lead(self.lead(), idempotency_key="k-1")
            again = await connector.upsert_lead(self.lead(), idempotency_key="k-1")
            found = await connector.find_person(self.contact)

        assert again.ref == first.ref
        assert [ref for ref in found if ref.entity == first.ref.entity] == [first.ref]

    async def test_note_is_added_once_per_key(self, connector):
        """Adding a note twice with one key does not fail and does not repeat it."""
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            self.mock_backend(router)
            result = await connector.upsert_lead(self.lead(), idempotency_key="k-1")

            await connector.add_note(
                result.ref, "Клиент подтвердил.", idempotency_key="n"
            )
            await connector.add_note(
                result.ref, "Клиент подтвердил.", idempotency_key="n"
            )

    async def test_erased_person_is_no_longer_found(self, connector):
        """Erasure reports what it erased, and the person is not found afterwards."""
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            self.mock_backend(router)
            await connector.upsert_lead(self.lead(), idempotency_key="k-1")

            report = await connector.erase_person(self.contact)
            found = await connector.find_person(self.contact)

        assert report.erased
        assert not report.failed
        assert list(found) == []

    async def test_export_returns_what_is_held(self, connector):
        """An access request gets a dict of what the CRM holds about the person."""
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            self.mock_backend(router)
            await connector.upsert_lead(self.lead(), idempotency_key="k-1")

            exported = await connector.export_person(self.contact)

        assert isinstance(exported, dict)
        assert exported

    async def test_bad_credentials_fail_fast_without_the_secret(
        self, connector, caplog
    ):
        """Refused credentials raise CredentialsError, and no secret is shown."""
        caplog.set_level(logging.DEBUG)
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            self.mock_credentials_failure(router)

            with pytest.raises(CredentialsError) as caught:
                await connector.upsert_lead(self.lead(), idempotency_key="k-1")

        assert_no_secret(self.environment, caught.value, caplog.records)
