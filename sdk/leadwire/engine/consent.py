"""The consent gate's deterministic parts: reading answers, the texts we send.

Whether a client agreed, refused or withdrew is decided here by buttons and
fixed phrases, never by the LLM.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

from leadwire.config import ConsentTemplate
from leadwire.models import ConsentPrompt, EventKind, InboundEvent

__all__ = [
    "AGREE_PAYLOAD",
    "MARKETING_AGREE_PAYLOAD",
    "MARKETING_REFUSE_PAYLOAD",
    "REFUSE_PAYLOAD",
    "Answer",
    "agreed_version",
    "asks_erasure",
    "classify",
    "marketing_prompt_of",
    "prompt_of",
]

AGREE_PAYLOAD = "leadwire:consent:agree"
#: A channel whose client agreed to wording it showed itself (a website's
#: consent checkbox) names that wording's version after this prefix.
VERSIONED_AGREE_PREFIX = AGREE_PAYLOAD + ":"
REFUSE_PAYLOAD = "leadwire:consent:refuse"
#: Marketing is asked apart, after booking consent, and answered by buttons only.
MARKETING_AGREE_PAYLOAD = "leadwire:marketing:agree"
MARKETING_REFUSE_PAYLOAD = "leadwire:marketing:refuse"

#: What the client is told after each decision.
AGREED_TEXT = "Спасибо, согласие получено. Чем можем помочь?"
REFUSED_TEXT = (
    "Хорошо, мы не будем обрабатывать ваши данные. Если передумаете, "
    "напишите «согласен»."
)
MARKETING_TEXT = "Спасибо, ваш выбор о рассылках записан."
WITHDRAWN_TEXT = (
    "Согласие отозвано: мы прекратили обработку ваших данных и удалим их "
    "в течение 30 дней."
)


class Answer(enum.StrEnum):
    AGREE = "agree"
    #: An agreement to a consent version other than the configured one.
    STALE = "stale"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    MARKETING_AGREE = "marketing agree"
    MARKETING_REFUSE = "marketing refuse"


_BUTTONS = {
    AGREE_PAYLOAD: Answer.AGREE,
    REFUSE_PAYLOAD: Answer.REFUSE,
    MARKETING_AGREE_PAYLOAD: Answer.MARKETING_AGREE,
    MARKETING_REFUSE_PAYLOAD: Answer.MARKETING_REFUSE,
}


_WITHDRAW = re.compile(
    r"^(стоп|stop|unsubscribe|отписаться|отписка)$"
    r"|отзыва\w* (мое |свое )?согласи"
    r"|отозва\w* (мое |свое )?согласи"
    r"|отзыв согласия"
    r"|удал\w+ (все )?(мои )?(персональные )?данные"
    r"|не обрабатывайте"
    r"|withdraw (my )?consent|delete my data"
)
#: A request to delete the data, beside the withdrawal: erasure is due at once.
_ERASE = re.compile(r"удал\w+ (все )?(мои )?(персональные )?данные|delete my data")
_REFUSE = re.compile(
    r"^((нет|no)( спасибо)?|не согласе?н\w*|я не согласе?н\w*|отказываюсь"
    r"|disagree|i do not agree|i don'?t agree)$"
)
_AGREE = re.compile(
    r"^((да|ок|ok|yes|хорошо)( )?)?(я )?"
    r"(согласе?н\w*|даю согласие|agree|i agree|да|yes|ок|ok)$"
)


def _normal(text: str) -> str:
    text = text.casefold().replace("ё", "е")
    return " ".join(re.sub(r"[^\w' ]+", " ", text).split())


def agreed_version(event: InboundEvent) -> str | None:
    """The consent version *event*'s agreement names, or None if it names none.

    Only a channel that shows its own consent wording names one, as
    ``leadwire:consent:agree:<version>``; leadwire's own buttons agree to the
    request it sent, which is the configured version.
    """
    if event.kind is not EventKind.BUTTON or not event.payload:
        return None
    if not event.payload.startswith(VERSIONED_AGREE_PREFIX):
        return None
    return event.payload.removeprefix(VERSIONED_AGREE_PREFIX)


def classify(event: InboundEvent, version: str | None = None) -> Answer | None:
    """The client's consent answer in *event*, or None if it is not one.

    :param version: The configured consent version: an agreement naming another
        one is :attr:`Answer.STALE`, since consent holds only for the wording
        the client saw. Without it versions are not compared, which is enough
        to tell a withdrawal.
    """
    agreed = agreed_version(event)
    if agreed is not None:
        stale = version is not None and agreed != version
        return Answer.STALE if stale else Answer.AGREE
    if event.kind is EventKind.BUTTON and event.payload in _BUTTONS:
        return _BUTTONS[event.payload]
    if not event.text or len(event.text) > 200:
        return None

    text = _normal(event.text)
    if _WITHDRAW.search(text):
        return Answer.WITHDRAW
    if _REFUSE.match(text):
        return Answer.REFUSE
    if _AGREE.match(text):
        return Answer.AGREE
    return None


def asks_erasure(event: InboundEvent) -> bool:
    """Whether the client asks for the data to be deleted, not only withdraws."""
    if not event.text or len(event.text) > 200:
        return False
    return _ERASE.search(_normal(event.text)) is not None


def prompt_of(
    template: ConsentTemplate, recipients: Sequence[str] = ()
) -> ConsentPrompt:
    """The consent request of *template*, with its agree and refuse buttons.

    :param recipients: Who receives the data, from the setup's data map.
    """
    return ConsentPrompt(
        text=template.render(recipients),
        version=template.version,
        agree=(AGREE_PAYLOAD, template.agree),
        refuse=(REFUSE_PAYLOAD, template.refuse),
    )


def marketing_prompt_of(template: ConsentTemplate) -> ConsentPrompt:
    """The separate request for marketing consent (``consent.ask_marketing``)."""
    text = (
        f"{template.operator} просит отдельное согласие на рекламные и "
        "информационные сообщения: акции и новости.\n"
        "Отказ не влияет на запись.\n"
        f"Отозвать согласие: {template.withdraw}.\n"
        f"Версия согласия: {template.version}."
    )
    return ConsentPrompt(
        text=text,
        version=template.version,
        agree=(MARKETING_AGREE_PAYLOAD, template.agree),
        refuse=(MARKETING_REFUSE_PAYLOAD, template.refuse),
    )
