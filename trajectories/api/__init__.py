"""API v1 of the trajectories app (docs/design.md §6): serializers and thin viewsets calling the services."""
