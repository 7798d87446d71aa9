from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import history
from ..errors import MergeNotAllowed
from ..models import Message, Participant, Status, ThreadKey, Ticket
from .common import Actor, ensure_actor_may_change, ticket_save


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: Actor) -> Ticket:
    """Moves the messages, thread keys and tags of `source` onto `target` and closes `source`
    pointing at `target`. Later mail threading to `source` lands on `target`."""
    ensure_actor_may_change(actor)
    if source.pk == target.pk:
        raise MergeNotAllowed(_("A ticket cannot be merged into itself."))
    locked = {
        t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    source, target = locked[source.pk], locked[target.pk]
    if Status.CLOSED in (source.status, target.status):
        raise MergeNotAllowed(_("Closed tickets cannot be merged."))
    Message.objects.filter(ticket=source).update(ticket=target)
    ThreadKey.objects.filter(ticket=source).update(ticket=target)
    target.tags.add(*source.tags.all())
    source.status = Status.CLOSED
    source.merged_into = target
    ticket_save(source, ["status", "merged_into"])
    last = (
        Message.objects.filter(ticket=target)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    target.last_message_at = last or target.last_message_at
    if target.status == Status.SOLVED:
        target.status = Status.OPEN
        target.solved_at = None
    ticket_save(target, ["last_message_at", "status", "solved_at"])
    history.history_record(
        history.ticket_merged(ticket=source, actor=actor, into=target),
        history.tickets_merged_in(ticket=target, actor=actor, source=source),
    )
    return target


def tickets_move_customer(*, source_customer_id: int, target_customer_id: int, actor: Actor) -> int:
    """After a customer merge: every ticket, message and participation of the old profile
    belongs to the new."""
    _participations_move(source_customer_id, target_customer_id)
    tickets = list(Ticket.objects.filter(customer_id=source_customer_id))
    if not tickets:
        return 0
    Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(
        customer_id=target_customer_id, updated_at=timezone.now()
    )
    Message.objects.filter(author_customer_id=source_customer_id).update(
        author_customer_id=target_customer_id
    )
    history.history_record(
        *[
            history.customer_changed(
                ticket=t, actor=actor, old=source_customer_id, new=target_customer_id
            )
            for t in tickets
        ]
    )
    return len(tickets)


def _participations_move(source_customer_id: int, target_customer_id: int) -> None:
    moving = Participant.objects.filter(customer_id=source_customer_id)
    moving.filter(
        ticket__in=Participant.objects.filter(customer_id=target_customer_id).values("ticket")
    ).delete()
    moving.update(customer_id=target_customer_id)
