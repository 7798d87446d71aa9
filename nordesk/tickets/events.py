"""What the tickets app listens to from other apps."""

from nordesk.core.events import DomainEvent, subscribe

from . import search, services


@subscribe("customer_merged")
def on_customer_merged(event: DomainEvent) -> None:
    services.tickets_move_customer(
        source_customer_id=event.payload["source_id"],
        target_customer_id=event.payload["target_id"],
        actor=event.payload["actor"],
    )


@subscribe("customer_changed")
def on_customer_changed(event: DomainEvent) -> None:
    """A customer's name and addresses are searched with their tickets."""
    search.search_entries_outdate(customer_id=event.payload["customer_id"])
