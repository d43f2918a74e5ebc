from rest_framework.permissions import BasePermission


class IsStaffUser(BasePermission):
    """API schema and docs: any logged-in member of staff (every role but partner)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and not user.is_partner)
