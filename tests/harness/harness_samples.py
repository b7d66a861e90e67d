"""Sample dialogues of the harness tests; every name and number is invented."""

BOOKING = """\
title: "Тестовая запись в Telegram"
channel: telegram
start: 2026-03-10T11:00:00+03:00
persona:
  name: Ксения Тестоева
  phone: "+7 921 555-01-23"
turns:
  - text: Здравствуйте! Хочу записаться на маникюр
  - press: agree
  - text: В четверг после 18:00, меня зовут Ксения Тестоева, +7 921 555-01-23
    llm:
      reply: Записала на маникюр в четверг после 18:00.
      service: Маникюр
      desired_time: четверг после 18:00
expect:
  replies: [просит согласие, согласие получено, Записала на маникюр]
  reply_count: 3
  crm:
    lead: {name: Ксения Тестоева, phone: "+79215550123", mentions: [Маникюр]}
  consent: {booking: granted}
  audit: [consent.granted, pii.detected, llm.requested, lead.created]
"""

#: The client's message delivered three times; one reply, one lead.
REPEATED = """\
title: "Повторная доставка"
channel: telegram
start: 2026-03-10T11:00:00+03:00
persona:
  name: Ксения Тестоева
  phone: "+7 921 555-01-23"
turns:
  - text: Здравствуйте! Хочу записаться на маникюр
  - press: agree
  - id: booking
    text: Ксения Тестоева, +7 921 555-01-23, в четверг
    llm: {reply: Записала на маникюр в четверг., service: Маникюр}
  - repeat: booking
  - repeat: booking
    after: 5m
expect:
  reply_count: 3
  crm:
    lead: {name: Ксения Тестоева, phone: "+79215550123"}
"""
