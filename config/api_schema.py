"""The OpenAPI schema declares every status an operation answers (drf-spectacular post-processing hook).

drf-spectacular documents the success answer a view declares; the refusals every operation can give come
from the framework and the access rules: 400 (field errors, bad filters), 401 (no or bad credentials), 403
(not allowed, or a read-only token writing), 404 (not visible, which is the same as not there, or a page
past the end), 429 (throttled), and 409 where a stale minutes text is refused. This hook adds them, with
their bodies, to every operation that does not document them already, so a client (and schemathesis's
status-code check) knows every answer in advance.
"""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "A refusal: `detail` says why, in the caller's language.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field errors: each field name (or `detail`, `non_field_errors`) with its messages.",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {}},
            {"type": "string"},
            {"type": "object"},
        ],
    },
}
WRITE_METHODS = {"post", "put", "patch", "delete"}
# Properties a serializer leaves out for some readers (drf-spectacular marks every read-only field required).
OPTIONAL_PROPERTIES = {
    # Case staff only (DESIGN §3): absent for a director or a partner.
    "DetaineeDetail": ["national_number"],
}


def _ref(name: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def declare_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for component, names in OPTIONAL_PROPERTIES.items():
        if component in schemas and "required" in schemas[component]:
            schemas[component]["required"] = [name for name in schemas[component]["required"] if name not in names]
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            # Ids in paths are positive database keys (`<int:pk>` matches digits only).
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and schema.get("type") == "integer":
                    schema.setdefault("minimum", 1)
                    schema.setdefault("maximum", 2**31 - 1)
            responses = operation.setdefault("responses", {})
            declared = {
                "400": {"description": "Invalid input: field errors, or an invalid filter.", **_ref("FieldErrors")},
                "401": {
                    "description": "No or invalid credentials (or a token of an account without two-step "
                    "verification).",
                    **_ref("Error"),
                },
                "403": {"description": "Not allowed for this account, or a read-only token writing.", **_ref("Error")},
                "404": {"description": "Not found, or not visible to this account (the same answer).", **_ref("Error")},
                "429": {"description": "Too many requests.", **_ref("Error")},
            }
            if method in WRITE_METHODS and "minutes" in path:
                declared["409"] = {
                    "description": "The text changed meanwhile: the current revision is returned.",
                    **_ref("Error"),
                }
            for code, response in declared.items():
                responses.setdefault(code, response)
    return result
