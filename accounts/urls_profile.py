from django.urls import path

from . import views_profile

# Mounted under profiel/ (config/urls.py), outside accounts/: the page shows the calendar feed's secret
# link, so it sits behind the two-step verification requirement like every other page.
urlpatterns = [
    path("", views_profile.profile, name="account_profile"),
    path("sessies/afmelden/", views_profile.sessions_end_others, name="account_sessions_end_others"),
]
