"""The company portal of one company, under /c/<company_slug>/."""

from django.urls import path

from companies import results_views, views

app_name = "portal"

urlpatterns = [
    path("", views.portal_home, name="home"),
    path("orders/", views.order_list, name="orders"),
    path("orders/export.csv", views.order_csv, name="orders_csv"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/new/save/", views.order_create, name="order_create"),
    path("orders/new/send/", views.order_create_and_submit, name="order_create_and_submit"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order_edit"),
    path("orders/<int:pk>/edit/save/", views.order_update, name="order_update"),
    path("orders/<int:pk>/send/", views.order_submit, name="order_submit"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/messages/", views.message_post, name="message_post"),
    path("orders/<int:pk>/files/", views.file_upload, name="file_upload"),
    path("orders/<int:pk>/files/<int:file_pk>/", views.file_download, name="file_download"),
    path("orders/<int:pk>/order-sheet/", views.order_sheet, name="order_sheet"),
    path("orders/<int:pk>/results.csv", results_views.results_csv, name="results_csv"),
    path("orders/<int:pk>/results.jsonl", results_views.results_jsonl, name="results_jsonl"),
    path(
        "orders/<int:pk>/deliveries/<int:number>/accept/",
        views.delivery_accept,
        name="delivery_accept",
    ),
    path(
        "orders/<int:pk>/deliveries/<int:number>/refuse/",
        views.delivery_refuse,
        name="delivery_refuse",
    ),
    path(
        "orders/<int:pk>/deliveries/<int:number>/slip/",
        views.delivery_slip,
        name="delivery_slip",
    ),
    path(
        "orders/<int:pk>/proposals/<int:proposal_pk>/confirm/",
        views.proposal_confirm,
        name="proposal_confirm",
    ),
    path(
        "orders/<int:pk>/proposals/<int:proposal_pk>/refuse/",
        views.proposal_refuse,
        name="proposal_refuse",
    ),
]
