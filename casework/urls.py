from django.urls import path

from . import views, views_import, views_merge

app_name = "casework"

urlpatterns = [
    path("", views.my_day, name="my_day"),
    path("gedetineerden/", views.caseload, name="caseload"),
    path("gedetineerden/nieuw/", views.detainee_create, name="detainee_create"),
    # Import of the in-scope list (managers): check, then confirm.
    path("gedetineerden/import/", views_import.detainee_import, name="detainee_import"),
    path("gedetineerden/import/controleren/", views_import.detainee_import_check, name="detainee_import_check"),
    path("gedetineerden/<int:pk>/uit-in-scopelijst/", views_import.detainee_delist, name="detainee_delist"),
    path("gedetineerden/import/bevestigen/", views_import.detainee_import_confirm, name="detainee_import_confirm"),
    path("gedetineerden/import/voorbeeld.csv", views_import.detainee_import_sample, name="detainee_import_sample"),
    path("gedetineerden/<int:pk>/", views.detainee_detail, name="detainee_detail"),
    path("gedetineerden/<int:pk>/bewerken/", views.detainee_update, name="detainee_update"),
    path("gedetineerden/<int:pk>/team/", views.detainee_case_team, name="detainee_case_team"),
    # Two files of one person become one (managers; ADR 0032).
    path("gedetineerden/<int:pk>/samenvoegen/", views_merge.detainee_merge_page, name="detainee_merge"),
    # Tabs of the file: each a URL of its own, loaded with htmx inside the file.
    path("gedetineerden/<int:pk>/contactmomenten/", views.file_sessions, name="file_sessions"),
    path("gedetineerden/<int:pk>/netwerk/", views.file_network, name="file_network"),
    path("gedetineerden/<int:pk>/plaatsingen/", views.file_placements, name="file_placements"),
    path("gedetineerden/<int:pk>/toestemmingen/", views.file_consents, name="file_consents"),
    path("gedetineerden/<int:pk>/geschiedenis/", views.file_history, name="file_history"),
    # Writes.
    path("gedetineerden/<int:pk>/contactmoment/", views.session_create, name="session_create"),
    path(
        "gedetineerden/<int:pk>/contactmomenten/<int:session_pk>/bewerken/", views.session_update, name="session_update"
    ),
    path("gedetineerden/<int:pk>/plaatsingen/nieuw/", views.placement_create, name="placement_create"),
    path("gedetineerden/<int:pk>/overplaatsing/", views.transfer_create, name="transfer_create"),
    path("gedetineerden/<int:pk>/vermeldingen/nieuw/", views.listing_create, name="listing_create"),
    path("gedetineerden/<int:pk>/netwerk/nieuw/", views.network_person_edit, name="network_create"),
    path("gedetineerden/<int:pk>/netwerk/<int:person_pk>/bewerken/", views.network_person_edit, name="network_update"),
    path("gedetineerden/<int:pk>/toestemmingen/nieuw/", views.consent_create, name="consent_create"),
    path(
        "gedetineerden/<int:pk>/toestemmingen/<int:consent_pk>/intrekken/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "gedetineerden/<int:pk>/toestemmingen/<int:consent_pk>/document/",
        views.consent_document,
        name="consent_document",
    ),
]
