"""What routing listens to."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nordesk.core.config_cache import config_changed
from nordesk.core.events import DomainEvent, subscribe

from . import services
from .models import RoutingRule


@subscribe("ticket_created")
def on_ticket_created(event: DomainEvent) -> None:
    """A new ticket without a team gets one from the routing rules."""
    services.ticket_route(ticket=event.payload["ticket"], message=event.payload["message"])


@receiver([post_save, post_delete], sender=RoutingRule)
def on_rule_changed(**_kwargs) -> None:
    """Every change, by the services or the admin, is seen by the next ticket."""
    config_changed(services.ACTIVE_RULES)
