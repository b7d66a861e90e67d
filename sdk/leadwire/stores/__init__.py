"""The built-in ``local`` connectors: a consent ledger and a CRM in leadwire's DB.

They keep their records in the engine's own database (the tables are part of
leadwire's migrations), so a setup needs no outside service to start.
"""

from leadwire.stores.consent import LocalConsentStore, LocalSettings
from leadwire.stores.crm import LocalCrm

__all__ = ["LocalConsentStore", "LocalCrm", "LocalSettings"]
