import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nordesk.tickets.models import Message, Status, Ticket, TicketEvent
from tests.factories import make_ticket, token_client
from tests.http import assert_problem, json_patch, json_post

pytestmark = pytest.mark.django_db

API = "/api/v1"


def post(client, path, body):
    return json_post(client, f"{API}{path}", body)


def patch(client, path, body):
    return json_patch(client, f"{API}{path}", body)


@pytest.fixture
def kari(people):
    return token_client(people.kari)


def test_ticket_list_returns_scoped_page(people, kari):
    make_ticket(team=people.technical, address="ola@example.no")
    body = kari.get(f"{API}/tickets").json()
    assert [t["number"] for t in body["items"]] == [people.ticket.number]
    assert body["items"][0]["customer"]["name"] == "Sofie Lund"
    assert body["items"][0]["team"]["name"] == "Billing"


def test_ticket_list_keyset_pagination_walks_every_ticket_once(people):
    for i in range(11):
        make_ticket(team=people.billing, address=f"c{i}@example.no")
    client = token_client(people.astrid)
    seen, cursor = [], None
    while True:
        url = f"{API}/tickets?limit=5" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [t["id"] for t in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 12
    assert len(set(seen)) == 12


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=new", {"billing", "technical", "chat"}),
        ("status=open", {"open"}),
        ("status=open&status=new", {"billing", "technical", "chat", "open"}),
        ("channel=chat", {"chat"}),
        ("tag=vip", {"technical"}),
        ("q=router", {"technical"}),
        ("assignee=none", {"billing", "technical", "chat"}),
    ],
)
def test_ticket_list_filters(people, query, expected):
    from nordesk.tickets import services

    made = {
        "billing": people.ticket,
        "technical": make_ticket(
            team=people.technical, address="t@example.no", subject="Router virker ikke"
        ),
        "chat": make_ticket(address="chat-1", kind="chat", channel="chat", subject="Hei"),
        "open": make_ticket(team=people.billing, address="o@example.no", subject="Åpen"),
    }
    services.ticket_tag(ticket=made["technical"], add=["VIP"], actor=None)
    services.ticket_assign(ticket=made["open"], assignee_id=people.kari.user_id, actor=None)
    by_id = {t.pk: name for name, t in made.items()}
    body = token_client(people.astrid).get(f"{API}/tickets?{query}").json()
    assert {by_id[t["id"]] for t in body["items"]} == expected


def test_ticket_list_filter_by_team_and_assignee_me(people, kari):
    from nordesk.tickets import services

    services.ticket_assign(ticket=people.ticket, assignee_id=people.kari.user_id, actor=None)
    body = kari.get(f"{API}/tickets?assignee=me&team={people.billing.pk}").json()
    assert [t["id"] for t in body["items"]] == [people.ticket.pk]


def test_ticket_list_bad_cursor_and_filter_are_422(people, kari):
    assert_problem(kari.get(f"{API}/tickets?cursor=garbage"), 422, "invalid")
    assert_problem(kari.get(f"{API}/tickets?limit=5000"), 422, "validation_failed")
    assert_problem(kari.get(f"{API}/tickets?assignee=someone"), 422, "invalid")


def test_ticket_list_query_budget_is_constant(people, django_assert_max_num_queries):
    client = token_client(people.astrid)
    for i in range(30):
        make_ticket(team=people.billing, address=f"q{i}@example.no")
    # token lookup, token touch, agent teams, page, tags prefetch (+ slack for the session)
    with django_assert_max_num_queries(5):
        response = client.get(f"{API}/tickets?limit=25&team={people.billing.pk}&status=new")
    assert len(response.json()["items"]) == 25


def test_ticket_detail_query_budget(people, django_assert_max_num_queries):
    from nordesk.tickets import services

    client = token_client(people.kari)
    for i in range(5):
        services.ticket_add_note(ticket=people.ticket, actor=people.kari.user, text=f"n{i}")
    client.get(f"{API}/tickets/{people.ticket.pk}")  # token touch happens once a minute
    with django_assert_max_num_queries(7):
        response = client.get(f"{API}/tickets/{people.ticket.pk}")
    assert len(response.json()["messages"]) == 6


def test_ticket_create_via_api(people, kari):
    response = post(
        kari,
        "/tickets",
        {
            "subject": "Dobbel trekk på kortet",
            "text": "Jeg er trukket to ganger.",
            "requester": {"email": "Nils@Example.no", "name": "Nils Hansen"},
            "team": people.billing.pk,
            "priority": "high",
            "tags": ["Kort"],
            "external_id": "crm-77",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["subject"] == "Dobbel trekk på kortet"
    assert body["channel"] == "api"
    assert body["priority"] == "high"
    assert body["tags"] == ["kort"]
    assert body["customer"]["name"] == "Nils Hansen"
    assert body["messages"][0]["text"] == "Jeg er trukket to ganger."
    # the same external id again is the same ticket, not a duplicate
    again = post(
        kari,
        "/tickets",
        {
            "subject": "x",
            "text": "y",
            "requester": {"email": "nils@example.no"},
            "external_id": "crm-77",
        },
    )
    assert again.json()["id"] == body["id"]
    assert Ticket.objects.filter(subject__startswith="Dobbel").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "", "text": "x", "requester": {"email": "a@b.no"}}, "subject"),
        ({"subject": "s", "text": "x", "requester": {}}, "requester"),
        (
            {"subject": "s", "text": "x", "requester": {"email": "a@b.no"}, "priority": "asap"},
            "priority",
        ),
        (
            {"subject": "s", "text": "x", "requester": {"email": "a@b.no"}, "status": "closed"},
            "status",
        ),
        (
            {"subject": "s", "text": "x", "requester": {"email": "a@b.no", "is_staff": True}},
            "requester.is_staff",
        ),
        ({"subject": 12, "text": ["x"], "requester": {"email": "a@b.no"}}, "text"),
    ],
)
def test_ticket_create_bad_input_is_422_with_field(people, kari, body, field):
    problem = assert_problem(post(kari, "/tickets", body), 422, "validation_failed")
    assert any(e["field"].endswith(field) for e in problem["errors"]), problem["errors"]
    assert Ticket.objects.count() == 1


def test_ticket_create_malformed_json_is_422(people, kari):
    response = kari.post(f"{API}/tickets", data="{not json", content_type="application/json")
    problem = assert_problem(response, 422, "malformed_body")
    assert problem["errors"] == [
        {"field": "body", "message": "The request body is not valid JSON."}
    ]


def test_ticket_create_malformed_requester_email_is_422(people, kari):
    response = post(
        kari, "/tickets", {"subject": "s", "text": "x", "requester": {"email": "not-an-email"}}
    )
    problem = assert_problem(response, 422, "invalid_address")
    assert problem["errors"][0]["field"] == "address"
    assert Ticket.objects.count() == 1


def test_ticket_update_changes_and_records(people, kari):
    response = patch(
        kari,
        f"/tickets/{people.ticket.pk}",
        {
            "status": "open",
            "priority": "urgent",
            "assignee": people.kari.user_id,
            "tags": ["faktura"],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["priority"], body["tags"]) == ("open", "urgent", ["faktura"])
    assert body["assignee"]["id"] == people.kari.user_id
    kinds = set(TicketEvent.objects.filter(ticket=people.ticket).values_list("kind", flat=True))
    assert {"status", "priority", "assignment", "tags"} <= kinds


def test_ticket_update_illegal_transition_is_409_with_reason(people, kari):
    response = patch(kari, f"/tickets/{people.ticket.pk}", {"status": "closed"})
    problem = assert_problem(response, 409, "illegal_transition")
    assert problem["detail"] == "A ticket cannot go from New to Closed."
    assert Ticket.objects.get(pk=people.ticket.pk).status == Status.NEW


@pytest.mark.parametrize(
    "field", [{"role": "admin"}, {"is_staff": True}, {"number": 1}, {"customer": 5}]
)
def test_ticket_update_rejects_mass_assignment(people, kari, field):
    response = patch(kari, f"/tickets/{people.ticket.pk}", field)
    assert_problem(response, 422, "validation_failed")


def test_ticket_reply_and_note(people, kari):
    reply = post(
        kari, f"/tickets/{people.ticket.pk}/reply", {"text": "Vi ordner det.", "status": "solved"}
    )
    assert reply.status_code == 201
    assert reply.json()["direction"] == "out"
    note = post(kari, f"/tickets/{people.ticket.pk}/notes", {"text": "Kunden er VIP"})
    assert note.status_code == 201
    assert note.json()["visibility"] == "internal"
    detail = kari.get(f"{API}/tickets/{people.ticket.pk}").json()
    assert detail["status"] == "solved"
    assert [m["text"] for m in detail["messages"]][-2:] == ["Vi ordner det.", "Kunden er VIP"]


def test_ticket_reply_empty_is_422(people, kari):
    assert_problem(
        post(kari, f"/tickets/{people.ticket.pk}/reply", {"text": " "}), 422, "empty_message"
    )


def test_light_agent_token_can_note_but_not_reply_or_update(people):
    lars = token_client(people.lars)
    assert post(lars, f"/tickets/{people.ticket.pk}/notes", {"text": "ok"}).status_code == 201
    assert_problem(
        post(lars, f"/tickets/{people.ticket.pk}/reply", {"text": "x"}), 403, "role_forbids"
    )
    assert_problem(
        patch(lars, f"/tickets/{people.ticket.pk}", {"priority": "low"}), 403, "role_forbids"
    )


def test_ticket_merge_via_api(people, kari):
    other = make_ticket(team=people.billing, address="sofie@example.no", subject="Samme sak")
    response = post(kari, f"/tickets/{other.pk}/merge", {"into": people.ticket.pk})
    assert response.status_code == 200
    assert len(response.json()["messages"]) == 2
    assert Ticket.objects.get(pk=other.pk).merged_into_id == people.ticket.pk


def test_ticket_events_lists_history(people, kari):
    patch(kari, f"/tickets/{people.ticket.pk}", {"priority": "low"})
    kinds = [e["kind"] for e in kari.get(f"{API}/tickets/{people.ticket.pk}/events").json()]
    assert kinds == ["created", "message_in", "priority"]


def test_upload_attach_and_download(people, kari):
    upload = kari.post(
        f"{API}/tickets/uploads", {"file": SimpleUploadedFile("kvittering.txt", b"Kvittering")}
    )
    assert upload.status_code == 201, upload.content
    attachment_id = upload.json()["id"]
    reply = post(
        kari,
        f"/tickets/{people.ticket.pk}/reply",
        {"text": "Se vedlegg", "attachments": [attachment_id]},
    )
    assert reply.json()["attachments"][0]["filename"] == "kvittering.txt"
    download = kari.get(f"{API}/tickets/attachments/{attachment_id}")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "text/plain"
    assert b"".join(download.streaming_content) == b"Kvittering"


def test_upload_html_is_never_served_as_html(people, kari):
    upload = kari.post(
        f"{API}/tickets/uploads",
        {
            "file": SimpleUploadedFile(
                "x.html", b"<html><script>1</script>", content_type="text/html"
            )
        },
    )
    assert upload.json()["content_type"] == "application/octet-stream"


def test_upload_over_limit_is_413_and_stores_nothing(people, kari, settings):
    from nordesk.tickets.models import Attachment

    settings.MAX_ATTACHMENT_BYTES = 1024
    response = kari.post(
        f"{API}/tickets/uploads", {"file": SimpleUploadedFile("big.bin", b"x" * 5000)}
    )
    assert_problem(response, 413, "attachment_too_large")
    assert Attachment.objects.count() == 0


def test_someone_elses_upload_cannot_be_attached(people, kari):
    ole = token_client(people.ole)
    upload = ole.post(f"{API}/tickets/uploads", {"file": SimpleUploadedFile("a.txt", b"a")})
    response = post(
        kari,
        f"/tickets/{people.ticket.pk}/reply",
        {"text": "x", "attachments": [upload.json()["id"]]},
    )
    assert_problem(response, 404, "attachment_not_found")
    assert Message.objects.filter(ticket=people.ticket).count() == 1


def _pdf(width: float = 595, height: float = 842) -> bytes:
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(width, height)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _attached(people, filename: str, content: bytes, content_type: str):
    import dataclasses

    from nordesk.tickets import services
    from nordesk.tickets.inbound import InboundAttachment
    from tests.factories import inbound

    message = services.receive(
        dataclasses.replace(
            inbound(team=people.billing, subject="Vedlegg"),
            attachments=(InboundAttachment(filename, content, content_type),),
        )
    )
    return message.attachments.get()


def test_pdf_preview_is_a_png_of_the_first_page_drawn_once(people, kari, settings):
    pdf = _attached(people, "faktura.pdf", _pdf(), "application/pdf")
    url = f"{API}/tickets/attachments/{pdf.pk}/preview"

    first = kari.get(url)
    again = kari.get(url)

    assert first.status_code == 200
    assert first["Content-Type"] == "image/png"
    assert first.content.startswith(b"\x89PNG")
    width, height = int.from_bytes(first.content[16:20]), int.from_bytes(first.content[20:24])
    assert (width, height) == (320, 453)  # A4 at thumbnail width
    assert again.content == first.content
    assert (settings.MEDIA_ROOT / "previews" / f"{pdf.sha256}.png").exists()


def test_a_very_tall_page_is_drawn_small_not_huge(people, kari):
    pdf = _attached(people, "kvittering.pdf", _pdf(width=200, height=14_000), "application/pdf")

    png = kari.get(f"{API}/tickets/attachments/{pdf.pk}/preview").content

    assert int.from_bytes(png[20:24]) == 640


def test_a_pdf_pdfium_cannot_read_shows_a_blank_page(people, kari):
    pdf = _attached(people, "broken.pdf", b"%PDF-1.4\nnot really", "application/pdf")

    response = kari.get(f"{API}/tickets/attachments/{pdf.pk}/preview")

    assert response.status_code == 200
    assert response.content.startswith(b"\x89PNG")
    assert int.from_bytes(response.content[16:20]) == 320


def test_other_files_have_no_preview(people, kari):
    text = _attached(people, "notes.txt", b"hei", "text/plain")

    response = kari.get(f"{API}/tickets/attachments/{text.pk}/preview")

    assert_problem(response, 404, "not_found")


def test_preview_of_another_teams_attachment_is_404(people):
    pdf = _attached(people, "faktura.pdf", _pdf(), "application/pdf")
    technical_only = token_client(people.ole)

    response = technical_only.get(f"{API}/tickets/attachments/{pdf.pk}/preview")

    assert_problem(response, 404, "not_found")


def test_tags_teams_agents_directory(people, kari):
    from nordesk.tickets import services

    services.ticket_tag(ticket=people.ticket, add=["faktura"], actor=None)
    assert [t["name"] for t in kari.get(f"{API}/tags").json()] == ["faktura"]
    assert [t["name"] for t in kari.get(f"{API}/teams").json()] == ["Billing", "Technical support"]
    agents = {a["email"]: a for a in kari.get(f"{API}/agents").json()}
    assert agents["kari@nordesk.test"]["team_ids"] == [people.billing.pk]
    assert agents["lars@nordesk.test"]["role"] == "light_agent"


def test_ticket_create_into_another_team_returns_it_to_its_creator(people, kari):
    response = post(
        kari,
        "/tickets",
        {
            "subject": "Ruter",
            "text": "Nettet er nede",
            "requester": {"email": "per@example.no"},
            "team": people.technical.pk,
        },
    )
    assert response.status_code == 201
    assert response.json()["team"]["name"] == "Technical support"
    # and afterwards it is out of Kari's scope like any Technical ticket
    assert kari.get(f"{API}/tickets/{response.json()['id']}").status_code == 404


def test_external_ids_are_per_integration_and_do_not_reveal_others(people, kari):
    body = {
        "subject": "Hemmelig",
        "text": "x",
        "requester": {"email": "a@example.no"},
        "external_id": "ext-1",
    }
    first = post(kari, "/tickets", body).json()
    ole = token_client(people.ole)
    theirs = post(ole, "/tickets", {**body, "subject": "Annen sak"}).json()
    assert theirs["id"] != first["id"]
    assert theirs["subject"] == "Annen sak"


@pytest.mark.parametrize(
    "url",
    [
        f"/tickets?team={2**70}",
        f"/tickets?customer={2**64}",
        f"/tickets?assignee={2**70}",
        f"/tickets?q=%23{'9' * 30}",
        f"/tickets/{2**70}",
    ],
)
def test_ids_beyond_64_bits_are_clear_errors_not_crashes(people, kari, url):
    response = kari.get(f"{API}{url}")
    assert response.status_code in (200, 404, 422), response.content
    assert response["Content-Type"].startswith("application/")


@pytest.mark.parametrize("field", ["status", "priority", "tags", "custom_fields"])
def test_ticket_update_null_is_422_not_a_crash(people, kari, field):
    problem = assert_problem(
        patch(kari, f"/tickets/{people.ticket.pk}", {field: None}), 422, "validation_failed"
    )
    assert problem["errors"][0]["field"] == field


def test_ticket_update_null_team_and_assignee_clear_them(people, kari):
    patch(kari, f"/tickets/{people.ticket.pk}", {"assignee": people.kari.user_id})
    body = patch(kari, f"/tickets/{people.ticket.pk}", {"assignee": None, "team": None}).json()
    assert (body["assignee"], body["team"]) == (None, None)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/tickets?q=a%00b", None),
        (
            "post",
            "/tickets",
            '{"subject": "a\\u0000", "text": "x", "requester": {"email": "a@b.no"}}',
        ),
    ],
)
def test_nul_characters_are_a_clear_422(people, kari, method, path, body):
    kwargs = {"data": body, "content_type": "application/json"} if body else {}
    response = getattr(kari, method)(f"{API}{path}", **kwargs)
    assert_problem(response, 422, "nul_character")
    assert Ticket.objects.count() == 1
