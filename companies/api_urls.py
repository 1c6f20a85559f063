"""The orders API, v1, under /api/v1/. The schema is at /api/schema/, its docs at /api/docs/."""

from django.urls import path

from companies import api, digital_api

app_name = "api"

urlpatterns = [
    path("workshops/", api.WorkshopList.as_view(), name="workshops"),
    path("orders/", api.OrderListCreate.as_view(), name="orders"),
    path("orders/<int:pk>/", api.OrderDetail.as_view(), name="order"),
    path("orders/<int:pk>/submit/", api.OrderSubmit.as_view(), name="order-submit"),
    path("orders/<int:pk>/cancel/", api.OrderCancel.as_view(), name="order-cancel"),
    path("orders/<int:pk>/files/", api.OrderFileListCreate.as_view(), name="order-files"),
    path("orders/<int:pk>/events/", api.OrderEventList.as_view(), name="order-events"),
    path("orders/<int:pk>/messages/", api.OrderMessageListCreate.as_view(), name="order-messages"),
    path("orders/<int:pk>/deliveries/", api.DeliveryList.as_view(), name="order-deliveries"),
    path(
        "orders/<int:pk>/deliveries/<int:number>/accept/",
        api.DeliveryAccept.as_view(),
        name="delivery-accept",
    ),
    path(
        "orders/<int:pk>/deliveries/<int:number>/refuse/",
        api.DeliveryRefuse.as_view(),
        name="delivery-refuse",
    ),
    path(
        "orders/<int:pk>/answer-forms/",
        digital_api.AnswerFormListCreate.as_view(),
        name="order-answer-forms",
    ),
    path(
        "orders/<int:pk>/item-imports/",
        digital_api.ItemImportListCreate.as_view(),
        name="order-item-imports",
    ),
    path(
        "orders/<int:pk>/item-imports/<int:import_pk>/",
        digital_api.ItemImportDetail.as_view(),
        name="order-item-import",
    ),
]
