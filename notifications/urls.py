from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bel/", views.notification_bell, name="bell"),
    path("alles-gelezen/", views.notification_read_all, name="read_all"),
    path("<int:pk>/gelezen/", views.notification_read, name="read"),
    path("e-mail/", views.mail_settings, name="mail_settings"),
    path("<int:pk>/openen/", views.notification_open, name="open"),
]
