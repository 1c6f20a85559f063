"""Staff pages for openings, under /w/<workshop_slug>/openings/ (see workshop/urls.py)."""

from django.urls import path

from companies import opening_console_views as views

app_name = "console_openings"

urlpatterns = [
    path("", views.opening_list, name="list"),
    path("post/", views.post, name="post"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/agree/", views.agree, name="agree"),
    path(
        "proposals/<int:pk>/participant-declined/",
        views.participant_declined,
        name="participant_declined",
    ),
    path("proposals/<int:pk>/send/", views.send, name="send"),
    path("proposals/<int:pk>/trial-held/", views.trial_held, name="trial_held"),
    path("proposals/<int:pk>/hired/", views.hired, name="hired"),
    path("proposals/<int:pk>/declined/", views.declined, name="declined"),
    path("proposals/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
