"""API v1 of "my actions" (ADR 0034): the conference actions the caller owns, and his updates on them.

`GET /api/v1/my-actions/` lists them (the detainee's name only where consent allows, as on the page);
`POST /api/v1/my-actions/{id}/updates/` records a progress note or marks the action done. An action the caller
does not own, or may no longer see, is a 404; bad input a 400 with field errors.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.permissions import directed_prison_ids
from trajectories.models import ActionUpdate

from .actions import _shows_identity, get_owned_action_for_user, owned_actions
from .services.actions import action_owner_update


class ActionUpdateSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)

    class Meta:
        model = ActionUpdate
        fields = ["id", "kind", "note", "author_name", "created_at"]
        read_only_fields = fields


class MyActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()
    conference = serializers.IntegerField(source="conference_id")
    conference_reference = serializers.SerializerMethodField()
    detainee_name = serializers.SerializerMethodField()
    updates = ActionUpdateSerializer(source="owner_updates.all", many=True)

    def get_conference_reference(self, obj) -> str:
        return f"CO-{obj.conference_id:05d}"

    def get_detainee_name(self, obj) -> str | None:
        """The name only where the caller may know it (a partner: consent scope identity)."""
        user = self.context["request"].user
        directed = directed_prison_ids(user) if user.is_director else frozenset()
        return obj.detainee.full_name if _shows_identity(user, obj, directed) else None


class ActionUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActionUpdate.Kind.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MyActionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The conference actions you own (open ones and everything you reported on them)."""

    serializer_class = MyActionSerializer
    queryset = ActionUpdate.objects.none()

    def get_queryset(self):
        return (
            owned_actions(self.request.user)
            .select_related("detainee")
            .prefetch_related(Prefetch("owner_updates", queryset=ActionUpdate.objects.select_related("author")))
            .order_by("status", "due_on", "pk")
        )

    @extend_schema(request=ActionUpdateInput, responses=ActionUpdateSerializer)
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        owned = get_owned_action_for_user(request.user, pk)
        data = ActionUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        update = action_owner_update(action=owned, user=request.user, **data.validated_data)
        return Response(ActionUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
