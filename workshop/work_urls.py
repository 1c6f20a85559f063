"""The staff's work console under /w/<workshop_slug>/work/ (see workshop/urls.py): splitting an
order, its board, the review queue, suggestions and skill training."""

from django.urls import path

from workshop import work_views as views

app_name = "console_work"

urlpatterns = [
    path("orders/<int:order_pk>/split/", views.split, name="split"),
    path("orders/<int:order_pk>/split/preview/", views.split_preview, name="split_preview"),
    path("orders/<int:order_pk>/split/publish/", views.split_publish, name="split_publish"),
    path("orders/<int:order_pk>/split/progress/", views.split_progress, name="split_progress"),
    path("orders/<int:order_pk>/board/", views.board, name="board"),
    path("units/<int:pk>/sample/", views.sample_photo, name="sample_photo"),
    path("units/<int:pk>/release/", views.release_confirm, name="release_confirm"),
    path("units/<int:pk>/release/confirm/", views.release, name="release"),
    path("units/<int:pk>/reach-out/", views.reach_out_form, name="reach_out_form"),
    path("units/<int:pk>/reach-out/record/", views.reach_out, name="reach_out"),
    path("units/<int:pk>/suggest/", views.suggest_form, name="suggest_form"),
    path("units/<int:pk>/suggest/send/", views.suggest, name="suggest"),
    path("suggestions/<int:pk>/withdraw/", views.withdraw_suggestion, name="withdraw_suggestion"),
    path("review/", views.review_queue, name="review"),
    path("review/<int:pk>/approve/", views.approve, name="approve"),
    path("review/<int:pk>/redo/", views.redo, name="redo"),
    path("review/<int:pk>/approve-part/", views.approve_part, name="approve_part"),
    path("review/phrases/", views.add_phrase, name="add_phrase"),
    path("review/phrases/<int:pk>/remove/", views.remove_phrase, name="remove_phrase"),
    path("logs/<int:pk>/photo/", views.log_photo, name="log_photo"),
    path("skills/", views.skills, name="skills"),
    path("skills/mark/", views.mark_skill, name="mark_skill"),
    path("skills/<int:pk>/unmark/", views.unmark_skill, name="unmark_skill"),
]
