"""Routes of the participant's phone pages (mounted at the site's root, next to /today/), the
service worker, and the staff page that answers check-ins; see workshop/urls.py."""

from django.urls import path

from participants import item_views, phone_views

app_name = "phone"

urlpatterns = [
    path("units/<int:pk>/", phone_views.unit_detail, name="unit"),
    path("units/<int:pk>/take/", phone_views.take, name="take"),
    path("units/next/", phone_views.take_next, name="take_next"),
    path("units/<int:pk>/not-now/", phone_views.not_now, name="not_now"),
    path("units/<int:pk>/log/", phone_views.log, name="log"),
    path("units/<int:pk>/done/", phone_views.done, name="done"),
    path("units/<int:pk>/hand-back/", phone_views.hand_back, name="hand_back"),
    path("units/<int:pk>/items/", item_views.item_list, name="items"),
    path("units/<int:pk>/items/<int:item_pk>/", item_views.item_detail, name="item"),
    path("units/<int:pk>/items/<int:item_pk>/save/", item_views.save_and_next, name="item_save"),
    path("units/<int:pk>/items/<int:item_pk>/draft/", item_views.save_draft, name="item_draft"),
    path("units/<int:pk>/items/<int:item_pk>/image/", item_views.item_image, name="item_image"),
    path("check-in/", phone_views.check_in, name="check_in"),
    path("record/", phone_views.record, name="record"),
    path("offline/", phone_views.offline, name="offline"),
    path("sw.js", phone_views.service_worker, name="service_worker"),
    path(
        "staff/<slug:workshop_slug>/check-ins/",
        phone_views.staff_check_ins,
        name="staff_check_ins",
    ),
    path(
        "staff/<slug:workshop_slug>/check-ins/<int:pk>/reply/",
        phone_views.staff_reply,
        name="staff_reply",
    ),
]
