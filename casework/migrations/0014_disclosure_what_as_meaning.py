"""Existing disclosure records get the meaning of their "what" (code + parameters), so the disclosure
log reads in each reader's language (ADR 0035). A text is matched against every catalogue text in every
language (accounts/backfill.py); a handover package's list of scope codes becomes the scopes' labels.
Rows whose text matches nothing, or is already a code, are left as stored. Reverse: the Dutch words with
their parameters filled in, as they were written before."""

from django.db import migrations

CHUNK = 500
HANDOVER = "Overdrachtspakket (%(scopes)s)"


def _params(code: str, params: dict) -> dict:
    if code == HANDOVER:
        from accounts.texts import text_code
        from casework.models import Scope

        labels = dict(Scope.choices)
        parts: list = []
        for scope in (item.strip() for item in params.get("scopes", "").split(",")):
            if not scope:
                continue
            if parts:
                parts.append(", ")
            parts.append({"t": text_code(labels[scope])} if scope in labels else scope)
        return {"scopes": parts}
    return params


def to_meaning(apps, schema_editor):
    from accounts.backfill import build_index

    index = build_index()
    disclosure = apps.get_model("casework", "Disclosure")
    texts = disclosure.objects.filter(what_params={}).values_list("what", flat=True).distinct().order_by("what")
    for text in texts.iterator(chunk_size=CHUNK):
        found = index.meaning_of(text)
        if found is None:
            continue
        code, params = found
        if not params and code == text:
            continue  # already its own code
        disclosure.objects.filter(what_params={}, what=text).update(what=code[:300], what_params=_params(code, params or {}))


def to_words(apps, schema_editor):
    from django.utils import translation

    from accounts.texts import render_parts

    disclosure = apps.get_model("casework", "Disclosure")
    with translation.override("nl-be"):
        for row in disclosure.objects.exclude(what_params={}).iterator(chunk_size=CHUNK):
            row.what = render_parts({"t": row.what, "p": row.what_params})[:300]
            row.what_params = {}
            row.save(update_fields=["what", "what_params"])


class Migration(migrations.Migration):
    dependencies = [("casework", "0013_disclosure_what_params")]

    operations = [migrations.RunPython(to_meaning, to_words)]
