from django.urls import path

from . import views, views_actions, views_minutes, views_priority, views_scheduling, views_transfer

app_name = "casusoverleg"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("events.json", views.events, name="events"),
    path("lijst/", views.conference_list, name="list"),
    path("nieuw/", views_scheduling.conference_create, name="create"),
    path("buiten-detentie/nieuw/", views_scheduling.meeting_create, name="meeting_create"),
    path("ritme/", views_scheduling.cadence, name="cadence"),
    path("agendafeed/", views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("vaste-leden/", views_scheduling.standing_members, name="standing_members"),
    path(
        "vaste-leden/<int:member_pk>/verwijderen/",
        views_scheduling.standing_member_remove,
        name="standing_member_remove",
    ),
    path("mijn-acties/", views_actions.my_actions_page, name="my_actions"),
    path("mijn-acties/<int:action_pk>/", views_actions.my_action_update, name="my_action_update"),
    path("exemplaar-controleren/", views_minutes.verify_copy, name="verify_copy"),
    path("overplaatsingen/", views_transfer.transfers, name="transfers"),
    path("dossier/<int:pk>/", views.file_conferences, name="file_conferences"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/verplaatsen/", views_scheduling.conference_move, name="move"),
    path("<int:pk>/annuleren/", views_scheduling.conference_cancel, name="cancel"),
    path("<int:pk>/datum-bevestigen/", views_scheduling.conference_confirm_date, name="confirm_date"),
    path("<int:pk>/overplaatsing/", views_transfer.transfer_resolve, name="transfer_resolve"),
    path("<int:pk>/deelnemers/", views.participant_add, name="participant_add"),
    path("<int:pk>/deelnemers/<int:participant_pk>/verwijderen/", views.participant_remove, name="participant_remove"),
    path("<int:pk>/deelnemers/<int:participant_pk>/antwoord/", views.participant_respond, name="participant_respond"),
    path("<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("<int:pk>/agenda/vernieuwen/", views.agenda_refresh, name="agenda_refresh"),
    path("<int:pk>/agenda/", views.agenda_item_add, name="agenda_item_add"),
    path("<int:pk>/agenda/<int:item_pk>/verwijderen/", views.agenda_item_remove, name="agenda_item_remove"),
    path("<int:pk>/verslag/", views_minutes.minutes_editor, name="minutes_editor"),
    path("<int:pk>/verslag/goedkeuren/", views_minutes.minutes_approve, name="minutes_approve"),
    path("<int:pk>/verslag/correctie/", views_minutes.minutes_correct, name="minutes_correct"),
    path("<int:pk>/verslag.pdf", views_minutes.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/prioriteit-aanmelding/", views_priority.referral_priority, name="referral_priority"),
]
