"""What customers and agents write in the demo, one module per language.

Every string may use the placeholders {order}, {invoice}, {amount}, {product}, {version},
{version_fix}, {bug} and {org}; the seed fills them in per ticket."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lines:
    """One kind of case in one language: how it starts, and how it usually goes."""

    subjects: tuple[str, ...]
    openings: tuple[str, ...]
    ask: str  # the agent's first answer when more information is needed
    follow_up: str  # the customer's answer to that
    solve: str  # the agent's answer that solves the case
    note: str  # an internal note about the case


@dataclass(frozen=True)
class Language:
    code: str
    customer_greeting: str
    customer_sign_off: str
    agent_greeting: str  # with {first}
    agent_greeting_anonymous: str
    chat_greeting: str  # with {first}
    chat_greeting_anonymous: str
    agent_sign_off: str
    signature: str
    reply_prefix: str
    voicemail: str  # with {phone}
    currency: str  # with {amount}
    thousands: str
    hold_reply: str
    hold_note: str
    supervisor_note: str
    again: str  # the customer writes on a closed ticket
    again_reply: str
    thanks: tuple[str, ...]
    scenarios: dict[str, Lines] = field(default_factory=dict)

    def money(self, amount: int) -> str:
        return self.currency.format(amount=f"{amount:,}".replace(",", self.thousands))


def languages() -> dict[str, Language]:
    from . import da, en, nb, nn, sv

    return {module.TEXTS.code: module.TEXTS for module in (nb, nn, da, sv, en)}
