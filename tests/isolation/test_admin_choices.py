"""The admin offers a manager only their own workshops' rows: in every list filter and in every
choice of every form (foreign keys, many-to-many, inlines) of every registered model admin.
Nothing names a row the manager may not see: a company shared with another workshop must not
tell which other workshop that is."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.forms import ModelChoiceField
from django.test import RequestFactory

from workshop.adminsite import may_use_admin


def hidden_names(user) -> set[str]:
    """What every row this person may not see is called, less what a visible row is called."""
    hidden, visible = set(), set()
    for model in apps.get_models():
        queryset = model._default_manager.all()
        if not hasattr(queryset, "visible_to"):
            continue
        shown = queryset.visible_to(user)
        visible |= {str(row) for row in shown}
        hidden |= {str(row) for row in queryset.exclude(pk__in=shown.values("pk"))}
    return {name for name in hidden - visible if name}


def offered(model_admin, request) -> set[str]:
    """Every label the model admin's list filters and forms offer this person."""
    labels = set()
    if model_admin.has_view_permission(request):
        changelist = model_admin.get_changelist_instance(request)
        for spec in changelist.filter_specs:
            labels |= {str(choice["display"]) for choice in spec.choices(changelist)}
    forms = [model_admin.get_form(request)()]
    for formset, _inline in model_admin.get_formsets_with_inlines(request):
        forms.append(formset(instance=model_admin.model()).empty_form)
    for form in forms:
        for field in form.fields.values():
            # A hidden field (an inline row's own id) renders its value, never its choices.
            if isinstance(field, ModelChoiceField) and not field.widget.is_hidden:
                labels |= {str(label) for _value, label in field.choices}
    return labels


@pytest.mark.parametrize("name", ["manager_hidamari", "manager_minato"])
def test_no_admin_filter_or_choice_names_another_workshops_row(world, db, name):
    user = world.personas[name].user
    request = RequestFactory().get("/admin/")
    request.user = user
    assert may_use_admin(request)
    secret = hidden_names(user)
    leaks = {}
    walked = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request):
            continue
        walked += 1
        shown = offered(model_admin, request) & secret
        if shown:
            leaks[model._meta.label] = sorted(shown)
    assert walked >= 30
    assert not leaks
