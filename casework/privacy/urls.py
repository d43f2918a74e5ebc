from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("gedetineerden/<int:pk>/verstrekkingen/", views.file_disclosures, name="file_disclosures"),
    path("verstrekkingen/", views.disclosure_log, name="disclosure_log"),
    path("raadplegingen/", views.access_review, name="access_review"),
    path("geweigerde-toegangen/", views.refusal_review, name="refusal_review"),
    path("bewaring/", views.retention, name="retention"),
    path("bewaring/uitvoeren/", views.retention_run, name="retention_run"),
    path("bewaring/<int:pk>/anonimiseren/", views.retention_anonymise, name="retention_anonymise"),
    path("bewaring/<int:pk>/juridische-bewaring/", views.legal_hold, name="legal_hold"),
    path("inzage/", views.subject_access, name="subject_access"),
    path("inzage/<int:pk>/", views.subject_access_detail, name="subject_access_detail"),
    path("inzage/<int:pk>/export/", views.subject_access_download, name="subject_access_download"),
]
