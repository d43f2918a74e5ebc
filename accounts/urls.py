from django.urls import path

from . import views

# Mounted under accounts/ (config/urls.py), beside allauth's pages: reachable before MFA is set up,
# so a new user can read the set-up page in their own language.
urlpatterns = [
    path("taal/", views.language_set, name="language_set"),
]
