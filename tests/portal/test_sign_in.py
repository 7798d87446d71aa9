"""Signing in to the portal: one-time links by email, optional passwords, and a session that is
the portal's own (an agent's login is not a customer's, and the other way round)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from nordesk.portal import services as portal_services
from nordesk.portal.models import PortalAccount, SignInLink
from tests.factories import PASSWORD
from tests.portal.helpers import signed_in

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/help/sign-in/link/[\w-]+/)")


@pytest.fixture
def ask_for_link(client, django_capture_on_commit_callbacks):
    """Ask for a link; its mail leaves once the request's transaction commits."""

    def ask(email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/help/sign-in/link/", {"email": email})

    return ask


def link_in_mail() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match is not None, mail.outbox[-1].body
    return match.group(1)


def test_a_sign_in_link_reaches_a_known_customer_and_signs_them_in_once(
    client, ask_for_link, people
):
    response = ask_for_link("Sofie@Example.no")

    assert "a sign-in link is on its way" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sofie@example.no"]
    assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"
    link = link_in_mail()
    assert "Sign in now" in client.get(link).content.decode()  # GET only asks
    assert client.get("/help/tickets/").status_code == 302

    signed = client.post(link)

    assert signed["Location"] == "/help/tickets/"
    assert people.ticket.subject in client.get("/help/tickets/").content.decode()
    # a second use of the same link
    again = client.post(link)
    assert again.status_code == 400
    assert "each link works once" in again.content.decode()


def test_the_link_mail_is_in_the_language_of_the_page_it_was_asked_from(
    client, django_capture_on_commit_callbacks, people
):
    # given: Sofie reads the help centre in Swedish, though her profile says Norwegian
    customer = people.ticket.customer
    customer.language = "nb"
    customer.save(update_fields=["language"])
    # when: she asks for a link there
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/help/sign-in/link/", {"email": "sofie@example.no"}, HTTP_ACCEPT_LANGUAGE="sv"
        )
    # then: the page and the mail speak Swedish
    assert page["Content-Language"] == "sv"
    assert mail.outbox[0].subject.startswith("Din inloggningslänk för")
    assert "Öppna" in mail.outbox[0].body
    assert LINK.search(mail.outbox[0].body)


def test_the_link_is_stored_only_as_a_digest(client, ask_for_link, people):
    ask_for_link("sofie@example.no")

    token = link_in_mail().rstrip("/").rsplit("/", 1)[1]
    stored = SignInLink.objects.get()
    assert token not in stored.digest
    assert len(stored.digest) == 64


def test_an_expired_link_is_refused(client, ask_for_link, people):
    ask_for_link("sofie@example.no")
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(link_in_mail())

    assert response.status_code == 400
    assert "each link works once, for a short while" in response.content.decode()
    assert client.get("/help/tickets/").status_code == 302


def test_a_forged_link_is_refused(client, people):
    response = client.post("/help/sign-in/link/not-a-real-token-at-all/")

    assert response.status_code == 400
    assert client.get("/help/tickets/").status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, ask_for_link, people):
    known = ask_for_link("sofie@example.no").content.decode()
    unknown = ask_for_link("nobody@example.no").content.decode()

    def normalised(page: str, address: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page).replace(address, "X")

    assert normalised(unknown, "nobody@example.no") == normalised(known, "sofie@example.no")
    assert len(mail.outbox) == 1
    assert not PortalAccount.objects.filter(customer__identities__address="nobody@example.no")


def test_links_are_limited_per_address_known_or_not(client, ask_for_link, people, settings):
    settings.PORTAL_SIGN_IN_PER_ADDRESS_HOUR = 2
    for address in ("sofie@example.no", "nobody@example.no"):
        ask_for_link(address)
        ask_for_link(address)

        response = ask_for_link(address)

        assert response.status_code == 400
        assert "many sign-in attempts for this address" in response.content.decode()
    assert len(mail.outbox) == 2


def test_password_sign_in_after_setting_one(client, people):
    account = signed_in(client, people.sofie)
    response = client.post("/help/account/", {"password": PASSWORD})
    assert "Your password is saved." in response.content.decode()
    client.post("/help/sign-out/")
    assert client.get("/help/tickets/").status_code == 302

    signed = client.post(
        "/help/sign-in/password/",
        {"email": "sofie@example.no", "password": PASSWORD, "next": "/help/account/"},
    )

    assert signed["Location"] == "/help/account/"
    account.refresh_from_db()
    assert account.password.startswith("md5$")  # a Django hash, never the password
    assert account.last_sign_in_at is not None


def test_a_weak_password_is_refused(client, people):
    signed_in(client, people.sofie)

    response = client.post("/help/account/", {"password": "1234"})

    assert response.status_code == 400
    assert "too short" in response.content.decode()


@pytest.mark.parametrize(
    ("email", "password"),
    [("sofie@example.no", "wrong-password-123"), ("nobody@example.no", PASSWORD)],
)
def test_a_wrong_password_or_address_gets_one_answer(client, people, email, password):
    portal_services.account_password_set(
        account=portal_services.account_for_customer(customer_id=people.sofie.pk),
        password=PASSWORD,
    )

    response = client.post("/help/sign-in/password/", {"email": email, "password": password})

    assert response.status_code == 400
    assert "That email address and password do not match." in response.content.decode()
    assert client.get("/help/tickets/").status_code == 302


def test_a_new_password_signs_out_the_customers_other_sessions(client, people):
    other = Client()
    signed_in(other, people.sofie)
    signed_in(client, people.sofie)

    client.post("/help/account/", {"password": PASSWORD})

    assert client.get("/help/tickets/").status_code == 200
    assert other.get("/help/tickets/").status_code == 302


def test_an_agent_session_gives_no_portal_access(client, people):
    client.force_login(people.astrid.user)

    for url in ("/help/tickets/", f"/help/tickets/{people.ticket.number}/", "/help/account/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/help/sign-in/")


def test_a_portal_session_gives_no_workspace_access(client, people):
    signed_in(client, people.sofie)

    assert client.get("/")["Location"].startswith("/login/")
    assert client.get(f"/tickets/{people.ticket.number}/")["Location"].startswith("/login/")
    assert client.get("/api/v1/tickets").status_code == 401


def test_signing_out_of_the_portal_keeps_an_agent_signed_in(client, people):
    client.force_login(people.kari.user)
    signed_in(client, people.sofie)

    client.post("/help/sign-out/")

    assert client.get("/help/tickets/").status_code == 302
    assert client.get("/").status_code == 200


def test_sign_in_pages_cost_few_queries(
    client, ask_for_link, people, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        client.get("/help/sign-in/")
    with django_assert_max_num_queries(10):
        ask_for_link("sofie@example.no")
    with django_assert_max_num_queries(10):
        client.post(link_in_mail())


def test_the_admin_lists_portal_accounts_and_links_without_the_tokens(client, ask_for_link, people):
    ask_for_link("sofie@example.no")
    token = link_in_mail().rstrip("/").rsplit("/", 1)[1]
    admin = Client()
    admin.force_login(people.astrid.user)

    responses = [
        admin.get(f"/admin/portal/{model}/")
        for model in ("portalaccount", "signinlink", "contactformsettings")
    ]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert "Sofie Lund" in responses[0].content.decode()
    assert "Sofie Lund" in responses[1].content.decode()
    assert token not in responses[1].content.decode()


def test_wrong_passwords_are_limited_and_right_ones_are_not(client, people, settings):
    settings.PORTAL_SIGN_IN_PER_ADDRESS_HOUR = 2
    portal_services.account_password_set(
        account=portal_services.account_for_customer(customer_id=people.sofie.pk),
        password=PASSWORD,
    )

    def sign_in(password: str):
        return client.post(
            "/help/sign-in/password/", {"email": "sofie@example.no", "password": password}
        )

    for _ in range(3):
        assert sign_in(PASSWORD).status_code == 302  # right ones count for nothing
    assert "do not match" in sign_in("wrong-1").content.decode()
    assert "do not match" in sign_in("wrong-2").content.decode()
    refused = sign_in(PASSWORD)
    assert refused.status_code == 400
    assert "many sign-in attempts for this address" in refused.content.decode()


def test_links_that_stopped_working_a_day_ago_are_forgotten(ask_for_link, people):
    ask_for_link("sofie@example.no")
    ask_for_link("sofie@example.no")
    old = SignInLink.objects.order_by("id").first()
    SignInLink.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=2))

    assert portal_services.sign_in_links_prune() == 1
    assert list(SignInLink.objects.values_list("pk", flat=True)) != [old.pk]
    assert SignInLink.objects.count() == 1
