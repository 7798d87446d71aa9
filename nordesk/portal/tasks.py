from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from nordesk.connectors.email import outbound

from . import selectors


@db_task(retries=2, retry_delay=30)
def sign_in_link_send(address: str, url: str, language: str) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        brand = selectors.brand_name()
        outbound.notice_send(
            to=address,
            subject=_("Your sign-in link for %(brand)s") % {"brand": brand},
            body=_(
                "Hello,\n\nOpen this link to sign in to %(brand)s's help centre and see your "
                "requests:\n\n%(url)s\n\nThe link works once, within %(minutes)d minutes. If "
                "you did not ask for it, you can ignore this email."
            )
            % {"brand": brand, "url": url, "minutes": settings.PORTAL_LINK_MINUTES},
        )


# Daily at 03:40: sign-in links that stopped working a day ago are of no more use to anyone.
@db_periodic_task(crontab(hour="3", minute="40"))
def sign_in_links_prune() -> None:
    from . import services

    services.sign_in_links_prune()


# Every five minutes: suggested articles opened from the contact form whose visit sent no form
# within the deflection window count as deflections.
@db_periodic_task(crontab(minute="*/5"))
def deflections_record() -> None:
    from . import deflection

    deflection.deflections_record_due()
