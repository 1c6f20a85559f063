from django.urls import include, path

from participants import views

app_name = "participants"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("invite/<str:token>/", include("participants.invite_urls")),
]
