"""The system prompt: the business profile and the assistant's instructions."""

from __future__ import annotations

from leadwire.config import BusinessProfile
from leadwire.models import ClientId

__all__ = ["system_prompt"]

_INSTRUCTIONS = (
    "Инструкции:\n"
    "- Отвечай только об услугах, ценах, времени работы и записи; не выдумывай "
    "услуги и цены, которых нет в списке.\n"
    "- Персональные данные клиента заменены метками вида [PHONE_1], "
    "[PERSON_1]. Пиши метки ровно так, не меняй и не придумывай новые.\n"
    "- Не спрашивай документы, номера карт и другие данные, кроме имени, "
    "телефона и удобного времени.\n"
    "- Если не можешь помочь, скажи, что администратор свяжется с клиентом."
)


def system_prompt(business: BusinessProfile, client_id: ClientId) -> str:
    """What the LLM is told before the conversation; no client data in it."""
    lines = [f"Ты — ассистент компании «{business.name}». Отвечай {business.tone}."]
    if business.services:
        lines.append("Услуги:")
        lines += [
            f"- {service.name}: {service.price}, {service.duration}"
            for service in business.services
        ]
    if business.hours:
        lines.append(f"Часы работы: {business.hours}")
    if business.address:
        lines.append(f"Адрес: {business.address}")
    lines.append(f"Клиент: {client_id}")
    lines.append(_INSTRUCTIONS)
    return "\n".join(lines)
