"""Conversations for the offline assistant's tests, with an invented business."""

from __future__ import annotations

from leadwire import ChatMessage, CompletionRequest

#: A system message in the format the engine writes (see docs/plugins/offline.md).
SYSTEM = """Ты администратор салона красоты «Пример». Отвечай вежливо и коротко.
Услуги:
- Маникюр: от 1500 ₽, 1 ч
- Маникюр с покрытием: от 2200 ₽, 1,5 ч
- Стрижка: от 1200 ₽, 45 мин
- Окрашивание волос: от 3500 ₽, 2 ч
Часы работы: ежедневно с 10:00 до 21:00
Адрес: ул. Образцовая, д. 1
Имена и телефоны клиентов заменены метками вида [PERSON_1]."""


def conversation(*turns: str, system: str = SYSTEM) -> CompletionRequest:
    """A request whose user and assistant turns alternate, the client first."""
    messages = [ChatMessage("system", system)]
    for index, text in enumerate(turns):
        messages.append(ChatMessage("user" if index % 2 == 0 else "assistant", text))
    return CompletionRequest(messages=tuple(messages), want_fields=True)
