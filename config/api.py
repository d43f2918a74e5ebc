"""API-wide plumbing: the exception handler that turns model validation errors into 400s."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as a 400 with field errors. A 404 that
    carries its own body (a merged-away file pointing to its survivor, casework/access.py) answers with it."""
    if isinstance(exc, Http404) and hasattr(exc, "as_api_data"):
        return Response(exc.as_api_data(), status=404)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(detail=exc.message_dict)
        else:
            exc = exceptions.ValidationError(detail={"detail": exc.messages})
    return drf_exception_handler(exc, context)
