from django.urls import include, path

from participants import own_views, views

app_name = "participants"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("me/steps/", own_views.my_steps, name="my_steps"),
    path("invite/<str:token>/", include("participants.invite_urls")),
]
