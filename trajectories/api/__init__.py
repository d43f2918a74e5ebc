"""API v1 of the trajectories app (DESIGN §6): serializers and thin viewsets calling the services."""
