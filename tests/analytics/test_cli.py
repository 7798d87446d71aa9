"""`nordesk analytics rebuild|refresh`."""

import pytest

from nordesk import cli
from nordesk.analytics.models import ArrivalHour, TicketFact

pytestmark = pytest.mark.django_db(transaction=True)


def test_cli_rebuild_recomputes_every_figure(people, capsys):
    # given: figures that were never computed
    assert not TicketFact.objects.exists()
    # when
    assert cli.main(["analytics", "rebuild", "--quiet"]) == 0
    # then
    assert capsys.readouterr().out.startswith("1 ticket(s) in ")
    assert TicketFact.objects.get().ticket_id == people.ticket.pk
    assert sum(ArrivalHour.objects.values_list("tickets", flat=True)) == 1


def test_cli_refresh_applies_new_history(people, capsys):
    assert cli.main(["analytics", "refresh", "--quiet"]) == 0
    assert TicketFact.objects.filter(ticket_id=people.ticket.pk).exists()
