"""The participant's own daily report, under /my-day/ (see workshop/urls.py)."""

from django.urls import path

from participants import day_views as views

app_name = "myday"

urlpatterns = [
    path("", views.my_day, name="today"),
    path("reminders/", views.reminder_settings, name="reminders"),
    path("reminders/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("reminders/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("<str:day>/", views.my_day, name="day"),
    path("<str:day>/line/", views.write_line, name="line"),
    path("<str:day>/mood/", views.set_mood, name="mood"),
]
