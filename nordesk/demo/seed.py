"""Nordic demo data, loaded once, through the same services the product uses.

`demo_load` fills an empty database with Vinterly's support team, its business and private
customers and three months of tickets in Norwegian (Bokmål and Nynorsk), Danish, Swedish and
English over email, web form, chat, phone and API. Given the same seed it makes the same data;
times are relative to the moment it runs, all in the past."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts import services as account_services
from nordesk.connectors.email import services as mail_services
from nordesk.core import services as core_services
from nordesk.customers import selectors as customer_selectors
from nordesk.customers import services as customer_services
from nordesk.portal import selectors as portal_selectors
from nordesk.portal import services as portal_services
from nordesk.routing import services as routing_services
from nordesk.tickets import search as ticket_search
from nordesk.tickets import selectors as ticket_selectors

from . import satisfaction
from .conversations import Player
from .knowledge import knowledge_base_create
from .people import (
    AGENTS,
    BACKUP_TEAMS,
    CHAT_CAPACITY,
    DEMO_DOMAIN,
    FIRST_NAMES,
    LANGUAGE_SKILLS,
    LAST_NAMES,
    ORGANISATIONS,
    PHONE_PREFIX,
    PRIVATE_CUSTOMERS,
    PROVIDERS,
    TEAMS,
    AgentSpec,
)
from .service_levels import service_levels_configure

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent, Team
    from nordesk.customers.models import Customer, Organisation

DEMO_ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
DEMO_PASSWORD = "nordesk-demo"  # noqa: S105 - printed for the demo's visitors on purpose


@dataclass(frozen=True)
class DemoResult:
    created: bool
    tickets: int
    customers: int
    demo_admin: bool  # False: the database held other data, so no demo was loaded
    portal_email: str = ""  # a customer who can sign in to the help centre


@dataclass
class Staff:
    teams: dict[str, Team]
    agents: dict[str, Agent]  # by the local part of their email
    specs: dict[str, AgentSpec]

    def assignable(self, team_key: str, language: str) -> list[Agent]:
        """Agents of the team who may own tickets, those who speak the language first."""
        members = [
            self.agents[s.local]
            for s in self.specs.values()
            if team_key in s.teams and s.role == "agent"
        ]
        speakers = [a for a in members if language in self.specs[_local(a)].languages]
        return speakers or members

    def speaks(self, agent: Agent, language: str) -> bool:
        return language in self.specs[_local(agent)].languages

    @property
    def supervisor(self) -> Agent:
        return self.agents["siri"]

    @property
    def light_agent(self) -> Agent:
        return self.agents["lars"]


@dataclass
class DemoCustomer:
    customer: Customer
    name: str
    language: str
    email: str
    phone: str
    organisation: Organisation | None
    weight: int

    @property
    def first_name(self) -> str:
        return self.name.partition(" ")[0]


def demo_load(*, tickets: int = 360, seed: int = 7) -> DemoResult:
    """Load the demo into an empty database, once. A database that already has agents, teams
    or tickets (an earlier demo, or somebody's real data) is left exactly as it is."""
    if _database_in_use():
        return _result(created=False)
    rng = random.Random(seed)
    now = timezone.now().replace(second=0, microsecond=0)
    # One transaction: the demo is there completely or not at all, and SQLite commits once.
    with transaction.atomic():
        staff = staff_create()
        mailboxes_create(staff)
        customers = customers_create(rng)
        conversations = Player(rng=rng, staff=staff, customers=customers, now=now).play(
            count=tickets
        )
        satisfaction.answers_create(rng, conversations, now)
        routing_configure(staff)
        service_levels_configure()
        knowledge_base_create()
        portal_account_create(customers)
    ticket_search.search_index_pending()  # search works at once, not after the first job run
    core_services.database_statistics_refresh()  # the inbox's plans, before the hourly job
    return _result(created=True)


def _database_in_use() -> bool:
    return (
        account_selectors.agent_by_email(DEMO_ADMIN_EMAIL) is not None
        or account_selectors.team_list().exists()
        or account_selectors.agent_list().exists()
        or ticket_selectors.ticket_count() > 0
    )


def _result(*, created: bool) -> DemoResult:
    return DemoResult(
        created=created,
        demo_admin=account_selectors.agent_by_email(DEMO_ADMIN_EMAIL) is not None,
        tickets=ticket_selectors.ticket_count(),
        customers=customer_selectors.customer_count(),
        portal_email=portal_selectors.first_account_email(),
    )


def portal_account_create(customers: list[DemoCustomer]) -> None:
    """The first business customer signs in to the help centre with the demo password (or a
    sign-in link, which the console mail backend prints) and manages their organisation."""
    account = portal_services.account_for_customer(customer_id=customers[0].customer.pk)
    portal_services.account_password_set(account=account, password=DEMO_PASSWORD)
    portal_services.account_set_organisation_manager(account=account, is_manager=True, actor=None)


def _local(agent: Agent) -> str:
    return agent.user.email.partition("@")[0]


def mailboxes_create(staff: Staff) -> None:
    """Two brands' addresses, receiving from a relay (`nordesk smtpd`): no IMAP credentials
    to invent, and replies are printed until NORDESK_SMTP_HOST names a relay."""
    mail_services.mailbox_create(
        name="Nordlys kundeservice",
        address=f"kundeservice@{DEMO_DOMAIN}",
        team_id=staff.teams["orders"].pk,
        language="nb",
        inbound="smtp",
        auto_acknowledge=True,
        signature="Vennlig hilsen\nNordlys kundeservice",
    )
    mail_services.mailbox_create(
        name="Nordlys faktura",
        address=f"faktura@{DEMO_DOMAIN}",
        team_id=staff.teams["billing"].pk,
        language="nb",
        inbound="smtp",
        signature="Vennlig hilsen\nFakturateamet i Nordlys",
    )


def routing_configure(staff: Staff) -> None:
    """After the history is played: from here on the teams hand out their queues (the
    minute tick of `nordesk run` assigns the waiting demo tickets to agents online)."""
    for spec in TEAMS:
        changes = dict(spec.routing)
        if spec.key in BACKUP_TEAMS:
            changes["backup_team_id"] = staff.teams[BACKUP_TEAMS[spec.key]].pk
        if changes:
            account_services.team_set_routing(team=staff.teams[spec.key], changes=changes)
    for language, skill, level in LANGUAGE_SKILLS:
        routing_services.skill_requirement_create(
            attribute="language", value=language, skill=skill, level=level
        )
    for agent in staff.agents.values():
        account_services.agent_set_capacity(agent=agent, channel_capacity={"chat": CHAT_CAPACITY})


def staff_create() -> Staff:
    teams = {
        spec.key: account_services.team_create(name=spec.name, description=spec.description)
        for spec in TEAMS
    }
    agents = {}
    for spec in AGENTS:
        agent = account_services.agent_create(
            email=spec.email,
            name=spec.name,
            role=spec.role,
            password=DEMO_PASSWORD,
            teams=[teams[key] for key in spec.teams],
            languages=spec.languages,
            capacity=spec.capacity,
        )
        for skill, level in spec.skills.items():
            account_services.agent_set_skill(agent=agent, skill_name=skill, level=level)
        account_services.agent_set_presence(agent=agent, presence=spec.presence)
        agents[spec.local] = agent
    return Staff(teams=teams, agents=agents, specs={s.local: s for s in AGENTS})


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("'", "")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in ".-"))


class _Names:
    """Unique first + last name pairs per language, and unique addresses and numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pairs = {
            lang: rng.sample([(f, s) for f in FIRST_NAMES[lang] for s in LAST_NAMES[lang]], 60)
            for lang in FIRST_NAMES
        }
        self.emails: set[str] = set()
        self.phones: set[str] = set()

    def name(self, language: str) -> str:
        first, last = self.pairs[language].pop()
        return f"{first} {last}"

    def email(self, name: str, domain: str) -> str:
        first, _sep, last = name.partition(" ")
        base = f"{_ascii(first)}.{_ascii(last)}"
        address, n = f"{base}@{domain}", 1
        while address in self.emails:
            n += 1
            address = f"{base}{n}@{domain}"
        self.emails.add(address)
        return address

    def phone(self, language: str) -> str:
        while True:
            digits = {
                "da": f"{self.rng.choice('2345')}{self.rng.randint(0, 9_999_999):07d}",
                "sv": f"7{self.rng.choice('0236')}{self.rng.randint(0, 9_999_999):07d}",
            }.get(language, f"{self.rng.choice('49')}{self.rng.randint(0, 9_999_999):07d}")
            number = f"{PHONE_PREFIX[language]} {digits[:3]} {digits[3:5]} {digits[5:]}"
            if number not in self.phones:
                self.phones.add(number)
                return number


def customers_create(rng: random.Random) -> list[DemoCustomer]:
    names = _Names(rng)
    people = []
    for spec in ORGANISATIONS:
        organisation = customer_services.organisation_create(
            name=spec.name, domain=spec.domain, notes=spec.notes
        )
        for i in range(spec.contacts):
            # Norrsken Media works in English as much as in Swedish.
            language = "en" if spec.domain == "norrskenmedia.se" and i % 2 else spec.language
            name = names.name(language)
            people.append(
                _customer_create(
                    name=name,
                    language=language,
                    email=names.email(name, spec.domain),
                    phone=names.phone(language) if rng.random() < 0.5 else "",
                    organisation=organisation,
                    weight=rng.choice((2, 3, 3, 4)),
                )
            )
    for language, count in PRIVATE_CUSTOMERS.items():
        for _ in range(count):
            name = names.name(language)
            people.append(
                _customer_create(
                    name=name,
                    language=language,
                    email=names.email(name, rng.choice(PROVIDERS[language])),
                    phone=names.phone(language) if rng.random() < 0.4 else "",
                    organisation=None,
                    weight=rng.choice((1, 1, 1, 2, 2, 3, 5)),
                )
            )
    return people


def _customer_create(
    *,
    name: str,
    language: str,
    email: str,
    phone: str,
    organisation: Organisation | None,
    weight: int,
) -> DemoCustomer:
    identities = [("email", email)]
    if phone:
        identities.append(("phone", phone))
    customer = customer_services.customer_create(
        name=name, identities=identities, organisation=organisation, language=language
    )
    return DemoCustomer(
        customer=customer,
        name=name,
        language=language,
        email=email,
        phone=phone,
        organisation=organisation,
        weight=weight,
    )
