"""Text helpers shared by search and import."""

import unicodedata

# Letters Unicode does not decompose into a base letter and an accent, folded the way people type them
# on a keyboard without them: Yıldız (Turkish dotless i) is found as "yildiz", Łukasz as "lukasz".
# The typographic apostrophe becomes the typed one (D’Hondt, D'Hondt).
_UNDECOMPOSED = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ħ": "h",
        "Ħ": "h",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "’": "'",
        "‘": "'",
    }
)


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Çelik' and 'celik', 'Yıldız' and 'yildiz' match."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()
