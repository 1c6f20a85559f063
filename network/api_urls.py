"""The joint order desk in the company API, under /api/v1/network-orders/ (see workshop/urls.py)."""

from django.urls import path

from network import api

app_name = "network_api"

urlpatterns = [
    path("", api.JointOrderListCreate.as_view(), name="joint-orders"),
    path("<int:pk>/", api.JointOrderDetail.as_view(), name="joint-order"),
]
