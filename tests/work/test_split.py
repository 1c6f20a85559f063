"""Splitting an accepted order into units: the rules (sizes, states, the background task) and
the split page (preview, then publish)."""

import io

import pytest
from PIL import Image

from jobs import work
from jobs.models import Order, SplitJob, UnitEvent, WorkUnit
from tests import factories
from tests.i18n import in_japanese, ja, ja_around, ja_plural
from tests.work.conftest import jpeg_with_gps


def split_url(order, step=""):
    return f"/w/hidamari/work/orders/{order.pk}/split/{step}"


# --- rules ----------------------------------------------------------------------------------


def test_a_quantity_that_does_not_divide_ends_with_a_smaller_unit(order_a, staff_a):
    outcome = work.split_order(
        order=order_a, by=staff_a, sizes=work.split_sizes(quantity=1000, size=300)
    )
    assert outcome.published == 4 and outcome.job is None
    assert list(order_a.units.values_list("quantity", flat=True)) == [300, 300, 300, 100]


def test_the_smaller_last_unit_gets_its_share_of_the_minutes(order_a, staff_a):
    work.split_order(order=order_a, by=staff_a, sizes=[400, 400, 200], estimated_minutes=60)
    assert list(order_a.units.values_list("estimated_minutes", flat=True)) == [60, 60, 30]


def test_a_whole_order_can_be_one_unit(order_a, staff_a):
    work.split_order(order=order_a, by=staff_a, sizes=work.split_sizes(quantity=1000, size=5000))
    assert list(order_a.units.values_list("number", "quantity")) == [(1, 1000)]


def test_an_explicit_list_is_published_as_given_with_its_details(order_a, staff_a):
    work.split_order(
        order=order_a,
        by=staff_a,
        sizes=[100, 250, 650],
        instructions="のりしろを折る",
        home_ok=False,
        skill_tag="sealing",
    )
    units = list(order_a.units.all())
    assert [u.quantity for u in units] == [100, 250, 650]
    assert {(u.instructions, u.home_ok, u.skill_tag, u.status) for u in units} == {
        ("のりしろを折る", False, "sealing", "open")
    }


def test_an_order_not_yet_accepted_is_not_split(workshop_a, company_a, staff_a):
    order = factories.OrderFactory(
        workshop=workshop_a, company=company_a, status=Order.Status.SUBMITTED
    )
    with pytest.raises(work.WorkError) as refused:
        work.split_order(order=order, by=staff_a, sizes=[500, 500])
    assert refused.value.code == "wrong_state"
    assert not order.units.exists()


def test_a_split_is_recorded_once_with_who_when_and_the_sizes(order_a, staff_a):
    outcome = work.split_order(order=order_a, by=staff_a, sizes=[300, 300, 400])

    assert (outcome.published, outcome.job) == (3, None)
    split = SplitJob.objects.get(order=order_a)
    assert (split.created_by, split.status, split.total, split.done_count) == (
        staff_a,
        "done",
        3,
        3,
    )
    assert split.runs == [[300, 2], [400, 1]] and split.finished_at is not None
    # the record stands for the units' "published" events: a split writes none per unit
    assert not UnitEvent.objects.filter(unit__order=order_a).exists()
    assert all(u.created_at <= split.finished_at for u in order_a.units.all())


def test_a_large_split_runs_as_a_task_and_completes(workshop_a, company_a, staff_a):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=2500)

    outcome = work.split_order(order=order, by=staff_a, sizes=[1] * 2500)

    assert outcome.published == 0
    job = outcome.job
    assert (job.status, job.done_count, job.total) == ("done", 2500, 2500)
    assert job.runs == [[1, 2500]]  # kept compactly
    assert order.units.count() == 2500
    assert not UnitEvent.objects.filter(unit__order=order).exists()  # the job is the record
    assert SplitJob.objects.get(order=order).created_by == staff_a
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PROGRESS


def test_a_large_split_publishes_batch_by_batch_and_resumes(
    workshop_a, company_a, staff_a, monkeypatch
):
    monkeypatch.setattr(work, "BULK_BATCH", 3)
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=10)
    # A worker that stopped after two batches of three had published units 1–6.
    work.publish_units(order=order, by=staff_a, sizes=[1] * 6)
    job = SplitJob.objects.create(
        order=order, created_by=staff_a, runs=[[1, 10]], total=10, done_count=6, status="running"
    )

    job = work.publish_split_job(job_id=job.pk)

    assert (job.status, job.done_count) == ("done", 10)
    assert list(order.units.values_list("number", flat=True)) == list(range(1, 11))
    # the retry published the remaining four in two batches: 3 and 1
    assert order.units.count() == 10


def test_a_large_split_stops_calmly_when_the_order_was_cancelled(workshop_a, company_a, staff_a):
    order = factories.OrderFactory(
        workshop=workshop_a, company=company_a, quantity=10, status=Order.Status.CANCELLED
    )
    job = SplitJob.objects.create(order=order, created_by=staff_a, runs=[[1, 10]], total=10)

    job = work.publish_split_job(job_id=job.pk)

    assert job.status == "failed" and job.done_count == 0 and job.error
    assert not order.units.exists()


def test_no_other_split_starts_while_one_is_being_published(order_a, staff_a):
    SplitJob.objects.create(order=order_a, created_by=staff_a, runs=[[1, 10]], total=10)
    with pytest.raises(work.WorkError) as refused:
        work.split_order(order=order_a, by=staff_a, sizes=[100])
    assert refused.value.code == "split_running"


# --- the page -------------------------------------------------------------------------------


def test_the_preview_says_how_the_order_divides_before_anything_is_published(
    staff_client, workshop_a, company_a
):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=1050)

    response = staff_client.post(
        split_url(order, "preview/"),
        {"how": "size", "size": "100", "instructions": "丁寧に", "home_ok": "on"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    runs = [
        ja_plural(
            "%(count)s unit of %(size)s %(label)s",
            "%(count)s units of %(size)s %(label)s",
            count,
            count=count,
            size=size,
            label="枚",
        )
        for count, size in ((10, 100), (1, 50))
    ]
    assert f"1,050 枚 → {runs[0]}, {runs[1]}" in html
    publish = ja_plural(
        "Publish %(units_text)s unit", "Publish %(units_text)s units", 11, units_text=11
    )
    assert publish in html
    assert 'value="100"' in html and "丁寧に" in html  # what was typed is kept
    assert not order.units.exists()


def test_publishing_makes_the_units_and_goes_to_the_board(staff_client, order_a):
    response = staff_client.post(
        split_url(order_a, "publish/"),
        {"how": "list", "sizes": "100x8, 200", "home_ok": "on", "estimated_minutes": "40"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/w/hidamari/work/orders/{order_a.pk}/board/"
    assert list(order_a.units.values_list("quantity", "estimated_minutes")) == [(100, 20)] * 8 + [
        (200, 40)
    ]


def test_a_split_that_does_not_fit_shows_the_error_next_to_the_field(staff_client, order_a):
    response = staff_client.post(
        split_url(order_a, "preview/"),
        {"how": "list", "sizes": "600, 600"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert ja("Only %(left)s items are left to split in this order.", left="1,000") in html
    assert 'value="600, 600"' in html


def test_the_sample_photo_is_cleaned_and_kept_from_preview_to_publish(staff_client, order_a):
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "sample.jpg"
    preview = staff_client.post(
        split_url(order_a, "preview/"),
        {"how": "size", "size": "500", "home_ok": "on", "sample_photo": photo},
    )
    token = preview.context["form"].data["photo_token"]
    assert token

    staff_client.post(
        split_url(order_a, "publish/"),
        {"how": "size", "size": "500", "home_ok": "on", "photo_token": token},
    )

    units = list(order_a.units.all())
    assert len(units) == 2 and units[0].sample_photo.name == units[1].sample_photo.name
    stored = Image.open(units[0].sample_photo.open("rb"))
    assert dict(stored.getexif()) == {}
    served = staff_client.get(f"/w/hidamari/work/units/{units[0].pk}/sample/")
    assert served.status_code == 200


def test_a_forged_photo_token_is_ignored(staff_client, order_a):
    staff_client.post(
        split_url(order_a, "publish/"),
        {"how": "size", "size": "1000", "photo_token": "samples/other-workshop.jpg"},
    )
    assert order_a.units.get().sample_photo.name == ""


def test_an_order_not_accepted_yet_says_so_on_the_split_page(staff_client, workshop_a, company_a):
    order = factories.OrderFactory(
        workshop=workshop_a, company=company_a, status=Order.Status.SUBMITTED
    )
    html = staff_client.get(split_url(order)).content.decode()
    assert (
        ja(
            "Only an accepted order can be split; this order is %(status)s.",
            status=in_japanese(Order.Status.SUBMITTED.label),
        )
        in html
    )
    assert ja("Preview the split") not in html


def test_a_large_split_from_the_page_shows_its_progress(staff_client, workshop_a, company_a):
    order = factories.OrderFactory(workshop=workshop_a, company=company_a, quantity=3000)

    response = staff_client.post(split_url(order, "publish/"), {"how": "size", "size": "1"})

    assert order.units.count() == 3000  # the immediate backend ran the task at once
    assert response["Location"] == f"/w/hidamari/work/orders/{order.pk}/board/"
    html = staff_client.get(split_url(order)).content.decode()
    last = ja_around(
        "The last split (%(total)s units) was published on %(when)s.",
        "when",
        total="3,000",
    )
    assert all(piece in html for piece in last)


def test_the_progress_partial_polls_while_running_and_stops_when_done(
    staff_client, order_a, staff_a
):
    job = SplitJob.objects.create(
        order=order_a,
        created_by=staff_a,
        runs=[[1, 1000]],
        total=1000,
        done_count=250,
        status="running",
    )
    url = split_url(order_a, "progress/")

    running = staff_client.get(url, HTTP_HX_REQUEST="true")
    html = running.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert '<progress id="split-bar" max="1000" value="250"' in html
    assert (
        ja(
            "%(done)s of %(total)s units published. You can leave this page; it carries on.",
            done=250,
            total="1,000",
        )
        in html
    )
    assert "<html" not in html

    SplitJob.objects.filter(pk=job.pk).update(status="done", done_count=1000)
    done = staff_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "<progress" not in done


def test_without_javascript_the_progress_address_leads_to_the_split_page(staff_client, order_a):
    response = staff_client.get(split_url(order_a, "progress/"))
    assert response.status_code == 302 and response["Location"] == split_url(order_a)


def test_the_board_is_usable_while_a_split_is_being_published(staff_client, order_a, staff_a):
    SplitJob.objects.create(
        order=order_a,
        created_by=staff_a,
        runs=[[1, 1000]],
        total=1000,
        done_count=400,
        status="running",
    )
    html = staff_client.get(f"/w/hidamari/work/orders/{order_a.pk}/board/").content.decode()
    assert (
        ja("Units are still being published: %(done)s of %(total)s.", done=400, total="1,000")
        in html
    )


def test_units_of_another_workshops_order_cannot_be_made(client, staff_b, order_a):
    client.force_login(staff_b)
    response = client.post(split_url(order_a, "publish/"), {"how": "size", "size": "10"})
    assert response.status_code == 404
    assert not WorkUnit.objects.exists()
