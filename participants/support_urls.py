"""Staff pages for support records, under /w/<workshop_slug>/people/ (see workshop/urls.py)."""

from django.urls import path

from participants import support_views as views

app_name = "support"

urlpatterns = [
    path("", views.people, name="people"),
    path("audit/", views.audit_log, name="audit_log"),
    path("<int:pk>/", views.person, name="person"),
    path("<int:pk>/consent/", views.record_consent, name="record_consent"),
    path("<int:pk>/consent/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("<int:pk>/stage/", views.change_stage, name="change_stage"),
    path("<int:pk>/steps/", views.record_milestone, name="record_milestone"),
    path("<int:pk>/goals/", views.set_goal, name="set_goal"),
    path("<int:pk>/goals/<int:goal_pk>/", views.goal, name="goal"),
    path("<int:pk>/goals/<int:goal_pk>/update/", views.update_goal, name="update_goal"),
    path("<int:pk>/goals/<int:goal_pk>/review/", views.review_goal, name="review_goal"),
    path("<int:pk>/notes/", views.write_note, name="write_note"),
    path("<int:pk>/notes/<int:note_pk>/", views.note, name="note"),
    path("<int:pk>/notes/<int:note_pk>/correct/", views.correct_note, name="correct_note"),
    path("<int:pk>/timeline/", views.timeline, name="timeline"),
    path("<int:pk>/export/", views.export, name="export"),
]
