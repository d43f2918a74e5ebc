from django.urls import path

from . import views

app_name = "diary"

urlpatterns = [
    path("", views.week, name="week"),
    path("nieuw/", views.planned_contact_create, name="create"),
    path("overzicht/", views.overview, name="overview"),
    path("<int:pk>/bewerken/", views.planned_contact_update, name="update"),
    path("<int:pk>/registreren/", views.planned_contact_log, name="log"),
    path("<int:pk>/annuleren/", views.planned_contact_cancel, name="cancel"),
]
