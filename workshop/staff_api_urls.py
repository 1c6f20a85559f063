"""Routes of the staff API, mounted at /api/v1/staff/; see workshop/urls.py."""

from django.urls import path

from participants import homework_api
from workshop import delivery_api, digital_api
from workshop import staff_api as api

app_name = "staff_api"

w = "workshops/<slug:workshop_slug>/"

urlpatterns = [
    path("workshops/", api.WorkshopList.as_view(), name="workshops"),
    path(w + "orders/", api.OrderList.as_view(), name="orders"),
    path(w + "orders/<int:pk>/", api.OrderDetail.as_view(), name="order"),
    path(w + "orders/<int:pk>/accept/", api.OrderAccept.as_view(), name="accept"),
    path(w + "orders/<int:pk>/propose/", api.OrderPropose.as_view(), name="propose"),
    path(w + "orders/<int:pk>/decline/", api.OrderDecline.as_view(), name="decline"),
    path(w + "orders/<int:pk>/cancel/", api.OrderCancel.as_view(), name="cancel"),
    path(w + "orders/<int:pk>/split/preview/", api.SplitPreview.as_view(), name="split_preview"),
    path(w + "orders/<int:pk>/split/", api.Split.as_view(), name="split"),
    path(w + "orders/<int:pk>/units/", api.UnitList.as_view(), name="units"),
    path(w + "orders/<int:pk>/digital/", digital_api.DigitalWorkDetail.as_view(), name="digital"),
    path(
        w + "orders/<int:pk>/answer-forms/",
        digital_api.AnswerFormListCreate.as_view(),
        name="answer_forms",
    ),
    path(
        w + "orders/<int:pk>/answer-forms/<int:version>/accept/",
        digital_api.ProposalAccept.as_view(),
        name="answer_form_accept",
    ),
    path(
        w + "orders/<int:pk>/answer-forms/<int:version>/decline/",
        digital_api.ProposalDecline.as_view(),
        name="answer_form_decline",
    ),
    path(
        w + "orders/<int:pk>/item-imports/",
        digital_api.ItemImportListCreate.as_view(),
        name="item_imports",
    ),
    path(
        w + "orders/<int:pk>/deliveries/",
        delivery_api.DeliveryListCreate.as_view(),
        name="deliveries",
    ),
    path(
        w + "orders/<int:pk>/deliveries/totals/",
        delivery_api.DeliveryTotals.as_view(),
        name="delivery_totals",
    ),
    path(
        w + "orders/<int:pk>/deliveries/<int:number>/",
        delivery_api.DeliveryDetail.as_view(),
        name="delivery",
    ),
    path(w + "split-jobs/<int:pk>/", api.SplitJobDetail.as_view(), name="split_job"),
    path(w + "units/<int:pk>/release/", api.Release.as_view(), name="release"),
    path(w + "units/<int:pk>/reach-out/", api.ReachOut.as_view(), name="reach_out"),
    path(w + "units/<int:pk>/suggest/", api.Suggest.as_view(), name="suggest"),
    path(w + "reviews/", api.ReviewQueue.as_view(), name="reviews"),
    path(w + "units/<int:pk>/approve/", api.Approve.as_view(), name="approve"),
    path(w + "units/<int:pk>/redo/", api.Redo.as_view(), name="redo"),
    path(w + "units/<int:pk>/approve-part/", api.ApprovePart.as_view(), name="approve_part"),
    path(w + "skills/", api.SkillList.as_view(), name="skills"),
    path(w + "skills/<int:pk>/", api.SkillDetail.as_view(), name="skill"),
    path(w + "check-ins/", api.CheckInList.as_view(), name="check_ins"),
    path(w + "check-ins/<int:pk>/reply/", api.CheckInReply.as_view(), name="reply"),
    path(w + "contacts/today/", homework_api.TodaysContacts.as_view(), name="contacts_today"),
    path(
        w + "participants/<int:pk>/days/<str:day>/",
        homework_api.StaffDay.as_view(),
        name="day_report",
    ),
    path(
        w + "participants/<int:pk>/days/<str:day>/confirm/",
        homework_api.ConfirmDay.as_view(),
        name="confirm_day",
    ),
    path(
        w + "participants/<int:pk>/weeks/<str:week>/evaluation/",
        homework_api.Evaluation.as_view(),
        name="evaluation",
    ),
]
