"""`nordesk mail import PATH`: one .eml file, a folder of them, or an mbox, streamed one
message at a time (migrations from another helpdesk or a mail archive)."""

from __future__ import annotations

import mailbox as mbox_format
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import services
from .models import Mailbox

BATCH_MESSAGES = 50
BATCH_BYTES = 8 * 1024 * 1024
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


def raw_batches(
    raws: Iterable[bytes], *, count: int = BATCH_MESSAGES, size: int = BATCH_BYTES
) -> Iterator[list[bytes]]:
    """Messages in batches of at most `count` messages and about `size` bytes (a larger
    message is a batch of its own), so memory stays flat however large the archive."""
    batch: list[bytes] = []
    held = 0
    for raw in raws:
        if batch and (len(batch) == count or held + len(raw) > size):
            yield batch
            batch, held = [], 0
        batch.append(raw)
        held += len(raw)
    if batch:
        yield batch


def mail_import(*, mailbox: Mailbox, path: Path) -> Counter[str]:
    """Counts per outcome: processed, ignored, quarantined, duplicate."""
    outcomes: Counter[str] = Counter()
    for batch in raw_batches(raw_messages(path)):
        results = services.mail_ingest_many(
            mailbox=mailbox, raws=batch, source="import", keep_date=True
        )
        outcomes.update("duplicate" if result.duplicate else result.status for result in results)
    return outcomes
