"""Catalog data reaches the advisor from the database: vocabulary names and entry aliases."""

from __future__ import annotations

import importlib
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from advisor.catalog_source import get_engine, load_labels
from advisor.engine.types import Answers
from catalog.admin import ProjectAdminForm
from catalog.models import Project, Scenario
from tests.conftest import ROOT
from tests.helpers import make_project

pytestmark = pytest.mark.django_db

ALIASES_FILE = ROOT / "fixtures" / "project_aliases.json"


def _reason(advice, slug: str, code: str):
    project = next(p for p in advice.projects if p.slug == slug)
    return next(r for r in project.reasons if r.code == code)


def test_a_term_an_editor_adds_is_named_in_reasons_not_shown_as_its_slug(real_catalog):
    Scenario.objects.create(slug="quantum-sim", name_zh="量子模拟", name_en="Quantum simulation")
    project = make_project("qsim", scenarios=["quantum-sim"], summary="simulator")
    assert project.scenarios.get().name_en == "Quantum simulation"
    english = get_engine().advise(Answers(scenario="quantum-sim", language="en"))
    reason = _reason(english, "qsim", "scenario")
    assert reason.message_en == "made for quantum simulation"  # in a sentence: lower case
    assert reason.message_zh == "适用于量子模拟"


def test_labels_are_the_vocabularies_names(real_catalog):
    labels = load_labels()
    assert labels["tensorflow"] == ("TensorFlow", "TensorFlow")  # a proper name keeps its case
    assert labels["graph"] == ("图数据", "graphs")
    assert labels["llm-applications"][1] == "LLM applications"  # an acronym stays


def test_an_alias_an_editor_adds_names_the_entry(real_catalog):
    question = Answers(text="Zephyrine 的替代方案", language="zh")
    before = get_engine().advise(question).projects
    assert not before or before[0].slug != "mindopt"
    mindopt = Project.objects.get(slug="mindopt")
    mindopt.aliases = [*mindopt.aliases, "Zephyrine"]
    mindopt.save()
    advice = get_engine().advise(question)  # the catalog version changed: rebuilt
    assert advice.projects[0].slug == "mindopt"
    assert _reason(advice, "mindopt", "name").message_zh.endswith("（“zephyrine”）")
    assert mindopt.history.first().aliases[-1] == "Zephyrine"  # audited like any edit


def test_the_former_project_aliases_are_in_the_catalog(real_catalog):
    assert "aligraph" in Project.objects.get(slug="graph-learn").aliases
    assert "v6d" in Project.objects.get(slug="vineyard").aliases
    engine = get_engine()
    assert engine.advise(Answers(text="AliGraph")).projects[0].slug == "graph-learn"
    assert engine.advise(Answers(text="GeaFlow 流图计算")).projects[0].slug == "tugraph-analytics"


def test_the_data_migration_and_load_catalog_fill_the_same_aliases(real_catalog):
    migration = importlib.import_module("catalog.migrations.0006_http_project_aliases")
    shipped = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    assert migration.ALIASES == shipped
    Project.objects.filter(slug="vineyard").update(aliases=[])
    Project.objects.filter(slug="easyrec").update(aliases=["kept by an editor"])
    migration.fill_aliases(apps, None)
    assert Project.objects.get(slug="vineyard").aliases == shipped["vineyard"]
    assert Project.objects.get(slug="easyrec").aliases == ["kept by an editor"]


def test_load_catalog_force_gives_every_listed_entry_its_aliases(real_catalog):
    out = StringIO()
    call_command("load_catalog", "--force", stdout=out)
    shipped = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    rows = dict(Project.objects.filter(slug__in=shipped).values_list("slug", "aliases"))
    assert set(rows) == set(shipped)
    assert all(rows[slug] for slug in shipped)
    assert "aliases for" in out.getvalue() or all(rows[slug] == shipped[slug] for slug in rows)


def test_the_admin_edits_aliases_one_per_line_without_repeats(real_catalog):
    project = Project.objects.get(slug="vineyard")
    form = ProjectAdminForm(instance=project)
    assert form.initial["aliases"] == project.aliases
    field = form.fields["aliases"]
    assert field.clean("v6d\n\nVineyard\nV6D\n") == ["v6d", "Vineyard", "V6D"]
    bound = ProjectAdminForm(instance=project, data={"aliases": "a" * 101})
    bound.is_valid()
    assert "aliases" in bound.errors
