"""The data model: every database constraint holds, natural keys, display helpers, and the
catalog version that every change moves on."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from catalog import models
from catalog.models import pick_language
from catalog.versioning import VersionedCache, bump_catalog_version, get_catalog_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def category() -> models.Category:
    return models.Category.objects.create(slug="t-cat", name_zh="测试类", name_en="Test category")


def make_project(category: models.Category, slug: str = "t-one", **fields) -> models.Project:
    values = {
        "slug": slug,
        "name": f"Name {slug}",
        "name_zh": f"名称 {slug}",
        "kind": models.Kind.OPEN_SOURCE,
        "category": category,
        "org": "Alibaba",
        "license": "Apache-2.0",
        "summary_zh": "中文简介。",
        "summary_en": "English summary.",
    }
    values.update(fields)
    return models.Project.objects.create(**values)


def make_stack(slug: str = "t-stack", **fields) -> models.Stack:
    values = {
        "slug": slug,
        "name_zh": "测试栈",
        "name_en": "Test stack",
        "description_zh": "描述",
        "description_en": "Description",
    }
    values.update(fields)
    return models.Stack.objects.create(**values)


def assert_violates(constraint: str, action) -> None:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        action()
    # SQLite and PostgreSQL both name the violated constraint (unique ones by their columns).
    assert constraint in str(error.value) or "UNIQUE" in str(error.value).upper()


# --- Project -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"kind": "spaceship"}, "project_kind_valid"),
        ({"maintenance": "abandoned"}, "project_maintenance_valid"),
        ({"slug": ""}, "project_slug_and_names_not_empty"),
        ({"name": ""}, "project_slug_and_names_not_empty"),
        ({"name_zh": ""}, "project_slug_and_names_not_empty"),
    ],
)
def test_project_check_constraints(category, fields, constraint):
    assert_violates(constraint, lambda: make_project(category, **fields))
    assert not models.Project.objects.filter(slug=fields.get("slug", "t-one")).exists()


def test_last_release_year_is_derived_from_the_release_date(category):
    """One fact stored once: the year follows the date, and there is no year to set."""
    project = make_project(category, last_release_date=date(2024, 12, 31))
    assert project.last_release_year == 2024
    project.last_release_date = date(2025, 1, 1)
    assert project.last_release_year == 2025
    project.last_release_date = None
    assert project.last_release_year is None
    assert "last_release_year" not in {field.name for field in models.Project._meta.get_fields()}
    with pytest.raises(AttributeError):  # a property without a setter: nothing to store
        models.Project(last_release_year=2020)


def test_the_index_rows_and_the_advisor_read_the_year_of_the_release_date(category):
    """The shared rows (``load_entry_rows``) carry the year the advisor's EntryDoc keeps."""
    from advisor.catalog_source import load_entries
    from catalog.documents import load_entry_rows

    make_project(category, slug="t-dated", last_release_date=date(2023, 7, 1))
    make_project(category, slug="t-undated")
    rows = {row.slug: row for row in load_entry_rows()}
    assert rows["t-dated"].last_release_year == 2023
    assert rows["t-undated"].last_release_year is None
    entries = {entry.slug: entry for entry in load_entries(rows=list(rows.values()))}
    assert entries["t-dated"].last_release_year == 2023
    assert entries["t-undated"].last_release_year is None


def test_project_cannot_be_its_own_successor(category):
    project = make_project(category)
    other = make_project(category, slug="t-two")
    project.successor = other
    project.save()  # another entry is fine

    project.successor = project
    assert_violates("project_not_own_successor", project.save)
    project.refresh_from_db()
    assert project.successor == other


def test_project_slug_is_unique(category):
    make_project(category)
    assert_violates("slug", lambda: make_project(category))


def test_model_validation_reports_the_same_rules_as_the_database(category):
    """full_clean (used by every ModelForm) checks the constraints before the database does."""
    project = make_project(category)
    project.successor = project
    with pytest.raises(ValidationError):
        project.full_clean()
    project.successor = None
    project.last_release_date = "soon"
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "last_release_date" in error.value.message_dict


# --- Link ----------------------------------------------------------------------------------


def test_link_url_is_unique_per_project_but_not_across_projects(category):
    one = make_project(category)
    two = make_project(category, slug="t-two")
    url = "https://github.com/alibaba/EasyRec"
    models.Link.objects.create(project=one, title="Repo", url=url, type="repo")
    models.Link.objects.create(project=two, title="Same repo", url=url, type="repo")
    assert_violates(
        "link_unique_url_per_project",
        lambda: models.Link.objects.create(project=one, title="Again", url=url, type="docs"),
    )
    assert one.links.count() == 1


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"type": "video"}, "link_type_valid"),
        ({"url": ""}, "link_url_not_empty"),
    ],
)
def test_link_check_constraints(category, fields, constraint):
    project = make_project(category)
    values = {"project": project, "title": "T", "url": "https://example.com/", "type": "docs"}
    values.update(fields)
    assert_violates(constraint, lambda: models.Link.objects.create(**values))


# --- Relation ------------------------------------------------------------------------------


def test_relation_unique_per_pair_and_type(category):
    one = make_project(category)
    two = make_project(category, slug="t-two")
    models.Relation.objects.create(source=one, target=two, type="runs-on")
    # Another type, or the other direction, is a different relation.
    models.Relation.objects.create(source=one, target=two, type="integrates-with")
    models.Relation.objects.create(source=two, target=one, type="runs-on")
    assert_violates(
        "relation_unique_per_pair_and_type",
        lambda: models.Relation.objects.create(source=one, target=two, type="runs-on"),
    )


def test_relation_not_self_and_type_valid(category):
    one = make_project(category)
    two = make_project(category, slug="t-two")
    assert_violates(
        "relation_not_self",
        lambda: models.Relation.objects.create(source=one, target=one, type="part-of"),
    )
    assert_violates(
        "relation_type_valid",
        lambda: models.Relation.objects.create(source=one, target=two, type="likes"),
    )
    assert not models.Relation.objects.filter(source=one).exists()


# --- Stacks --------------------------------------------------------------------------------


def test_stack_cannot_be_its_own_counterpart():
    stack = make_stack()
    other = make_stack(slug="t-other")
    stack.counterpart = other
    stack.save()
    stack.counterpart = stack
    assert_violates("stack_not_own_counterpart", stack.save)


@pytest.mark.parametrize("field", ["slug", "name_zh", "name_en"])
def test_stack_slug_and_names_not_empty(field):
    assert_violates("stack_slug_and_names_not_empty", lambda: make_stack(**{field: ""}))


def test_stack_member_unique_per_stack_and_roles_not_empty(category):
    stack = make_stack()
    other_stack = make_stack(slug="t-other")
    project = make_project(category)
    models.StackMember.objects.create(stack=stack, project=project, role_zh="库", role_en="Lib")
    models.StackMember.objects.create(
        stack=other_stack, project=project, role_zh="库", role_en="Lib"
    )
    assert_violates(
        "stack_member_unique_per_stack",
        lambda: models.StackMember.objects.create(
            stack=stack, project=project, role_zh="又", role_en="Again"
        ),
    )
    assert_violates(
        "stack_member_role_not_empty",
        lambda: models.StackMember.objects.create(
            stack=make_stack(slug="t-third"), project=project, role_zh="", role_en="Lib"
        ),
    )


def test_a_project_in_a_stack_cannot_be_deleted(category):
    stack = make_stack()
    project = make_project(category)
    models.StackMember.objects.create(stack=stack, project=project, role_zh="库", role_en="Lib")
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        project.delete()


# --- Catalog state -------------------------------------------------------------------------


def test_the_newest_catalog_change_is_the_version():
    first = bump_catalog_version()
    second = bump_catalog_version()
    assert second > first and get_catalog_version() == second
    assert str(models.CatalogChange.objects.get(pk=second)) == f"catalog version {second}"


# --- Natural keys, __str__, URLs -----------------------------------------------------------


@pytest.mark.parametrize(
    "model", [models.Category, models.Framework, models.DataType, models.Scale, models.Scenario]
)
def test_vocabulary_natural_key_str_and_url(model):
    term = model.objects.create(slug="t-term", name_zh="术语", name_en="Term")
    assert term.natural_key() == ("t-term",)
    assert model.objects.get_by_natural_key("t-term") == term
    assert str(term) == "Term / 术语"
    assert term.get_absolute_url().startswith("/")
    assert term.get_absolute_url().endswith("=t-term")
    with translation.override("en"):
        assert term.name == "Term"
    with translation.override("zh-hans"):
        assert term.name == "术语"
    assert_violates("slug", lambda: model.objects.create(slug="t-term", name_zh="x", name_en="y"))


def test_project_stack_natural_keys_str_and_urls(category):
    project = make_project(category)
    other = make_project(category, slug="t-two")
    stack = make_stack()
    member = models.StackMember.objects.create(
        stack=stack, project=project, role_zh="模型库", role_en="Model library"
    )
    link = models.Link.objects.create(
        project=project, title="Repo", url="https://github.com/x/y", type="repo"
    )
    relation = models.Relation.objects.create(source=project, target=other, type="runs-on")

    assert project.natural_key() == ("t-one",)
    assert models.Project.objects.get_by_natural_key("t-one") == project
    assert stack.natural_key() == ("t-stack",)
    assert models.Stack.objects.get_by_natural_key("t-stack") == stack

    assert str(project) == "Name t-one"
    assert str(stack) == "Test stack"
    assert str(member) == "t-stack: t-one (Model library)"
    assert str(link) == "Repo (https://github.com/x/y)"
    assert str(relation) == "Name t-one runs-on Name t-two"

    assert project.get_absolute_url() == "/catalog/t-one/"
    assert member.get_absolute_url() == project.get_absolute_url()
    assert relation.get_absolute_url() == project.get_absolute_url()
    assert link.get_absolute_url() == "https://github.com/x/y"
    assert stack.get_absolute_url() == "/stacks/t-stack/"
    assert stack.get_catalog_url() == "/catalog/?stack=t-stack"


# --- Language helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zh", "en", "language", "expected"),
    [
        ("中文", "English", "en", "English"),
        ("中文", "English", "en-us", "English"),
        ("中文", "English", "zh-hans", "中文"),
        ("", "English", "zh-hans", "English"),
        ("中文", "", "en", "中文"),
        ("", "", "en", ""),
    ],
)
def test_pick_language(zh, en, language, expected):
    assert pick_language(zh, en, language=language) == expected


def test_pick_language_follows_the_active_language():
    with translation.override("en"):
        assert pick_language("中文", "English") == "English"
    with translation.override("zh-hans"):
        assert pick_language("中文", "English") == "中文"


def test_project_display_helpers_fall_back_to_the_other_language(category):
    project = make_project(
        category,
        features_zh=["特性"],
        features_en=[],
        use_cases_zh=[],
        use_cases_en=["Use"],
        principles_zh="原理",
        principles_en="Principle",
        maintenance=models.Maintenance.UNMAINTAINED,
    )
    with translation.override("en"):
        assert project.display_name == "Name t-one"
        assert project.summary == "English summary."
        assert project.features == ["特性"]
        assert project.use_cases == ["Use"]
        assert project.principles == "Principle"
    with translation.override("zh-hans"):
        assert project.display_name == "名称 t-one"
        assert project.summary == "中文简介。"
        assert project.features == ["特性"]
        assert project.use_cases == ["Use"]
        assert project.principles == "原理"
    assert project.is_unmaintained
    assert project not in models.Project.objects.maintained()
    assert project in models.Project.objects.open_source()


def test_stack_and_member_display_helpers():
    stack = make_stack(description_en="")
    with translation.override("en"):
        assert stack.name == "Test stack"
        assert stack.description == "描述"
    with translation.override("zh-hans"):
        assert stack.name == "测试栈"


# --- Catalog version -----------------------------------------------------------------------


def test_catalog_version_moves_on_every_kind_of_change(category):
    framework = models.Framework.objects.create(slug="t-fw", name_zh="框架", name_en="FW")
    version = get_catalog_version()
    project = make_project(category)
    assert get_catalog_version() > version

    version = get_catalog_version()
    project.summary_en = "Changed."
    project.save()
    assert get_catalog_version() == version + 1

    version = get_catalog_version()
    project.frameworks.add(framework)
    assert get_catalog_version() == version + 1
    project.frameworks.remove(framework)
    assert get_catalog_version() == version + 2
    project.frameworks.add(framework)
    project.frameworks.clear()
    assert get_catalog_version() == version + 4

    version = get_catalog_version()
    link = models.Link.objects.create(
        project=project, title="T", url="https://example.com", type="docs"
    )
    link.delete()
    assert get_catalog_version() == version + 2


def test_versioned_cache_rebuilds_after_a_change(category):
    calls = []

    def build() -> int:
        calls.append(1)
        return models.Project.objects.count()

    cache = VersionedCache(build)
    first = cache.get()
    assert cache.get() == first and len(calls) == 1
    make_project(category)
    assert cache.get() == first + 1
    assert len(calls) == 2


def test_with_facets_loads_a_list_in_constant_queries(category, django_assert_num_queries):
    framework = models.Framework.objects.create(slug="t-fw", name_zh="框架", name_en="FW")
    for index in range(5):
        make_project(category, slug=f"t-{index}").frameworks.add(framework)
    # One query for the projects (with category and successor) + one per M2M facet.
    with django_assert_num_queries(5):
        projects = list(models.Project.objects.filter(slug__startswith="t-").with_facets())
        for project in projects:
            assert project.category.slug == "t-cat"
            assert [f.slug for f in project.frameworks.all()] == ["t-fw"]
            list(project.data_types.all())
            list(project.scales.all())
            list(project.scenarios.all())


def test_stack_with_members_in_constant_queries(category, django_assert_num_queries):
    stack = make_stack(featured=True)
    for index in range(4):
        models.StackMember.objects.create(
            stack=stack,
            project=make_project(category, slug=f"t-{index}"),
            role_zh="角色",
            role_en="Role",
            position=index,
        )
    # Stacks, scenarios, members (with project and category), the members' frameworks.
    with django_assert_num_queries(4):
        stacks = list(models.Stack.objects.filter(slug="t-stack").featured().with_members())
        members = list(stacks[0].members.all())
        assert [m.project.slug for m in members] == ["t-0", "t-1", "t-2", "t-3"]
        for member in members:
            assert member.project.category.slug == "t-cat"
            list(member.project.frameworks.all())
        list(stacks[0].scenarios.all())
