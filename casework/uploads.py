"""Uploaded documents are checked by what they contain, not only by their name.

A file called `scan.pdf` that is an HTML page or an executable is refused: the first bytes (the "magic
number") must be those of the kind its extension claims, and only PDF, PNG and JPEG are accepted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


def sniff(head: bytes) -> str | None:
    """The kind of file `head` (its first bytes) starts like, or None."""
    for kind, prefixes in MAGIC.items():
        if head.startswith(prefixes):
            return kind
    return None


def check_document(document) -> None:
    """Raise ValidationError unless `document` is a PDF, PNG or JPEG by name *and* by content, ≤ 5 MB."""
    name = (document.name or "").lower()
    claimed = next((kind for extension, kind in EXTENSIONS.items() if name.endswith(extension)), None)
    if claimed is None:
        raise ValidationError(_("Enkel PDF, PNG of JPEG."))
    if document.size is not None and document.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Het document is groter dan 5 MB."))
    position = document.tell() if hasattr(document, "tell") else 0
    document.seek(0)
    head = document.read(16)
    document.seek(position)
    if sniff(head) != claimed:
        raise ValidationError(
            _("De inhoud van het bestand is geen %(kind)s, wat de naam wel beweert.") % {"kind": claimed.upper()}
        )
