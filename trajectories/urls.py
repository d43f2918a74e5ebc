"""Trajectory pages, mounted under /trajecten/."""

from django.urls import path

from . import views, views_court, views_file, views_panels, views_referrals, views_release

app_name = "trajectories"

urlpatterns = [
    path("aanmeldingen/", views.referral_inbox, name="inbox"),
    path("paneel/acties/", views_panels.my_open_actions, name="panel_actions"),
    path("paneel/aanmeldingen/", views_panels.waiting_referrals, name="panel_referrals"),
    path("acties/", views.action_list, name="actions"),
    path("acties/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("dossier/<int:detainee_pk>/", views_file.file_tab, name="file_tab"),
    path("dossier/<int:detainee_pk>/aanmelden/", views.trajectory_refer, name="refer"),
    path("dossier/<int:detainee_pk>/doorverwijzingen/", views_referrals.file_referrals, name="file_referrals"),
    path(
        "dossier/<int:detainee_pk>/doorverwijzen/",
        views_referrals.partner_referral_create,
        name="partner_referral_create",
    ),
    path("doorverwijzingen/", views_referrals.partner_referrals, name="partner_referrals"),
    path("doorverwijzingen/<int:referral_pk>/", views_referrals.partner_referral, name="partner_referral"),
    path(
        "doorverwijzingen/<int:referral_pk>/antwoord/",
        views_referrals.partner_referral_respond,
        name="partner_referral_respond",
    ),
    path(
        "doorverwijzingen/<int:referral_pk>/afsluiten/",
        views_referrals.partner_referral_close,
        name="partner_referral_close",
    ),
    path(
        "doorverwijzingen/<int:referral_pk>/intrekken/",
        views_referrals.partner_referral_withdraw,
        name="partner_referral_withdraw",
    ),
    path("<int:pk>/", views.trajectory_detail, name="detail"),
    path("<int:pk>/status/", views.trajectory_transition, name="transition"),
    path("<int:pk>/nazorg/", views_release.aftercare, name="aftercare"),
    path("<int:pk>/vrijlating/", views_release.release_register, name="release"),
    path("<int:pk>/nazorg/afsluiten/", views_release.aftercare_close, name="aftercare_close"),
    path("<int:pk>/nazorg/duur/", views_release.aftercare_length, name="aftercare_length"),
    path("<int:pk>/nazorg/opvolging/<int:follow_up_pk>/", views_release.follow_up_record, name="follow_up_record"),
    path("<int:pk>/overdracht/", views_release.handover_request, name="handover_request"),
    path("overdracht/<int:package_pk>/pdf/", views_release.handover_download, name="handover_download"),
    path("<int:pk>/voorwaarden/", views_court.court_conditions, name="court_conditions"),
    path(
        "<int:pk>/voorwaarden/<int:condition_pk>/termijn/",
        views_court.reporting_deadline_add,
        name="reporting_deadline_add",
    ),
    path(
        "<int:pk>/voorwaarden/termijn/<int:deadline_pk>/annuleren/",
        views_court.reporting_deadline_cancel,
        name="reporting_deadline_cancel",
    ),
    path(
        "<int:pk>/voorwaarden/<int:condition_pk>/verslag/", views_court.court_report_create, name="court_report_create"
    ),
    path("voorwaarden/verslag/<int:report_pk>/pdf/", views_court.court_report_download, name="court_report_download"),
    path("<int:pk>/toewijzen/", views.trajectory_assign, name="assign"),
    path("<int:pk>/verkenning/<slug:domain_code>/", views.exploration_edit, name="exploration"),
    path("<int:pk>/doelen/nieuw/", views.goal_create, name="goal_create"),
    path("<int:pk>/acties/nieuw/", views.action_create, name="action_create"),
    path("<int:pk>/inschattingen/nieuw/", views.assessment_start, name="assessment_start"),
    path("doelen/<int:goal_pk>/bewerken/", views.goal_update, name="goal_update"),
    path("doelen/<int:goal_pk>/evaluatie/", views.goal_review, name="goal_review"),
    path("inschattingen/<int:assessment_pk>/", views.assessment_detail, name="assessment"),
    path("inschattingen/<int:assessment_pk>/corrigeren/", views.assessment_correct, name="assessment_correct"),
]
