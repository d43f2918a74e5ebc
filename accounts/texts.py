"""Generated text stored as meaning, rendered in the reader's language.

A text the system writes (a notification, a reminder) is kept as its *code* — the catalogue's source
text, i.e. the msgid of the `gettext_lazy` the code wrote it with (a `pgettext_lazy` keeps its context
before an EOT character, gettext's own convention) — plus its parameters. It is turned into words only
when someone reads it, in that reader's language: a French reader of an old notification reads French,
and so does a Dutch colleague, each in their own. Text a person typed is never stored this way.

When a source text changes in the code, rows written with the old one no longer find a translation and
show the old text with its parameters: still readable, never an error."""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise

CONTEXT_SEPARATOR = "\x04"


def text_code(text) -> str:
    """The stable code of a lazy translation (its msgid, with its context if any); a plain string is
    its own code."""
    if isinstance(text, Promise) and getattr(text, "_args", None):
        args = text._args
        if len(args) == 2:
            return f"{args[0]}{CONTEXT_SEPARATOR}{args[1]}"
        return str(args[0])
    return str(text)


def render_code(code: str, params: dict | None = None, language: str | None = None) -> str:
    """The words for `code` filled with `params`, in `language` (default: the active language)."""
    if language:
        with translation.override(language):
            return render_code(code, params)
    if CONTEXT_SEPARATOR in code:
        context, message = code.split(CONTEXT_SEPARATOR, 1)
        words = translation.pgettext(context, message)
    else:
        message = code
        words = translation.gettext(code)
    if params is None:
        return words
    try:
        return words % params
    except (KeyError, TypeError, ValueError):
        # A translation that lost a placeholder must not hide the message: fall back to the source.
        try:
            return message % params
        except (KeyError, TypeError, ValueError):
            return message


# --- Composed texts ---------------------------------------------------------------------------------------
# A generated text made of several pieces (an agenda item's lines: fixed words, a goal's typed description,
# a status label, a date) is stored as a small JSON tree and rendered when read:
#   "typed text" or 3           shown as it is (content a person typed, numbers, names);
#   {"t": code, "p": {...}}     a catalogue text (accounts/texts.py codes), its parameters trees themselves;
#   {"t": code, "lower": true}  the same, lower-cased (a label used inside a sentence);
#   {"d": "2026-03-04"}         a date, in the reader's short date format;
#   [tree, tree, ...]           the pieces, one after the other.


def meaning(text, **params) -> dict:
    """A catalogue text (a lazy translation) with its parameters, as a tree."""
    node: dict = {"t": text_code(text)}
    if params:
        node["p"] = params
    return node


def lowered(text) -> dict:
    return {"t": text_code(text), "lower": True}


def date_part(day) -> dict | str:
    return {"d": day.isoformat()} if day else "—"


def render_parts(node) -> str:
    """The words of a tree in the active language."""
    if node is None:
        return ""
    if isinstance(node, list):
        return "".join(render_parts(part) for part in node)
    if isinstance(node, dict):
        if "d" in node:
            from .display import local_date

            return local_date(node["d"])
        params = {key: render_parts(value) for key, value in node["p"].items()} if "p" in node else None
        words = render_code(node.get("t", ""), params)
        return words.lower() if node.get("lower") else words
    return str(node)
