"""API v1: the user's own notifications (`GET notifications/`, `POST notifications/{id}/read/`)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api_pagination import KeysetPagination

from . import services
from .models import Notification
from .selectors import mark_availability
from .views import get_notification_for_user


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="display_text", read_only=True, help_text="In the caller's language.")
    is_read = serializers.BooleanField(read_only=True)
    available = serializers.BooleanField(
        read_only=True,
        default=True,
        help_text="False when the item is no longer open to you (e.g. consent withdrawn); the link is then empty.",
    )

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "link", "created_at", "read_at", "is_read", "available"]
        read_only_fields = fields


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    pagination_class = KeysetPagination
    keyset_time_field = "created_at"

    def get_queryset(self):
        qs = Notification.objects.visible_to(self.request.user).select_related("reminder")
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.unread()
        return qs

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return mark_availability(self.request.user, page) if page is not None else None

    def get_object(self):
        notification = get_notification_for_user(self.request.user, self.kwargs["pk"])
        mark_availability(self.request.user, [notification])
        return notification

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        request=None, responses={200: inline_serializer("MarkedCount", {"marked": serializers.IntegerField()})}
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_all_read(user=request.user)})
