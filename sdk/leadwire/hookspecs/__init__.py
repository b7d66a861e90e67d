"""Hook specifications, one module per family.

===============  ================================================
module           hooks
===============  ================================================
``channels``     :func:`~leadwire.hookspecs.channels.leadwire_register_channels`
``crms``         :func:`~leadwire.hookspecs.crms.leadwire_register_crms`
``llms``         :func:`~leadwire.hookspecs.llms.leadwire_register_llms`
``consent``      :func:`~leadwire.hookspecs.consent.leadwire_register_consent_stores`
``pii``          :func:`~leadwire.hookspecs.pii.leadwire_register_recognizers`
``lifecycle``    :func:`~leadwire.hookspecs.lifecycle.leadwire_audit_event`,
                 :func:`~leadwire.hookspecs.lifecycle.leadwire_register_commands`
===============  ================================================
"""

from leadwire.hookspecs import channels, consent, crms, lifecycle, llms, pii

#: Every module of hook specifications, in the order they are added.
FAMILIES = (channels, crms, llms, consent, pii, lifecycle)

__all__ = ["FAMILIES"]
