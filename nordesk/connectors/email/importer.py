"""`nordesk mail import PATH`: one .eml file, a folder of them, or an mbox, streamed one
message at a time (migrations from another helpdesk or a mail archive)."""

from __future__ import annotations

import mailbox as mbox_format
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from . import services
from .models import Mailbox

# mbox writers escape body lines starting "From " as ">From " (mboxrd): undo one level.
_FROM_ESCAPED = re.compile(rb"^>(>*From )", re.MULTILINE)


def raw_messages(path: Path) -> Iterator[bytes]:
    if path.is_dir():
        for file in sorted(path.rglob("*.eml")):
            yield file.read_bytes()
    elif path.suffix.lower() == ".eml":
        yield path.read_bytes()
    else:
        archive = mbox_format.mbox(path, create=False)
        try:
            for key in archive.iterkeys():
                yield _FROM_ESCAPED.sub(rb"\1", archive.get_bytes(key))
        finally:
            archive.close()


def mail_import(*, mailbox: Mailbox, path: Path) -> Counter[str]:
    """Counts per outcome: processed, ignored, quarantined, duplicate."""
    outcomes: Counter[str] = Counter()
    for raw in raw_messages(path):
        result = services.mail_ingest(mailbox=mailbox, raw=raw, source="import", keep_date=True)
        outcomes["duplicate" if result.duplicate else result.status] += 1
    return outcomes
