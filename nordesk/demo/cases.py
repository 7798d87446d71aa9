"""The kinds of case customers bring, with who handles them and how they tend to go. The words
are in `texts`, one module per language. Channels, priorities, statuses and roles are spelled
as the API spells them: the models that define them are private to their apps."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    key: str
    team: str  # a TeamSpec key
    tags: tuple[str, ...]
    priorities: dict[str, int]  # priority -> weight
    weight: int  # how common the case is
    can_wait: bool = False  # may be put on hold while a carrier, supplier or developer answers
    attachment: str = ""  # what the customer attaches to the follow-up, if anything
    business_only: bool = False


CASES = (
    Case(
        "invoice_wrong", "billing", ("invoice",),
        {"low": 1, "normal": 8, "high": 1}, 12,
        attachment="order-confirmation.png",
    ),
    Case(
        "double_charge", "billing", ("payment", "refund"),
        {"normal": 6, "high": 3, "urgent": 1}, 8, can_wait=True,
        attachment="online-bank.png",
    ),
    Case(
        "cancel_subscription", "billing", ("membership", "cancellation"),
        {"low": 4, "normal": 6}, 8,
    ),
    Case(
        "delivery_late", "orders", ("delivery",), {"normal": 8, "high": 2}, 14,
        can_wait=True,
    ),
    Case(
        "return_product", "orders", ("return",), {"low": 5, "normal": 5}, 12,
    ),
    Case(
        "damaged_goods", "orders", ("damaged", "claim"), {"normal": 6, "high": 4},
        8, can_wait=True, attachment="damage.png",
    ),
    Case(
        "change_address", "orders", ("delivery", "address-change"),
        {"low": 2, "normal": 6, "high": 2}, 7,
    ),
    Case(
        "password_reset", "technical", ("login", "password"),
        {"low": 1, "normal": 8, "high": 1}, 12,
    ),
    Case(
        "app_crash", "technical", ("app", "bug"),
        {"normal": 5, "high": 4, "urgent": 1}, 12, can_wait=True,
    ),
    Case(
        "business_account", "success", ("b2b", "onboarding"), {"normal": 1}, 10,
        business_only=True,
    ),
)  # fmt: skip

PRODUCTS = (
    "Aurora X2", "Fjord 55 Pro", "Polar Mini", "Bris 300", "Nova S3", "Nordlys Duo",
    "Vidde Max", "Skjær 12",
)  # fmt: skip
APP_VERSIONS = (("4.12.0", "4.12.1"), ("4.13.2", "4.13.3"), ("5.0.0", "5.0.1"))

# How customers reach Vinterly (weights); phone only from customers with a number.
CHANNEL_WEIGHTS: dict[str, int] = {
    "email": 40,
    "web": 18,
    "chat": 20,
    "phone": 10,
    "api": 12,
}
LANGUAGE_ORDER = ("nb", "nn", "da", "sv", "en")
DEMO_CHANNELS: tuple[str, ...] = tuple(CHANNEL_WEIGHTS)
