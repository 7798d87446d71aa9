"""Who is in the demo: the support team of Vinterly (a fictional Nordic electronics shop with
an app and a membership), the companies that buy from it and the people who write in. All
names, companies and domains are made up."""

from dataclasses import dataclass, field

DEMO_DOMAIN = "nordesk.demo"


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    description: str
    routing: dict[str, object] = field(default_factory=dict)  # see accounts.team_set_routing


TEAMS = (
    TeamSpec(
        "billing", "Billing", "Invoices, payments, refunds and memberships.",
        {"strategy": "least_loaded"},
    ),
    TeamSpec(
        "technical", "Technical support", "Log-in, the app and the web shop.",
        {"strategy": "skills", "relax_after_minutes": 10, "overflow_after_minutes": 30},
    ),
    TeamSpec(
        "orders", "Orders & returns", "Deliveries, returns, claims and address changes.",
        {"strategy": "round_robin"},
    ),
    TeamSpec("success", "Customer success", "Business customers: agreements and onboarding."),
)  # fmt: skip

# Technical support overflows to Customer success when nobody can take a ticket in time.
BACKUP_TEAMS = {"technical": "success"}

# Skills-based teams give a ticket in these languages to agents who read them this well.
LANGUAGE_SKILLS = (
    ("nb", "norwegian", 3),
    ("nn", "norwegian", 3),
    ("da", "danish", 3),
    ("sv", "swedish", 3),
    ("en", "english", 3),
)
CHAT_CAPACITY = 3


@dataclass(frozen=True)
class AgentSpec:
    local: str  # the part of the email address before @
    name: str
    role: str
    teams: tuple[str, ...]
    languages: tuple[str, ...]
    capacity: int
    presence: str
    skills: dict[str, int] = field(default_factory=dict)

    @property
    def email(self) -> str:
        return f"{self.local}@{DEMO_DOMAIN}"


AGENTS = (
    AgentSpec(
        "admin", "Astrid Berg", "admin", (), ("nb", "en"), 5, "online",
        {"billing": 3, "norwegian": 5, "english": 4},
    ),
    AgentSpec(
        "siri", "Siri Halvorsen", "supervisor", ("billing", "technical", "orders", "success"),
        ("nb", "nn", "sv", "en"), 10, "online",
        {"billing": 4, "returns": 4, "norwegian": 5, "swedish": 3, "english": 4},
    ),
    AgentSpec(
        "kari", "Kari Nordmann", "agent", ("billing", "success"), ("nb", "nn", "en"), 30,
        "online", {"billing": 5, "b2b": 3, "norwegian": 5, "english": 4},
    ),
    AgentSpec(
        "mikkel", "Mikkel Østergaard", "agent", ("billing",), ("da", "sv", "en"), 30,
        "away", {"billing": 4, "danish": 5, "english": 4},
    ),
    AgentSpec(
        "ole", "Ole Bakken", "agent", ("technical",), ("nb", "nn", "en"), 25,
        "online", {"technical": 5, "norwegian": 5, "english": 4},
    ),
    AgentSpec(
        "elin", "Elin Sjöberg", "agent", ("technical",), ("sv", "da", "en"), 25,
        "offline", {"technical": 4, "swedish": 5, "danish": 3, "english": 5},
    ),
    AgentSpec(
        "ingrid", "Ingrid Tveit", "agent", ("orders",), ("nn", "nb", "en"), 35,
        "online", {"returns": 5, "norwegian": 5, "english": 3},
    ),
    AgentSpec(
        "johan", "Johan Lindqvist", "agent", ("orders",), ("sv", "da", "en"), 35,
        "away", {"returns": 4, "swedish": 5, "danish": 3, "english": 4},
    ),
    AgentSpec(
        "freja", "Freja Nielsen", "agent", ("success", "billing"), ("da", "sv", "en"), 20,
        "online", {"b2b": 5, "billing": 3, "danish": 5, "swedish": 3, "english": 5},
    ),
    AgentSpec(
        "lars", "Lars Lie", "light_agent", ("technical",), ("nb", "nn"), 10,
        "offline", {"technical": 2, "norwegian": 5},
    ),
)  # fmt: skip


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    domain: str
    language: str
    notes: str
    contacts: int


ORGANISATIONS = (
    OrganisationSpec(
        "Fjelltopp Bygg AS", "fjelltoppbygg.no", "nb", "Byggefirma i Oslo-området.", 6
    ),
    OrganisationSpec(
        "Nordlig Tannhelse AS", "nordligtannhelse.no", "nb", "Tannklinikker i Tromsø og Bodø.", 4
    ),
    OrganisationSpec(
        "Havbris Sjømat AS", "havbris-sjomat.no", "nn", "Sjømateksportør frå Ålesund.", 5
    ),
    OrganisationSpec(
        "Vestlandsk Rekneskap AS", "vestrekneskap.no", "nn", "Rekneskapsbyrå i Bergen.", 4
    ),
    OrganisationSpec(
        "Søndergaard & Holm A/S", "sondergaard-holm.dk", "da", "Arkitektfirma i Aarhus.", 6
    ),
    OrganisationSpec(
        "Kobbervik Cykler ApS", "kobbervik-cykler.dk", "da", "Cykelforhandler i Odense.", 4
    ),
    OrganisationSpec(
        "Älvdalens Trähus AB", "alvdalstrahus.se", "sv", "Trähustillverkare i Dalarna.", 5
    ),
    OrganisationSpec(
        "Norrsken Media AB",
        "norrskenmedia.se",
        "sv",
        "Produktionsbolag i Stockholm med engelskspråkiga medarbetare.",
        6,
    ),
)

# Private customers write from these (made-up) mail providers.
PROVIDERS = {
    "nb": ("fjordpost.no", "nordmail.no"),
    "nn": ("fjordpost.no", "vestnett.no"),
    "da": ("postkassen.dk", "dkpost.dk"),
    "sv": ("brevladan.se", "nordmejl.se"),
    "en": ("mailbox-uk.com", "nordicexpat.net"),
}
# How many customers of each language (besides the organisations' contacts).
PRIVATE_CUSTOMERS = {"nb": 38, "nn": 10, "da": 20, "sv": 22, "en": 16}
PHONE_PREFIX = {"nb": "+47", "nn": "+47", "da": "+45", "sv": "+46", "en": "+47"}

FIRST_NAMES = {
    "nb": (
        "Kari", "Ola", "Ingrid", "Sindre", "Marte", "Håkon", "Silje", "Eirik", "Ragnhild",
        "Torbjørn", "Nora", "Jonas", "Ida", "Henrik", "Thea", "Magnus", "Hanne", "Even",
        "Maren", "Vegard", "Tuva", "Kristoffer", "Sigrid", "Andreas",
    ),
    "nn": (
        "Torunn", "Sigrid", "Aslak", "Gunnhild", "Olav", "Brynjar", "Solveig", "Ragnvald",
        "Synnøve", "Eldar", "Ingebjørg", "Sjur", "Gro", "Knut",
    ),
    "da": (
        "Mette", "Søren", "Rasmus", "Freja", "Mads", "Camilla", "Anders", "Sofie", "Kasper",
        "Line", "Jesper", "Ida", "Mikkel", "Signe", "Frederik", "Louise", "Emil", "Karen",
    ),
    "sv": (
        "Anna", "Erik", "Lars", "Karin", "Maja", "Oskar", "Elin", "Johan", "Linnea", "Gustav",
        "Astrid", "Nils", "Ebba", "Axel", "Sara", "Viktor", "Ingrid", "Filip",
    ),
    "en": (
        "Emily", "James", "Sarah", "Daniel", "Olivia", "Michael", "Hannah", "Thomas", "Grace",
        "Ryan", "Chloe", "David", "Aisha", "Piotr", "Lucy", "Marco",
    ),
}  # fmt: skip
LAST_NAMES = {
    "nb": (
        "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg",
        "Haugen", "Bakke", "Solberg", "Lunde", "Strand", "Aasen", "Sæther", "Nygård", "Eide",
        "Dahl", "Moen", "Rønning",
    ),
    "nn": (
        "Myklebust", "Hovland", "Kvamme", "Tveit", "Hauge", "Fosse", "Bjørke", "Ulvik",
        "Skeie", "Vågen", "Nesheim", "Straume",
    ),
    "da": (
        "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
        "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Mortensen",
        "Østergaard", "Dahl", "Bach",
    ),
    "sv": (
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Lindqvist", "Bergström", "Holm", "Lundgren",
        "Sjöberg", "Åkesson",
    ),
    "en": (
        "Smith", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Clarke", "Hughes", "Murphy",
        "O'Connor", "Patel", "Kowalski", "Rossi", "Khan",
    ),
}  # fmt: skip
