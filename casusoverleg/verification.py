"""Is this PDF an authentic copy of approved minutes? (ADR 0031)

Every copy the application hands out is recorded with the SHA-256 of its file: a mailed copy as its
`MinutesCopy`, a downloaded one as its `MinutesDownload`. A file whose SHA-256 is one of those is an
authentic copy, byte for byte. A file that is not, but carries the fingerprint of an approved version in its
metadata, is a copy that was changed after it left (or was never issued): not authentic. A pasted SHA-256
is looked up the same way, and may also be the fingerprint of an approved version's content (the value in
every copy's footer).

Who sees what: the verdict is for everyone who can sign in; which conference, version, recipient and date
only for the DPO and for the chair of that conference (and the lookup is then on the file's access log).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from enum import StrEnum

from accounts.models import User

from .models import Minutes, MinutesCopy, MinutesDownload

# The minutes template writes `minutes-fingerprint:<sha256>` into the PDF's keywords.
FINGERPRINT_KEYWORD = re.compile(r"minutes-fingerprint:([0-9a-f]{64})")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class Verdict(StrEnum):
    ISSUED = "issued"  # the file is a copy we issued, unchanged
    CONTENT = "content"  # the pasted value is the fingerprint of an approved version's content
    ALTERED = "altered"  # the file claims approved content but is not a file we issued
    UNKNOWN = "unknown"  # nothing of ours

    @property
    def authentic(self) -> bool:
        return self in (Verdict.ISSUED, Verdict.CONTENT)


@dataclass(frozen=True)
class CopyCheck:
    verdict: Verdict
    sha256: str
    minutes: Minutes | None = None
    recipient: str = ""
    issued_at: dt.datetime | None = None
    channel: str = ""  # "mail" or "download"

    def details_for(self, user: User) -> bool:
        """Whether `user` may see which minutes, version and recipient: the DPO, and the conference's chair."""
        if self.minutes is None:
            return False
        return bool(user.is_dpo or self.minutes.conference.chair_id == user.pk)


def embedded_fingerprint(pdf: bytes) -> str | None:
    """The approved content's fingerprint written into the PDF's metadata, if it is a readable PDF that has one."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        keywords = (PdfReader(io.BytesIO(pdf)).metadata or {}).get("/Keywords") or ""
    except (PyPdfError, ValueError, TypeError, KeyError, OSError):
        return None
    match = FINGERPRINT_KEYWORD.search(str(keywords))
    return match.group(1) if match else None


def _issued(sha256: str) -> CopyCheck | None:
    copy = (
        MinutesCopy.objects.filter(file_sha256=sha256)
        .select_related("minutes__conference", "participant__user")
        .order_by("pk")
        .first()
    )
    if copy is not None:
        return CopyCheck(Verdict.ISSUED, sha256, copy.minutes, copy.participant.display_name, copy.created_at, "mail")
    download = (
        MinutesDownload.objects.filter(file_sha256=sha256)
        .select_related("minutes__conference", "user")
        .order_by("pk")
        .first()
    )
    if download is not None:
        return CopyCheck(Verdict.ISSUED, sha256, download.minutes, str(download.user), download.created_at, "download")
    return None


def _approved(fingerprint: str) -> Minutes | None:
    return (
        Minutes.objects.filter(status=Minutes.Status.APPROVED, fingerprint=fingerprint)
        .select_related("conference")
        .order_by("number")
        .first()
    )


def copy_verify_file(pdf: bytes) -> CopyCheck:
    sha256 = hashlib.sha256(pdf).hexdigest()
    issued = _issued(sha256)
    if issued is not None:
        return issued
    claimed = embedded_fingerprint(pdf)
    minutes = _approved(claimed) if claimed else None
    return CopyCheck(Verdict.ALTERED if minutes else Verdict.UNKNOWN, sha256, minutes)


def copy_verify_value(value: str) -> CopyCheck:
    """A pasted SHA-256 (of a file, or the content fingerprint from a copy's footer); `value` is already
    normalised (64 lower-case hex digits: the form's job)."""
    issued = _issued(value)
    if issued is not None:
        return issued
    minutes = _approved(value)
    return CopyCheck(Verdict.CONTENT if minutes else Verdict.UNKNOWN, value, minutes)
