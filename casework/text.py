"""Text helpers shared by search and import."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Çelik' and 'celik' match."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()
