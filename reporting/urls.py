"""Report pages, mounted under /rapportering/."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.manager_dashboard, name="manager_dashboard"),
    path("dashboard/lijst/<slug:figure>/", views.figure_list, name="figure_list"),
    path("directie/", views.director_dashboard, name="director_dashboard"),
    path("jaarcijfers/", views.yearly_page, name="yearly"),
    path("jaarcijfers/export.<slug:fmt>", views.yearly_export, name="yearly_export"),
    path("onderzoek/", views.research_extracts, name="research_extracts"),
    path("onderzoek/bestand/", views.research_extract_file, name="research_extract_file"),
]
