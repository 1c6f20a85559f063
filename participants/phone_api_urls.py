"""Routes of the participant app's API, mounted at /api/v1/me/; see workshop/urls.py."""

from django.urls import path

from participants import homework_api, phone_api, phone_api_items, unsent_api

app_name = "phone_api"

urlpatterns = [
    path("units/", phone_api.UnitList.as_view(), name="units"),
    path("units/held/", phone_api.HeldList.as_view(), name="held"),
    path("units/<int:pk>/", phone_api.UnitDetail.as_view(), name="unit"),
    path("units/<int:pk>/take/", phone_api.Take.as_view(), name="take"),
    path("units/<int:pk>/log/", phone_api.Log.as_view(), name="log"),
    path("units/<int:pk>/finish/", phone_api.Finish.as_view(), name="finish"),
    path("units/<int:pk>/hand-back/", phone_api.HandBack.as_view(), name="hand_back"),
    path("units/<int:pk>/items/", phone_api_items.ItemList.as_view(), name="items"),
    path("units/<int:pk>/items/<int:item_pk>/", phone_api_items.ItemDetail.as_view(), name="item"),
    path(
        "units/<int:pk>/items/<int:item_pk>/answer/",
        phone_api_items.ItemAnswer.as_view(),
        name="item_answer",
    ),
    path("check-ins/", phone_api.CheckIn.as_view(), name="check_in"),
    path("record/", phone_api.Record.as_view(), name="record"),
    path("days/<str:day>/", homework_api.OwnDay.as_view(), name="day"),
    path(
        "push-subscriptions/",
        homework_api.PushSubscriptions.as_view(),
        name="push_subscriptions",
    ),
    path("unsent/", unsent_api.KeptList.as_view(), name="unsent"),
    path(
        "unsent/<uuid:client_uuid>/decision/",
        unsent_api.KeptDecision.as_view(),
        name="unsent_decision",
    ),
]
