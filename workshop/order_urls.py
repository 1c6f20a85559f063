"""The staff side of orders, under /w/<workshop_slug>/orders/ (see workshop/urls.py)."""

from django.urls import path

from workshop import order_views

app_name = "console_orders"

urlpatterns = [
    path("", order_views.order_list, name="list"),
    path("<int:pk>/", order_views.order_detail, name="order"),
    path("<int:pk>/hourly/", order_views.hourly, name="hourly"),
    path("<int:pk>/accept/", order_views.accept, name="accept"),
    path("<int:pk>/propose/", order_views.propose, name="propose"),
    path(
        "<int:pk>/proposals/<int:proposal_pk>/withdraw/",
        order_views.withdraw_proposal,
        name="withdraw_proposal",
    ),
    path("<int:pk>/decline/", order_views.decline, name="decline"),
    path("<int:pk>/cancel/", order_views.cancel, name="cancel"),
    path("<int:pk>/messages/", order_views.post_message, name="post_message"),
    path("<int:pk>/files/<int:file_pk>/", order_views.download_file, name="file"),
    path("<int:pk>/deliveries/", order_views.deliver, name="deliver"),
    path(
        "<int:pk>/deliveries/<int:number>/slip/",
        order_views.delivery_slip,
        name="delivery_slip",
    ),
]
