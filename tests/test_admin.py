"""The editors' admin: every page loads, edits are recorded with their author and can be
reverted, and invalid input is a form error (never a 500)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog import models
from catalog.admin import LinesField

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """admin_client creates a superuser per test: a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def objects() -> dict[str, object]:
    category = models.Category.objects.create(slug="t-rec", name_zh="推荐测试", name_en="Rec test")
    framework = models.Framework.objects.create(slug="t-tf", name_zh="张量", name_en="TF test")
    data_type = models.DataType.objects.create(slug="t-tab", name_zh="表格", name_en="Tab test")
    scale = models.Scale.objects.create(slug="t-big", name_zh="大", name_en="Big test")
    scenario = models.Scenario.objects.create(slug="t-ads", name_zh="广告", name_en="Ads test")
    common = {
        "kind": models.Kind.OPEN_SOURCE,
        "category": category,
        "org": "Alibaba",
        "license": "Apache-2.0",
        "summary_en": "A test entry.",
    }
    rec = models.Project.objects.create(
        slug="t-easyrec",
        name="TestRec",
        name_zh="测试推荐框架",
        summary_zh="大规模推荐算法框架。",
        features_zh=["多模型支持", "在线学习"],
        **common,
    )
    rec.frameworks.add(framework)
    rec.data_types.add(data_type)
    rec.scales.add(scale)
    rec.scenarios.add(scenario)
    engine = models.Project.objects.create(
        slug="t-deeprec", name="TestEngine", name_zh="测试引擎", summary_zh="训练引擎。", **common
    )
    link = models.Link.objects.create(
        project=rec, title="Repo", url="https://github.com/alibaba/EasyRec", type="repo"
    )
    relation = models.Relation.objects.create(source=rec, target=engine, type="runs-on")
    stack = models.Stack.objects.create(
        slug="t-stack",
        name_zh="测试栈",
        name_en="Test stack",
        description_zh="描述",
        description_en="Description",
    )
    member = models.StackMember.objects.create(
        stack=stack, project=rec, role_zh="模型库", role_en="Model library"
    )
    return {
        "category": category,
        "framework": framework,
        "datatype": data_type,
        "scale": scale,
        "scenario": scenario,
        "project": rec,
        "engine": engine,
        "link": link,
        "relation": relation,
        "stack": stack,
        "stackmember": member,
    }


MODEL_KEYS = [
    "category",
    "framework",
    "datatype",
    "scale",
    "scenario",
    "project",
    "link",
    "relation",
    "stack",
    "stackmember",
]


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:catalog_{name}", args=args)


def form_data(response) -> dict[str, object]:
    """POST data reproducing the admin form (and inline formsets) as rendered."""
    data: dict[str, object] = {}

    def add_form(form) -> None:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, LinesField):
                value = bound.field.prepare_value(value)
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)

    add_form(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            add_form(form)
    return data


def add_inline_row(data: dict[str, object], *, prefix: str, fields: dict[str, str]) -> int:
    """Append one row to the inline formset ``prefix`` in ``data``; return the row's index."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    data.update({f"{prefix}-{total}-{name}": value for name, value in fields.items()})
    return total


# --- Pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", MODEL_KEYS)
def test_every_admin_page_loads_for_staff(admin_client, objects, key):
    obj = objects[key]
    urls = [
        admin_url(f"{key}_changelist"),
        admin_url(f"{key}_add"),
        admin_url(f"{key}_change", obj.pk),
        admin_url(f"{key}_history", obj.pk),
    ]
    assert obj.history.exists(), "every catalog model is audited"
    urls.append(admin_url(f"{key}_simple_history", obj.pk, obj.history.first().history_id))
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("key", ["project", "stack", "category"])
def test_anonymous_users_are_sent_to_the_login_page(client, objects, key):
    for url in (admin_url(f"{key}_changelist"), admin_url(f"{key}_change", objects[key].pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_permissions_cannot_edit(client, django_user_model, objects):
    user = django_user_model.objects.create_user("viewer", password="pw-for-tests", is_staff=True)
    client.force_login(user)
    assert client.get(admin_url("project_changelist")).status_code == 403


def test_changelist_search_finds_chinese_names(admin_client, objects):
    response = admin_client.get(admin_url("project_changelist"), {"q": "推荐框架"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [objects["project"]]
    response = admin_client.get(admin_url("project_changelist"), {"q": "大规模推荐算法框架"})
    results = list(response.context["cl"].result_list)
    assert objects["project"] in results  # found by its Chinese summary
    assert objects["engine"] not in results


def test_changelist_filters_by_facet(admin_client, objects):
    response = admin_client.get(
        admin_url("project_changelist"), {"frameworks__id__exact": objects["framework"].pk}
    )
    assert list(response.context["cl"].result_list) == [objects["project"]]


def test_feature_lists_are_edited_one_item_per_line(admin_client, objects):
    project = objects["project"]
    response = admin_client.get(admin_url("project_change", project.pk))
    assert "多模型支持\n在线学习" in response.content.decode()


# --- Editing, history and revert -----------------------------------------------------------


def test_editing_records_history_with_the_user(admin_client, admin_user, objects):
    project = objects["project"]
    url = admin_url("project_change", project.pk)
    data = form_data(admin_client.get(url))
    data["summary_zh"] = "编辑后的简介。"
    data["features_zh"] = "第一项\n\n  第二项  \n"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    project.refresh_from_db()
    assert project.summary_zh == "编辑后的简介。"
    assert project.features_zh == ["第一项", "第二项"]
    record = project.history.first()
    assert record.history_user == admin_user
    assert record.history_type == "~"

    history = admin_client.get(admin_url("project_history", project.pk))
    assert history.status_code == 200
    assert admin_user.username in history.content.decode()


def test_revert_through_the_history_form_restores_the_old_value(admin_client, objects):
    project = objects["project"]
    original = project.history.first()  # with its facets (frameworks etc.)
    project.summary_zh = "被改坏的简介。"
    project.save()
    project.frameworks.clear()

    url = admin_url("project_simple_history", project.pk, original.history_id)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "大规模推荐算法框架。" in page.content.decode()
    versions = project.history.count()
    response = admin_client.post(url, form_data(page))
    assert response.status_code == 302

    project.refresh_from_db()
    assert project.summary_zh == "大规模推荐算法框架。"
    assert list(project.frameworks.all()) == [objects["framework"]]
    assert project.history.count() >= versions + 1
    assert project.history.first().history_user.username == "admin"


def test_reverting_a_stack_restores_its_scenarios(admin_client, objects):
    stack = objects["stack"]
    stack.scenarios.add(objects["scenario"])
    version = stack.history.first()
    stack.scenarios.clear()
    stack.name_en = "Renamed"
    stack.save()

    url = admin_url("stack_simple_history", stack.pk, version.history_id)
    page = admin_client.get(url)
    assert page.context["adminform"].form["scenarios"].value() == [objects["scenario"].pk]
    assert admin_client.post(url, form_data(page)).status_code == 302
    stack.refresh_from_db()
    assert stack.name_en == "Test stack"
    assert list(stack.scenarios.all()) == [objects["scenario"]]


# --- Invalid input -------------------------------------------------------------------------


def _post_change(admin_client, obj_key: str, objects, **changes):
    obj = objects[obj_key]
    url = admin_url(f"{obj_key}_change", obj.pk)
    data = form_data(admin_client.get(url))
    data.update(changes)
    return admin_client.post(url, data)


def error_codes(form, field: str) -> list[str]:
    return [error.code for error in form.errors.as_data().get(field, [])]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"repo_url": "not a url"}, "repo_url", "invalid"),
        ({"homepage": "javascript:alert(1)"}, "homepage", "invalid"),
        ({"slug": "t-deeprec"}, "slug", "unique"),
        ({"slug": "bad slug!"}, "slug", "invalid"),
        ({"kind": "spaceship"}, "kind", "invalid_choice"),
        ({"last_release_date": "soon"}, "last_release_date", "invalid"),
        ({"last_commit": "2026-02-30"}, "last_commit", "invalid"),
        ({"stars": "-5"}, "stars", "min_value"),
        ({"open_issues": "many"}, "open_issues", "invalid"),
        ({"features_zh": "x" * 5000}, "features_zh", "too_long"),
        ({"summary_zh": ""}, "summary_zh", "required"),
        ({"name": "<script>alert(1)</script>" * 10}, "name", "max_length"),
    ],
)
def test_invalid_project_data_is_a_form_error(admin_client, objects, changes, field, code):
    response = _post_change(admin_client, "project", objects, **changes)
    assert response.status_code == 200
    assert code in error_codes(response.context["adminform"].form, field)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_own_successor_is_a_form_error(admin_client, objects):
    project = objects["project"]
    response = _post_change(
        admin_client, "project", objects, successor=str(project.pk), maintenance="unmaintained"
    )
    assert response.status_code == 200
    assert error_codes(response.context["adminform"].form, "successor") == ["own_successor"]
    project.refresh_from_db()
    assert project.successor is None


@pytest.mark.parametrize(
    ("maintenance", "saved"),
    [("active", False), ("low-activity", True), ("unmaintained", True)],
)
def test_only_an_entry_that_is_not_active_takes_a_successor(
    admin_client, objects, maintenance, saved
):
    project, other = objects["project"], objects["engine"]
    response = _post_change(
        admin_client, "project", objects, successor=str(other.pk), maintenance=maintenance
    )
    project.refresh_from_db()
    if saved:
        assert response.status_code == 302
        assert project.successor == other
    else:
        assert response.status_code == 200
        codes = error_codes(response.context["adminform"].form, "successor")
        assert codes == ["active_with_successor"]
        assert project.successor is None


def test_self_relation_inline_is_a_form_error(admin_client, objects):
    project = objects["project"]
    url = admin_url("project_change", project.pk)
    data = form_data(admin_client.get(url))
    prefix = "relations_out"
    total = add_inline_row(
        data,
        prefix=prefix,
        fields={"type": "integrates-with", "target": str(project.pk), "source": str(project.pk)},
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )
    assert error_codes(formset.forms[total], "target") == ["self_relation"]
    assert not models.Relation.objects.filter(source=project, target=project).exists()


def test_duplicate_link_inline_is_a_form_error(admin_client, objects):
    project = objects["project"]
    url = admin_url("project_change", project.pk)
    data = form_data(admin_client.get(url))
    add_inline_row(
        data,
        prefix="links",
        fields={
            "title": "Again",
            "url": "https://github.com/alibaba/EasyRec",
            "type": "repo",
            "position": "1",
            "project": str(project.pk),
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert project.links.count() == 1


def test_relation_admin_rejects_self_relation(admin_client, objects):
    project = objects["project"]
    response = admin_client.post(
        admin_url("relation_add"),
        {"source": project.pk, "target": project.pk, "type": "part-of", "note": ""},
    )
    assert response.status_code == 200
    assert error_codes(response.context["adminform"].form, "target") == ["self_relation"]


def test_link_admin_rejects_a_bad_url_and_script(admin_client, objects):
    response = admin_client.post(
        admin_url("link_add"),
        {
            "project": objects["project"].pk,
            "title": "<script>alert(1)</script>",
            "url": "javascript:alert(1)",
            "type": "docs",
            "position": 0,
        },
    )
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_stack_cannot_be_its_own_counterpart(admin_client, objects):
    stack = objects["stack"]
    response = _post_change(admin_client, "stack", objects, counterpart=str(stack.pk))
    assert response.status_code == 200
    assert error_codes(response.context["adminform"].form, "counterpart") == ["own_counterpart"]


def test_stack_member_twice_is_a_form_error(admin_client, objects):
    stack = objects["stack"]
    url = admin_url("stack_change", stack.pk)
    data = form_data(admin_client.get(url))
    add_inline_row(
        data,
        prefix="members",
        fields={
            "project": str(objects["project"].pk),
            "role_zh": "又一次",
            "role_en": "Again",
            "position": "2",
            "stack": str(stack.pk),
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert stack.members.count() == 1


def test_add_project_with_prepopulated_slug_and_lists(admin_client, objects):
    response = admin_client.post(
        admin_url("project_add"),
        {
            "slug": "t-new",
            "name": "New",
            "name_zh": "新项目",
            "kind": "open-source",
            "category": objects["category"].pk,
            "org": "Alibaba",
            "license": "MIT",
            "maintenance": "active",
            "summary_zh": "新的。",
            "summary_en": "New.",
            "features_zh": "甲\n乙",
            "frameworks": [objects["framework"].pk],
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "relations_out-TOTAL_FORMS": "0",
            "relations_out-INITIAL_FORMS": "0",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    created = models.Project.objects.get(slug="t-new")
    assert created.features_zh == ["甲", "乙"]
    assert created.use_cases_en == []
    assert list(created.frameworks.all()) == [objects["framework"]]


def test_lines_field_cleans_and_validates():
    field = LinesField(required=False)
    assert field.clean(" a \n\n b\r\n") == ["a", "b"]
    assert field.clean("") == []
    assert field.prepare_value(["a", "b"]) == "a\nb"
    with pytest.raises(ValidationError) as error:
        field.clean("\n".join(str(i) for i in range(101)))
    assert error.value.code == "too_many"
