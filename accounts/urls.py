from django.urls import path

from . import views, views_invitation, views_tokens

# Mounted under accounts/ (config/urls.py), beside allauth's pages: reachable before MFA is set up,
# so a new user can read the set-up page in their own language.
urlpatterns = [
    path("taal/", views.language_set, name="language_set"),
    path("tokens/", views_tokens.token_list, name="account_tokens"),
    path("tokens/<str:token_key>/intrekken/", views_tokens.token_revoke_view, name="account_token_revoke"),
    # The link of an invitation (docs/adr/0025): no account yet, so no login and no MFA before it.
    path("uitnodiging/<str:token>/", views_invitation.invitation_accept_view, name="account_invitation"),
]
