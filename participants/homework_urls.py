"""Staff pages of the home-work day, under /w/<workshop_slug>/home-work/ (see workshop/urls.py)."""

from django.urls import path

from participants import homework_views as views

app_name = "homework"

urlpatterns = [
    path("", views.contacts, name="contacts"),
    path("reply/", views.reply_to_many, name="reply_to_many"),
    path("month/", views.month, name="month"),
    path("month.csv", views.month_csv, name="month_csv"),
    path("<int:pk>/", views.person, name="person"),
    path("<int:pk>/contact/", views.record_contact, name="record_contact"),
    path("<int:pk>/days/<str:day>/", views.report, name="report"),
    path("<int:pk>/days/<str:day>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/days/<str:day>/note/", views.add_note, name="add_note"),
    path("<int:pk>/weeks/<str:week>/", views.evaluation, name="evaluation"),
]
