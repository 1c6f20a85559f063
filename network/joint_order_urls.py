"""A company's orders to a network's joint order desk, under /c/<company_slug>/network-orders/
(see workshop/urls.py)."""

from django.urls import path

from network import desk_views as views

app_name = "joint_orders"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("new/", views.company_new, name="new"),
    path("new/estimate/", views.company_estimate, name="estimate"),
    path("<int:pk>/", views.company_detail, name="detail"),
]
