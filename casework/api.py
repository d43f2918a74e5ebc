"""API v1 of the case file (docs/design.md §6).

Thin views: every queryset starts from `visible_to(user)`, single objects come through
`get_detainee_for_user` (404 when invisible), rights to write are the django-rules permissions
(403 when the reader may see the object but not change it), and every write is a service call.
Reads of case content are recorded in the access log.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import Organisation
from config.api_pagination import KeysetPagination

from . import importer, services, services_import, services_merge, services_transfer
from .access import access_log_record, client_ip, get_detainee_for_user
from .compartments import health_detainee_ids
from .models import AccessLog, Consent, Detainee, LifeDomain, Listing, NetworkPerson, Placement, Prison, Session
from .search import rank_order
from .serializers import (
    ConsentSerializer,
    ConsentWithdrawSerializer,
    DetaineeDetailSerializer,
    DetaineeListSerializer,
    DetaineeMergePreviewSerializer,
    DetaineeMergeRequestSerializer,
    DetaineeWriteSerializer,
    ImportReportSerializer,
    ImportRequestSerializer,
    LifeDomainSerializer,
    ListingSerializer,
    NetworkPersonSerializer,
    OrganisationSerializer,
    PlacementSerializer,
    PrisonSerializer,
    SessionSerializer,
    SessionUpdateSerializer,
    TransferSerializer,
)


def _log_read(request, *, detainee: Detainee | None, object_kind: str, object_id="") -> None:
    access_log_record(
        request, detainee=detainee, object_kind=object_kind, object_id=object_id, action=AccessLog.Action.API
    )


def _require(user, perm: str, obj) -> None:
    """The reader may see `obj` but this right is not theirs: a 403, since nothing is leaked."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


# --- Reference data ------------------------------------------------------------------------------


class PrisonViewSet(viewsets.ReadOnlyModelViewSet):
    """Prisons (reference data): readable by every logged-in user."""

    queryset = Prison.objects.order_by("name")
    serializer_class = PrisonSerializer
    lookup_value_regex = r"\d+"


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations (reference data): readable by every logged-in user."""

    queryset = Organisation.objects.order_by("name")
    serializer_class = OrganisationSerializer
    lookup_value_regex = r"\d+"


class LifeDomainViewSet(viewsets.ReadOnlyModelViewSet):
    """Life domains (reference data): readable by every logged-in user."""

    queryset = LifeDomain.objects.order_by("order", "name")
    serializer_class = LifeDomainSerializer
    lookup_value_regex = r"\d+"


# --- Detainees ------------------------------------------------------------------------------------


class DetaineeFilter(django_filters.FilterSet):
    prison = django_filters.ModelChoiceFilter(
        field_name="current_prison",
        to_field_name="code",
        queryset=Prison.objects.all(),
        help_text="Prison code, e.g. `hasselt`.",
    )
    in_scope = django_filters.BooleanFilter()
    search = django_filters.CharFilter(
        method="filter_search",
        help_text=(
            "Name words (accents, case, spaces and typos forgiven; word prefixes), date of birth as dd/mm/yyyy, "
            "external_ref by prefix, or a national number (exact; case staff only). Results best match first."
        ),
    )

    class Meta:
        model = Detainee
        fields = ["prison", "in_scope", "search"]

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.search(value, national_number=self.request.user.is_case_staff).order_by(
            *rank_order("last_name", "first_name", "pk")
        )


@extend_schema_view(
    list=extend_schema(responses=DetaineeListSerializer(many=True)),
    create=extend_schema(request=DetaineeWriteSerializer, responses={201: DetaineeDetailSerializer}),
    retrieve=extend_schema(responses=DetaineeDetailSerializer),
    update=extend_schema(request=DetaineeWriteSerializer, responses=DetaineeDetailSerializer),
    partial_update=extend_schema(request=DetaineeWriteSerializer, responses=DetaineeDetailSerializer),
)
class DetaineeViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The detainees whose identity the user may see (docs/design.md §4)."""

    filterset_class = DetaineeFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            Detainee.objects.visible_to(self.request.user)
            .select_related("current_prison", "lead_consultant")
            .order_by("last_name", "first_name", "pk")
        )

    def get_serializer_class(self):
        if self.action == "list":
            return DetaineeListSerializer
        if self.action in ("create", "update", "partial_update"):
            return DetaineeWriteSerializer
        return DetaineeDetailSerializer

    def get_object(self):
        return get_detainee_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, detainee: Detainee, status_code=status.HTTP_200_OK) -> Response:
        user = self.request.user
        # Case staff of the file (visible_to already limits them to their organisation).
        context = {**self.get_serializer_context(), "show_national_number": user.is_case_staff}
        return Response(DetaineeDetailSerializer(detainee, context=context).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        detainee = self.get_object()
        _log_read(request, detainee=detainee, object_kind="detainee")
        return self._detail(detainee)

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("casework.create_detainee"):
            raise PermissionDenied
        serializer = DetaineeWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        detainee = services.detainee_create(user=request.user, reason="api", **serializer.validated_data)
        return self._detail(get_detainee_for_user(request.user, detainee.pk), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        detainee = self.get_object()
        _require(request.user, "casework.change_detainee", detainee)
        partial = kwargs.get("partial", False)
        serializer = DetaineeWriteSerializer(
            detainee, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.detainee_update(detainee=detainee, user=request.user, reason="api", **serializer.validated_data)
        return self._detail(get_detainee_for_user(request.user, detainee.pk))

    @extend_schema(
        request=DetaineeMergeRequestSerializer,
        responses={
            200: DetaineeDetailSerializer,
            400: OpenApiResponse(
                description="Field errors or the reasons the files cannot be merged; nothing written."
            ),
        },
        description="Merge the file `merged` into this one (managers; ADR 0032). With `dry_run` the answer is the "
        "preview (what would move, what clashes and how it is settled: `DetaineeMergePreview`) and nothing is "
        "written; without it `confirm` must be true. Refused with 400 and the reasons on any conflict.",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge another file of the same person into this one, or (`dry_run`) preview it."""
        user = request.user
        target = self.get_object()
        _require(user, "casework.merge_detainee", target)
        serializer = DetaineeMergeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = Detainee.objects.visible_to(user).filter(pk=serializer.validated_data["merged"]).first()
        if source is None or not user.has_perm("casework.merge_detainee", source):
            # The same answer for a missing and an invisible file.
            raise ValidationError({"merged": [_("Geen ander dossier met dit nummer in je caseload.")]})
        if serializer.validated_data["dry_run"]:
            preview = services_merge.detainee_merge_preview(source=source, target=target)
            _log_read(request, detainee=target, object_kind="merge_preview", object_id=source.pk)
            _log_read(request, detainee=source, object_kind="merge_preview", object_id=target.pk)
            return Response(DetaineeMergePreviewSerializer(preview).data)
        services_merge.detainee_merge(
            source=source, target=target, user=user, path=request.path, ip_address=client_ip(request)
        )
        return self._detail(get_detainee_for_user(user, target.pk))


# --- Nested under a detainee -----------------------------------------------------------------------

DETAINEE_PK = OpenApiParameter("detainee_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="Detainee id.")


@extend_schema(parameters=[DETAINEE_PK])
class DetaineeNestedViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A list under one detainee file: `view_perm` to read it, `change_perm` to add to it."""

    view_perm = ""
    change_perm = ""
    object_kind = ""
    model = None

    def get_detainee(self) -> Detainee:
        if not hasattr(self, "_detainee"):
            detainee = get_detainee_for_user(self.request.user, self.kwargs["detainee_pk"])
            # Visible file, but this part of it is not for this reader: as if it did not exist.
            if not self.request.user.has_perm(self.view_perm, detainee):
                raise Http404
            self._detainee = detainee
        return self._detainee

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.model.objects.visible_to(self.request.user).filter(detainee=self.get_detainee())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["detainee"] = self.get_detainee()
        return context

    def list(self, request, *args, **kwargs):
        _log_read(request, detainee=self.get_detainee(), object_kind=self.object_kind)
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        detainee = self.get_detainee()
        _require(request.user, self.change_perm, detainee)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_write(detainee, serializer.validated_data)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    def perform_write(self, detainee: Detainee, data: dict):
        raise NotImplementedError


class ListingViewSet(DetaineeNestedViewSet):
    """OCAD listing facts of a file: case staff and the directors of the detainee's prison."""

    serializer_class = ListingSerializer
    model = Listing
    view_perm = "casework.view_listings"
    change_perm = "casework.change_detainee"
    object_kind = "listings"

    def perform_write(self, detainee, data):
        return services.listing_record(detainee=detainee, user=self.request.user, **data)


class PlacementViewSet(DetaineeNestedViewSet):
    """Placements (and transfers) of a file: whoever sees the detainee's identity."""

    serializer_class = PlacementSerializer
    model = Placement
    view_perm = "casework.view_detainee"
    change_perm = "casework.change_detainee"
    object_kind = "placements"

    def get_queryset(self):
        return super().get_queryset().select_related("prison", "transferred_from")

    def perform_write(self, detainee, data):
        return services.placement_record(detainee=detainee, user=self.request.user, **data)


class TransferViewSet(DetaineeNestedViewSet):
    """Transfers of a file (the placements that moved him, ADR 0040): recording one flags the conferences planned at
    the old prison to both directors, lets the cadence follow the new prison and tells the case team."""

    serializer_class = TransferSerializer
    model = Placement
    view_perm = "casework.view_detainee"
    change_perm = "casework.change_detainee"
    object_kind = "placements"

    def get_queryset(self):
        return (
            super().get_queryset().filter(transferred_from__isnull=False).select_related("prison", "transferred_from")
        )

    def perform_write(self, detainee, data):
        return services_transfer.detainee_transfer(
            detainee=detainee,
            user=self.request.user,
            prison=data["prison"],
            transferred_on=data["from_date"],
            regime=data.get("regime", "regular"),
        )


class ConsentViewSet(DetaineeNestedViewSet):
    """Consents of a file, every version; kept by the case staff."""

    serializer_class = ConsentSerializer
    model = Consent
    view_perm = "casework.view_consents"
    change_perm = "casework.change_consents"
    object_kind = "consents"

    def perform_write(self, detainee, data):
        return services.consent_record(detainee=detainee, user=self.request.user, **data)


class NetworkPersonViewSet(DetaineeNestedViewSet):
    """The detainee's network: third parties known to the case staff only."""

    serializer_class = NetworkPersonSerializer
    model = NetworkPerson
    view_perm = "casework.view_network"
    change_perm = "casework.change_network"
    object_kind = "network"

    def perform_write(self, detainee, data):
        return services.network_person_save(detainee=detainee, user=self.request.user, **data)


class ConsentWithdrawViewSet(viewsets.GenericViewSet):
    """`consents/{id}/withdraw/`: the detainee withdraws a consent; access based on it ends at once."""

    serializer_class = ConsentWithdrawSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Consent.objects.visible_to(self.request.user).select_related("detainee")

    def get_object(self) -> Consent:
        try:
            consent = self.get_queryset().get(pk=self.kwargs["pk"])
        except (Consent.DoesNotExist, ValueError):
            raise Http404 from None
        if not self.request.user.has_perm("casework.view_consents", consent.detainee):
            raise Http404
        _require(self.request.user, "casework.change_consents", consent.detainee)
        return consent

    @extend_schema(request=ConsentWithdrawSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = self.get_object()
        serializer = ConsentWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_withdraw(consent=consent, user=request.user, **serializer.validated_data)
        return Response(ConsentSerializer(consent, context={"detainee": consent.detainee}).data)


# --- Sessions -----------------------------------------------------------------------------------------


class SessionFilter(django_filters.FilterSet):
    detainee = django_filters.NumberFilter(field_name="detainee_id", help_text="Detainee id.")

    class Meta:
        model = Session
        fields = ["detainee"]


def confidential_detainee_ids(user, sessions) -> set[int]:
    """The files among `sessions` whose confidential notes `user` may read (rule `casework.view_confidential`).

    The rule runs once per distinct file; the file's case team is prefetched, so it costs no query.
    """
    files = {session.detainee_id: session.detainee for session in sessions}
    return {pk for pk, detainee in files.items() if user.has_perm("casework.view_confidential", detainee)}


@extend_schema_view(
    list=extend_schema(responses=SessionSerializer(many=True)),
    update=extend_schema(request=SessionUpdateSerializer, responses=SessionSerializer),
    partial_update=extend_schema(request=SessionUpdateSerializer, responses=SessionSerializer),
)
class SessionViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Contact log. Summaries follow consent scope session_summaries; confidential notes never leave the team."""

    filterset_class = SessionFilter
    lookup_value_regex = r"\d+"
    # Keyset pages and a bounded count: the list of an organisation holds hundreds of thousands (ADR 0036).
    pagination_class = KeysetPagination
    keyset_time_field = "started_at"

    def get_queryset(self):
        return (
            Session.objects.visible_to(self.request.user)
            .for_api()
            .prefetch_related(Prefetch("detainee__co_consultants"))
            .order_by("-started_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return SessionUpdateSerializer
        return SessionSerializer

    def get_object(self) -> Session:
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (Session.DoesNotExist, ValueError):
            raise Http404 from None

    def _render(self, sessions, *, many: bool):
        items = list(sessions) if many else [sessions]
        files = {session.detainee_id: session.detainee for session in items}
        context = {
            **self.get_serializer_context(),
            "confidential_detainee_ids": confidential_detainee_ids(self.request.user, items),
            "health_detainee_ids": health_detainee_ids(self.request.user, files),
        }
        return SessionSerializer(sessions, many=many, context=context).data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        detainee_filter = request.query_params.get("detainee")
        detainee = page[0].detainee if page and detainee_filter else None
        _log_read(request, detainee=detainee, object_kind="sessions", object_id=detainee_filter or "")
        return self.get_paginated_response(self._render(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        session = self.get_object()
        _log_read(request, detainee=session.detainee, object_kind="session", object_id=session.pk)
        return Response(self._render(session, many=False))

    def create(self, request, *args, **kwargs):
        serializer = SessionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        detainee = get_detainee_for_user(request.user, data.pop("detainee").pk)
        _require(request.user, "casework.log_session", detainee)
        session = services.session_log(detainee=detainee, author=request.user, **data)
        return Response(
            self._render(self.get_queryset().get(pk=session.pk), many=False), status=status.HTTP_201_CREATED
        )

    def update(self, request, *args, **kwargs):
        session = self.get_object()
        _require(request.user, "casework.change_session", session)
        serializer = SessionUpdateSerializer(
            session, data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.session_update(session=session, user=request.user, **serializer.validated_data)
        return Response(self._render(self.get_queryset().get(pk=session.pk), many=False))


# --- Import of the in-scope list ------------------------------------------------------------------------


class DetaineeImportViewSet(viewsets.GenericViewSet):
    """`POST imports/detainees/` (multipart): check and import the in-scope list. Managers only.

    Answers 200 with the report when the rows were imported (or checked, with `dry_run`), and 400
    with the same report when the file or a row is refused and nothing was written. With
    `mode=valid_rows_only` the valid rows are imported and the others reported.
    """

    serializer_class = ImportRequestSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportReportSerializer,
            400: OpenApiResponse(ImportReportSerializer, description="Refused: nothing was written."),
        },
    )
    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("casework.import_detainees"):
            raise PermissionDenied
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Read one byte past the limit: enough for the importer to refuse an oversized file.
        content = data["file"].read(importer.max_bytes() + 1)
        result = services_import.detainees_import(
            user=request.user,
            content=content,
            mode=data["mode"],
            dry_run=data["dry_run"],
            choices=data.get("mapping"),
        )
        refused = not (result.applied or (result.dry_run and not result.errors))
        return Response(result.as_dict(), status=status.HTTP_400_BAD_REQUEST if refused else status.HTTP_200_OK)
