"""Shape checks for the agent workspace. Forms only validate what was typed; every rule about
tickets lives in the services, whose errors the views attach back onto these forms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from nordesk.connectors.email.models import AfterFetch, ImapSecurity, Inbound
from nordesk.core.errors import ApplicationError
from nordesk.tickets.models import EscalationReason

if TYPE_CHECKING:
    from django.http import QueryDict

    from nordesk.tickets.models import Attachment

Choices = list[tuple[Any, Any]]

# Statuses an agent may leave a ticket in after replying ("new" and "closed" make no sense).
REPLY_STATUSES = ("pending", "open", "on_hold", "solved")


def set_choices(form: forms.Form, name: str, choices: Choices) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class PageForm(forms.Form):
    """Base of the workspace's forms: each has its own id prefix so several share a page."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def add_application_error(self, error: ApplicationError) -> None:
        """A service's refusal, shown next to the field it names or above the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class TicketForm(PageForm):
    """Base of the ticket page forms."""

    id_prefix = "ticket"


MAX_FILES_PER_MESSAGE = 10


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Files sent with a reply or note: none, or up to MAX_FILES_PER_MESSAGE, each non-empty
    and within the attachment limit. The page's script adds dropped files to the input."""

    # composer-files.js lists the chosen files, each with a button named by the first sentence,
    # and writes their sizes as filesizeformat does in the thread (Django's own msgids, so its
    # catalogs translate them; the number is formatted for the page's language).
    widget = MultipleFileInput(
        attrs={
            "data-attachments": "",
            "data-text-remove": _("Remove {name}"),
            "data-text-byte": ngettext_lazy("%(size)d byte", "%(size)d bytes", 1),
            "data-text-bytes": ngettext_lazy("%(size)d byte", "%(size)d bytes", 2),
            "data-text-kb": _("%s KB"),
            "data-text-mb": _("%s MB"),
        }
    )

    def __init__(
        self,
        *,
        max_files: int = MAX_FILES_PER_MESSAGE,
        max_bytes: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_files = max_files
        self._max_bytes = max_bytes
        kwargs.setdefault("label", _("Attach files"))
        kwargs.setdefault(
            "help_text",
            _("Drop files on the form or choose them: at most %(count)d, each up to %(size)s.")
            % {"count": self.max_files, "size": filesizeformat(self.max_bytes)},
        )
        super().__init__(required=False, **kwargs)

    @property
    def max_bytes(self) -> int:
        """The field's own limit, else the attachment limit as configured now."""
        return self._max_bytes or settings.MAX_ATTACHMENT_BYTES

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Attach at most %(count)d files to one message.") % {"count": self.max_files}
            )
        for file in files:
            if file.size is not None and file.size > self.max_bytes:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(size)s: it was not sent.")
                    % {"name": file.name, "size": filesizeformat(self.max_bytes)}
                )
        return [super(AttachmentsField, self).clean(file, initial) for file in files]


class KeptFilesField(forms.TypedMultipleChoiceField):
    """Files already stored from an attempt that came back to the agent (held back by a
    collision, refused by a service, or another field invalid): the agent's uploads waiting
    for a message. A browser cannot refill a file input, so they are offered ticked instead of
    being chosen again; unticked ones are left out."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            coerce=int,
            required=False,
            label=_("Files already added"),
            help_text=_("Sent with the message; untick one to leave it out."),
            **kwargs,
        )
        self.offer(())

    def offer(self, uploads: Sequence[Attachment]) -> None:
        self.uploads = list(uploads)
        self.widget = forms.CheckboxSelectMultiple() if uploads else forms.MultipleHiddenInput()
        # After the widget: setting the choices hands them to the widget of the moment.
        self.choices = [(u.pk, f"{u.filename} ({filesizeformat(u.size)})") for u in uploads]


class MessageForm(TicketForm):
    """A reply or note: text and files, new ones and those kept from the last attempt."""

    text: forms.CharField
    attachments = AttachmentsField()
    kept = KeptFilesField()

    def kept_ids_posted(self) -> list[int]:
        """The ids the form says it keeps (what `offer_kept` must look up), read before
        validation; anything not a number is dropped and left for the field to refuse."""
        values = self.data.getlist(self.add_prefix("kept")) if hasattr(self.data, "getlist") else []
        return [int(value) for value in values if value.isdigit() and len(value) < 19]

    def offer_kept(self, uploads: Sequence[Attachment]) -> None:
        cast(KeptFilesField, self.fields["kept"]).offer(uploads)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if self.errors.pop("kept", None):  # a hidden field's error would show nowhere
            self.add_error(
                None, _("A file added before is no longer there: choose it again to send it.")
            )
        if len(data.get("kept", ())) + len(data.get("attachments", ())) > MAX_FILES_PER_MESSAGE:
            self.add_error(
                "attachments",
                _("Attach at most %(count)d files to one message.")
                % {"count": MAX_FILES_PER_MESSAGE},
            )
        return data

    def keep(self, uploads: Sequence[Attachment]) -> None:
        """From now on the form carries `uploads` (stored, ticked) in place of its files: the
        message is written with them, and a form shown again still holds them."""
        self.offer_kept(uploads)
        data = cast("QueryDict", self.data).copy()
        data.setlist(self.add_prefix("kept"), [str(upload.pk) for upload in uploads])
        self.data = data
        if hasattr(self, "cleaned_data"):
            self.cleaned_data["kept"] = [upload.pk for upload in uploads]


class ReplyForm(MessageForm):
    id_prefix = "reply"
    field_order = ["text", "attachments", "kept", "status"]
    text = forms.CharField(
        label=_("Reply to the customer"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    status = forms.ChoiceField(label=_("Status after sending"), initial="pending")

    def __init__(self, *args: Any, vocabulary: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(vocabulary["status"])
        set_choices(self, "status", [(value, labels[value]) for value in REPLY_STATUSES])


class NoteForm(MessageForm):
    id_prefix = "note"
    field_order = ["text", "attachments", "kept"]
    text = forms.CharField(
        label=_("Internal note (only agents see it)"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AssignForm(TicketForm):
    id_prefix = "assign"
    assignee = forms.TypedChoiceField(
        label=_("Assignee"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, agents: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "assignee",
            [
                ("", _("Nobody")),
                *((a.user_id, str(a)) for a in agents if a.can_reply),
            ],
        )


class TeamForm(TicketForm):
    id_prefix = "team"
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [("", _("No team")), *((t.pk, t.name) for t in teams)])


class TransferForm(TicketForm):
    """To another team's queue, an agent there, or another agent of this team."""

    id_prefix = "transfer"
    team = forms.TypedChoiceField(label=_("To team"), required=False, coerce=int, empty_value=None)
    assignee = forms.TypedChoiceField(
        label=_("To agent"), required=False, coerce=int, empty_value=None
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        help_text=_("The receiving agent reads this first; the customer never repeats themselves."),
    )

    def __init__(
        self, *args: Any, teams: Iterable[Any], agents: Iterable[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [("", _("This team")), *((t.pk, t.name) for t in teams)])
        set_choices(
            self,
            "assignee",
            [("", _("The team's queue")), *((a.user_id, str(a)) for a in agents if a.can_reply)],
        )


class EscalateForm(TicketForm):
    id_prefix = "escalate"
    team = forms.TypedChoiceField(label=_("Escalate to"), coerce=int)
    reason = forms.ChoiceField(label=_("Reason"), choices=EscalationReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, teams: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [(t.pk, t.name) for t in teams])


class StatusForm(TicketForm):
    id_prefix = "status"
    status = forms.ChoiceField(label=_("Status"))

    def __init__(self, *args: Any, vocabulary: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "status", vocabulary["status"])


class PriorityForm(TicketForm):
    id_prefix = "priority"
    priority = forms.ChoiceField(label=_("Priority"))

    def __init__(self, *args: Any, vocabulary: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "priority", vocabulary["priority"])


class TagsForm(TicketForm):
    id_prefix = "tags"
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separate tags with commas."),
    )

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return [name.strip() for name in raw.split(",") if name.strip()]


# --- settings: mailboxes and the mail quarantine (admins) ----------------------------------

MAILBOX_LANGUAGES = ("nb", "nn", "da", "sv", "en")


class MailboxForm(PageForm):
    """A mailbox as an admin sets it up. The IMAP password is write-only: it is never
    rendered back, and left blank it keeps the stored one."""

    id_prefix = "mailbox"
    name = forms.CharField(label=_("Brand name"), max_length=100)
    address = forms.EmailField(
        label=_("Address"),
        max_length=254,
        help_text=_("The support address customers write to."),
    )
    signature = forms.CharField(
        label=_("Signature"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    team = forms.TypedChoiceField(
        label=_("Default team"), required=False, coerce=int, empty_value=None
    )
    language = forms.ChoiceField(label=_("Default language"), required=False)
    auto_acknowledge = forms.BooleanField(
        label=_("Acknowledge new tickets"),
        required=False,
        help_text=_("Answer each new ticket with an automatic receipt."),
    )
    trusted = forms.BooleanField(
        label=_("Trusted"),
        required=False,
        help_text=_("Honour X-Nordesk-* control headers (only for mail from your own systems)."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    inbound = forms.ChoiceField(label=_("Mail arrives by"), choices=Inbound.choices)
    imap_host = forms.CharField(label=_("IMAP host"), required=False, max_length=255)
    imap_port = forms.IntegerField(label=_("IMAP port"), min_value=1, max_value=65535, initial=993)
    imap_security = forms.ChoiceField(
        label=_("IMAP security"), choices=ImapSecurity.choices, initial=ImapSecurity.SSL
    )
    imap_username = forms.CharField(
        label=_("IMAP user name"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # render_value=False: the stored password never reaches the page; "new-password" keeps
    # the browser from filling in the admin's own Nordesk password.
    imap_password = forms.CharField(
        label=_("IMAP password"),
        required=False,
        strip=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    forget_password = forms.BooleanField(label=_("Remove the stored password"), required=False)
    imap_folder = forms.CharField(label=_("IMAP folder"), max_length=255, initial="INBOX")
    after_fetch = forms.ChoiceField(
        label=_("After fetching"), choices=AfterFetch.choices, initial=AfterFetch.MOVE
    )
    processed_folder = forms.CharField(
        label=_("Folder for processed mail"), max_length=255, initial="Nordesk/Processed"
    )
    poll_seconds = forms.IntegerField(
        label=_("Poll interval (seconds)"), min_value=15, max_value=86400, initial=60
    )

    # Fields of each fieldset on the page, in order.
    SECTIONS = (
        ("brand", ("name", "address", "signature", "team", "language")),
        ("behaviour", ("inbound", "is_active", "auto_acknowledge", "trusted")),
        (
            "imap",
            (
                "imap_host",
                "imap_port",
                "imap_security",
                "imap_username",
                "imap_password",
                "forget_password",
                "imap_folder",
                "after_fetch",
                "processed_folder",
                "poll_seconds",
            ),
        ),
    )

    def __init__(
        self,
        *args: Any,
        teams: Iterable[Any],
        languages: Choices,
        mailbox: Any | None = None,
        **kwargs: Any,
    ) -> None:
        self.mailbox = mailbox
        if mailbox is not None:
            kwargs.setdefault("initial", self._initial(mailbox))
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [("", _("No team")), *((t.pk, t.name) for t in teams)])
        names = dict(languages)
        set_choices(
            self,
            "language",
            [
                ("", _("Detect from the message")),
                *((c, names.get(c, c)) for c in MAILBOX_LANGUAGES),
            ],
        )
        password = self.fields["imap_password"]
        if mailbox is None or not mailbox.imap_password_encrypted:
            del self.fields["forget_password"]
        if mailbox is not None:
            # The address names the mailbox in every reply sent from it: set once.
            self.fields["address"].disabled = True
            self.fields["address"].help_text = _("The address cannot be changed.")
            password.help_text = (
                _("A password is stored. Leave blank to keep it.")
                if mailbox.imap_password_encrypted
                else _("No password is stored.")
            )

    @staticmethod
    def _initial(mailbox: Any) -> dict[str, Any]:
        names = (name for _section, names in MailboxForm.SECTIONS for name in names)
        skip = {"imap_password", "forget_password", "team"}
        initial = {name: getattr(mailbox, name) for name in names if name not in skip}
        initial["team"] = mailbox.team_id
        return initial

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        titles = {
            "brand": _("Brand"),
            "behaviour": _("Incoming mail"),
            "imap": _("IMAP (when mail arrives by IMAP polling)"),
        }
        return [
            (str(titles[key]), [self[name] for name in names if name in self.fields])
            for key, names in self.SECTIONS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("inbound") == Inbound.IMAP:
            for name, message in (
                ("imap_host", _("Enter the IMAP server to poll.")),
                ("imap_username", _("Enter the IMAP user name.")),
            ):
                if name in data and not data[name]:
                    self.add_error(name, message)
        return data

    def changes(self) -> dict[str, Any]:
        """The fields the mailbox services take, by their names (the password apart)."""
        data = dict(self.cleaned_data)
        for name in ("imap_password", "forget_password"):
            data.pop(name, None)
        if self.mailbox is not None:
            data.pop("address", None)
        data["team_id"] = data.pop("team")
        return data

    def new_password(self) -> str | None:
        """The password to store: None keeps the stored one, "" removes it."""
        if self.cleaned_data.get("forget_password"):
            return ""
        return self.cleaned_data.get("imap_password") or None


class DiscardForm(PageForm):
    """Why a quarantined message is left unimported. Not stripped here: the service decides
    what counts as a reason, and says so."""

    reason = forms.CharField(
        label=_("Reason for discarding"),
        max_length=2000,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
