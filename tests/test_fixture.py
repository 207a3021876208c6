"""The catalog fixture (fixtures/catalog.json) against the checked facts of the manifest.

The manifest's tables are parsed here rather than copied, so a fact changed there and not in the
fixture (or the reverse) fails a test.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.db import models as dj_models

from catalog.models import (
    Category,
    DataType,
    Framework,
    Kind,
    Link,
    Maintenance,
    Project,
    Relation,
    RelationType,
    Scale,
    Scenario,
    Stack,
    StackLayer,
    StackMember,
)
from tests.conftest import FIXTURE, MANIFEST

pytestmark = pytest.mark.django_db

OSI_LICENCES = {"Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "GPL-3.0", "MPL-2.0"}
TRACKING_PARAMS = {"spm", "scm", "accounttraceid", "from_alibabacloud"}


# --- Manifest parsing ------------------------------------------------------------------------


@dataclass
class ManifestEntry:
    slug: str
    kind: str
    cells: list[str]


@dataclass
class ManifestMember:
    slugs: list[str]
    optional: bool


@dataclass
class Manifest:
    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    to_add: dict[str, str] = field(default_factory=dict)
    vocabularies: dict[str, list[str]] = field(default_factory=dict)
    stacks: dict[str, list[ManifestMember]] = field(default_factory=dict)


SECTION_KINDS = {
    "### Open-source projects": Kind.OPEN_SOURCE,
    "### Alibaba Cloud services": Kind.CLOUD_SERVICE,
    "### Learning resources": Kind.LEARNING_RESOURCE,
}


def _table_rows(block: str) -> list[list[str]]:
    rows = []
    for line in block.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "slug":
            continue
        rows.append(cells)
    return rows


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [p for p in [*parts, current.strip()] if p]


@cache
def manifest() -> Manifest:
    text = MANIFEST.read_text(encoding="utf-8")
    result = Manifest()
    sections = re.split(r"\n(?=#{2,3} )", text)
    for section in sections:
        heading = section.splitlines()[0]
        for prefix, kind in SECTION_KINDS.items():
            if heading.startswith(prefix):
                for cells in _table_rows(section):
                    result.entries[cells[0]] = ManifestEntry(cells[0], kind, cells)
        if heading.startswith("## Entries to add"):
            for cells in _table_rows(section):
                result.to_add[cells[0]] = cells[1]
        if heading.startswith("## Controlled vocabularies"):
            for key in ("framework", "data_type", "scale", "scenario"):
                match = re.search(rf"^- {key}: (.*?)(?=^- |\Z|\n\n)", section, re.S | re.M)
                assert match, key
                result.vocabularies[key] = re.findall(r"`([a-z0-9-]+)`", match.group(1))
        if heading.startswith("## Stacks"):
            for slug, members in _table_rows(section):
                parsed = []
                for piece in _split_top_level(members):
                    head, _, note = piece.partition("(")
                    parsed.append(
                        ManifestMember(
                            slugs=[s.strip() for s in head.split(" or ")],
                            optional="optional" in note,
                        )
                    )
                result.stacks[slug] = parsed
    return result


def _vocab_words(cell: str, vocabulary: list[str]) -> set[str]:
    """Vocabulary slugs named in a manifest cell (plural forms count: 'graphs')."""
    lowered = cell.lower()
    return {slug for slug in vocabulary if re.search(rf"(?<![\w-]){slug}s?(?![\w-])", lowered)}


def _outside_parentheses(cell: str) -> str:
    return re.sub(r"\([^)]*\)", "", cell)


def _maintenance_of(cell: str) -> str:
    lowered = cell.lower()
    if lowered.startswith("active"):
        return Maintenance.ACTIVE
    if lowered.startswith("unmaintained"):
        return Maintenance.UNMAINTAINED
    return Maintenance.LOW_ACTIVITY


def _open_source_entries() -> list[ManifestEntry]:
    return [e for e in manifest().entries.values() if e.kind == Kind.OPEN_SOURCE]


def _text_of(instance: dj_models.Model) -> str:
    """Every text-like field of a row, concatenated (JSON lists included)."""
    values = []
    for f in instance._meta.concrete_fields:
        if isinstance(f, dj_models.CharField | dj_models.TextField | dj_models.JSONField):
            values.append(json.dumps(getattr(instance, f.attname), ensure_ascii=False))
    return "\n".join(values)


# --- The parser itself (so that a broken parser cannot make other tests vacuous) ------------


def test_manifest_parser_finds_every_table():
    m = manifest()
    assert len(m.entries) == 43
    assert len(_open_source_entries()) == 27
    assert len(m.vocabularies["scenario"]) == 20
    assert m.vocabularies["framework"] == [
        "tensorflow",
        "pytorch",
        "flink",
        "spark",
        "java",
        "javascript",
        "any",
    ]
    assert len(m.stacks) == 19
    assert {"zvec", "mnn", "funasr", "paimon", "maxcompute"} <= set(m.to_add)
    assert not set(m.to_add) & set(m.entries)
    torch_members = m.stacks["torch-recsys"]
    assert torch_members[1].slugs == ["graph-learn", "graphscope"]
    assert torch_members[1].optional


# --- Vocabularies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "model"),
    [("framework", Framework), ("data_type", DataType), ("scale", Scale), ("scenario", Scenario)],
)
def test_every_manifest_vocabulary_slug_exists(key, model):
    expected = set(manifest().vocabularies[key])
    assert expected <= set(model.objects.values_list("slug", flat=True))


def test_vocabulary_terms_have_both_names():
    for model in (Category, Framework, DataType, Scale, Scenario):
        for term in model.objects.all():
            assert term.name_zh and term.name_en, term.slug


# --- Entries --------------------------------------------------------------------------------


def test_every_manifest_entry_exists_with_its_kind():
    entries = manifest().entries
    actual = dict(Project.objects.values_list("slug", "kind"))
    assert {slug: actual.get(slug) for slug in entries} == {
        slug: entry.kind for slug, entry in entries.items()
    }
    # Every other entry is one the manifest asks to add, under its fixed slug.
    assert set(actual) - set(entries) <= set(manifest().to_add)
    # The corrected stacks need these two right away.
    assert {"zvec", "mnn"} <= set(actual)


def test_every_entry_has_complete_bilingual_content():
    for p in Project.objects.with_facets().prefetch_related("links"):
        assert p.summary_zh.strip() and p.summary_en.strip(), p.slug
        assert len(p.features_zh) >= 3 and len(p.features_en) >= 3, p.slug
        assert len(p.features_zh) == len(p.features_en), p.slug
        assert all(isinstance(x, str) and x.strip() for x in p.features_zh + p.features_en)
        assert p.principles_zh.strip() and p.principles_en.strip(), p.slug
        assert len(p.use_cases_zh) >= 2 and len(p.use_cases_en) >= 2, p.slug
        assert len(p.use_cases_zh) == len(p.use_cases_en), p.slug
        assert p.category_id, p.slug
        assert p.scenarios.all(), p.slug
        assert p.scales.all(), p.slug
        assert p.links.all(), p.slug


def test_open_source_entries_match_manifest_facts():
    for entry in _open_source_entries():
        slug, name, repo, org, _frameworks, _data, licence, _maint = entry.cells
        p = Project.objects.get(slug=slug)
        assert p.name == name, slug
        assert p.license == licence, slug
        assert p.org == _outside_parentheses(org).strip(), slug
        assert p.repo_url == f"https://github.com/{repo.split()[0]}", slug
        assert p.links.filter(type="repo").exists(), slug


def test_open_source_frameworks_follow_the_manifest():
    vocabulary = manifest().vocabularies["framework"]
    for entry in _open_source_entries():
        cell = entry.cells[4]
        required = _vocab_words(_outside_parentheses(cell), vocabulary)
        allowed = _vocab_words(cell, vocabulary)
        actual = set(Project.objects.get(slug=entry.slug).frameworks.values_list("slug", flat=True))
        assert required <= actual <= allowed, (entry.slug, actual, cell)


@pytest.mark.parametrize(
    ("slug", "has", "has_not"),
    [
        ("easyrec", {"tensorflow"}, {"pytorch"}),
        ("torcheasyrec", {"pytorch"}, {"tensorflow"}),
        ("easyrl", {"tensorflow"}, {"pytorch"}),
        ("epl", {"tensorflow"}, {"pytorch"}),
        ("g6", {"javascript"}, {"java"}),
        ("nacos", {"java"}, {"javascript"}),
        ("alink", {"flink", "java"}, {"spark"}),
        ("agl", {"pytorch", "spark"}, {"tensorflow"}),
    ],
)
def test_key_framework_facets(slug, has, has_not):
    actual = set(Project.objects.get(slug=slug).frameworks.values_list("slug", flat=True))
    assert has <= actual
    assert not has_not & actual


def test_data_types_follow_the_manifest():
    vocabulary = manifest().vocabularies["data_type"]
    for entry in manifest().entries.values():
        if entry.kind == Kind.OPEN_SOURCE:
            cell = entry.cells[5]
        elif entry.kind == Kind.CLOUD_SERVICE:
            cell = entry.cells[3]
        else:
            continue
        actual = set(Project.objects.get(slug=entry.slug).data_types.values_list("slug", flat=True))
        if cell.lower().startswith("none"):
            assert not actual, entry.slug
            continue
        required = _vocab_words(_outside_parentheses(cell), vocabulary)
        allowed = _vocab_words(cell, vocabulary)
        if "tensors" in cell or "dataframes" in cell:
            allowed.add("any")
        assert required <= actual <= allowed, (entry.slug, actual, cell)


def test_maintenance_follows_the_manifest():
    for entry in _open_source_entries():
        p = Project.objects.get(slug=entry.slug)
        assert p.maintenance == _maintenance_of(entry.cells[7]), entry.slug
        if p.maintenance != Maintenance.ACTIVE:
            assert p.maintenance_note, entry.slug
    unmaintained = set(
        Project.objects.filter(
            maintenance=Maintenance.UNMAINTAINED, slug__in=manifest().entries
        ).values_list("slug", flat=True)
    )
    assert unmaintained == {"easytransfer", "easyrl", "easydispatch", "epl", "proxima", "agl"}
    services = Project.objects.exclude(kind=Kind.OPEN_SOURCE)
    assert set(services.values_list("maintenance", flat=True)) == {Maintenance.ACTIVE}


def test_successors():
    successors = dict(
        Project.objects.filter(successor__isnull=False).values_list("slug", "successor__slug")
    )
    assert successors["easytransfer"] == "easynlp"
    assert successors["easyrec"] == "torcheasyrec"
    assert successors["proxima"] == "zvec"
    for p in Project.objects.filter(successor__isnull=False).select_related("successor"):
        # A successor is set only on entries that are no longer active ...
        assert p.maintenance != Maintenance.ACTIVE, p.slug
        # ... and the successor says so as a relation, too.
        assert Relation.objects.filter(
            source=p.successor, target=p, type=RelationType.SUCCESSOR_OF
        ).exists(), p.slug
        assert p.successor.slug in p.maintenance_note.lower(), p.slug
    assert successors["graph-learn"] == "graphlearn-for-pytorch"


def test_services_and_learning_resources_are_proprietary():
    for p in Project.objects.exclude(kind=Kind.OPEN_SOURCE):
        assert p.license == "Proprietary", p.slug
        assert p.repo_url == "", p.slug


@pytest.mark.parametrize(
    ("slug", "category"),
    [
        ("hybridbackend", "recommendation"),
        ("airec", "recommendation"),
        ("bladedisc", "training-inference"),
        ("mindopt", "decision-optimization"),
        ("kind", "infrastructure"),
        ("tianchi-competitions", "learning"),
        ("graphscope-interactive", "graph"),
    ],
)
def test_categories(slug, category):
    assert Project.objects.get(slug=slug).category.slug == category


# --- Errata ---------------------------------------------------------------------------------


def test_no_modelarts_anywhere():
    for model in (Project, Link, Relation, Stack, StackMember):
        for row in model.objects.all():
            assert "modelarts" not in _text_of(row).lower(), (model.__name__, row.pk)


def test_kind_is_not_alibaba():
    p = Project.objects.get(slug="kind")
    assert "alibaba" not in p.org.lower()
    assert p.org == "Kubernetes SIGs"


def test_mindopt_is_a_closed_source_cloud_service():
    p = Project.objects.get(slug="mindopt")
    assert p.kind == Kind.CLOUD_SERVICE
    assert p.license not in OSI_LICENCES
    assert p.repo_url == ""


def test_moved_repositories_use_their_current_owner():
    assert "DeepRec-AI/DeepRec" in Project.objects.get(slug="deeprec").repo_url
    assert "DeepRec-AI/HybridBackend" in Project.objects.get(slug="hybridbackend").repo_url
    assert "v6d-io/v6d" in Project.objects.get(slug="vineyard").repo_url
    assert not Link.objects.filter(url__icontains="github.com/alibaba/DeepRec").exists()
    assert not Link.objects.filter(url__icontains="github.com/alibaba/HybridBackend").exists()


def test_easyrec_does_not_require_deeprec():
    p = Project.objects.get(slug="easyrec")
    assert "DeepRec" in p.summary_en and "optional" in p.summary_en
    assert "Kafka" in " ".join(p.features_en)


def test_urls_carry_no_tracking_parameters():
    urls = list(Link.objects.values_list("url", flat=True))
    urls += [u for u in Project.objects.values_list("homepage", flat=True) if u]
    assert urls
    for url in urls:
        assert "spm=" not in url, url
        params = {k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
        assert not params & TRACKING_PARAMS, url


def test_links_are_unique_per_entry_ignoring_case_and_trailing_slash():
    seen = set()
    for project_id, url in Link.objects.values_list("project_id", "url"):
        key = (project_id, url.lower().rstrip("/"))
        assert key not in seen, url
        seen.add(key)


# --- Relations ------------------------------------------------------------------------------


def test_relations_are_never_to_self():
    assert Relation.objects.count() >= 25
    for r in Relation.objects.all():
        assert r.source_id != r.target_id


@pytest.mark.parametrize(
    ("source", "type_", "target"),
    [
        ("easyrec", "integrates-with", "deeprec"),
        ("hybridbackend", "integrates-with", "deeprec"),
        ("torcheasyrec", "successor-of", "easyrec"),
        ("easynlp", "successor-of", "easytransfer"),
        ("graphscope-interactive", "part-of", "graphscope"),
        ("graph-learn", "part-of", "graphscope"),
        ("graphscope", "integrates-with", "vineyard"),
        ("graphscope", "integrates-with", "libgrape-lite"),
    ],
)
def test_key_relations_exist(source, type_, target):
    assert Relation.objects.filter(source__slug=source, type=type_, target__slug=target).exists()


# --- Stacks ---------------------------------------------------------------------------------


def test_manifest_stacks_have_exactly_their_members():
    for slug, expected in manifest().stacks.items():
        stack = Stack.objects.get(slug=slug)
        members = {m.project.slug: m for m in stack.members.select_related("project")}
        expected_slugs = {s for member in expected for s in member.slugs}
        assert set(members) == expected_slugs, slug
        for member in expected:
            for s in member.slugs:
                assert members[s].optional == member.optional, (slug, s)
                assert members[s].role_zh and members[s].role_en, (slug, s)
            if len(member.slugs) > 1:
                groups = {members[s].choice_group for s in member.slugs}
                assert len(groups) == 1 and "" not in groups, (slug, member.slugs)
                others = {m.choice_group for s, m in members.items() if s not in member.slugs}
                assert not groups & others, slug
        assert stack.name_zh and stack.name_en and stack.description_zh and stack.description_en
        assert stack.scenarios.exists(), slug


def test_choice_groups_named_in_the_brief():
    def group(stack: str, project: str) -> str:
        return StackMember.objects.get(stack__slug=stack, project__slug=project).choice_group

    assert group("torch-recsys", "graph-learn") == group("torch-recsys", "graphscope")
    assert group("torch-recsys", "graphscope") == "graph-sampling"
    assert group("graph-risk-control", "tugraph-db") == "graph-engine"
    assert group("graph-risk-control", "agl") == "graph-learning"
    assert group("graph-risk-control", "g6") == ""


def test_stack_counterparts_and_featured():
    tf = Stack.objects.get(slug="tf-recsys")
    torch = Stack.objects.get(slug="torch-recsys")
    assert tf.counterpart == torch and torch.counterpart == tf
    featured = set(Stack.objects.featured().values_list("slug", flat=True))
    assert {
        "tf-recsys",
        "torch-recsys",
        "graph-database",
        "nlp-pipeline",
        "llm-rag",
        "graph-risk-control",
    } <= featured
    assert len(featured) < Stack.objects.count()


# --- Loading ---------------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    counted = [
        Category,
        Framework,
        DataType,
        Scale,
        Scenario,
        Project,
        Link,
        Relation,
        Stack,
        StackMember,
    ]
    result = {m.__name__: m.objects.count() for m in counted}
    for m2m in ("frameworks", "data_types", "scales", "scenarios"):
        result[m2m] = getattr(Project, m2m).through.objects.count()
    result["stack_scenarios"] = Stack.scenarios.through.objects.count()
    return result


def test_loading_twice_does_not_duplicate():
    before = _counts()
    shipped = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert before["Project"] == sum(r["model"] == "catalog.project" for r in shipped)
    call_command("loaddata", "catalog", verbosity=0)
    assert _counts() == before


def test_reloading_restores_edited_content():
    p = Project.objects.get(slug="easyrec")
    p.summary_en = "edited"
    p.save()
    p.frameworks.clear()
    call_command("loaddata", "catalog", verbosity=0)
    p.refresh_from_db()
    assert p.summary_en != "edited"
    assert list(p.frameworks.values_list("slug", flat=True)) == ["tensorflow"]


# --- Beyond the seed (entries added from the manifest's "Entries to add") ------------------


REQUIRED_ADDITIONS = {
    "zvec", "graphlearn-for-pytorch", "pairec", "mnn", "funasr", "modelscope", "qwen",
    "rtp-llm", "havenask", "flink", "paimon", "maxcompute",
}  # fmt: skip


def test_the_catalog_covers_the_ecosystem_beyond_the_seed():
    slugs = set(Project.objects.values_list("slug", flat=True))
    added = slugs - set(manifest().entries)
    assert len(slugs) >= 68
    assert len(added) >= 25
    assert REQUIRED_ADDITIONS <= added


def test_added_entries_have_what_the_first_43_have():
    added = Project.objects.exclude(slug__in=list(manifest().entries)).prefetch_related("links")
    for p in added:
        assert p.maintenance_note and p.maintenance_note_zh, p.slug
        if p.kind == Kind.OPEN_SOURCE:
            assert p.repo_url.startswith("https://github.com/"), p.slug
            assert p.links.filter(type="repo").exists(), p.slug
            assert p.license in OSI_LICENCES | {"NOASSERTION"}, p.slug
            assert p.health_checked is not None, p.slug
        for link in p.links.all():
            assert link.title and link.title_en, (p.slug, link.url)


def test_a_licence_the_field_cannot_say_is_in_the_bilingual_note():
    qwen = Project.objects.get(slug="qwen")
    assert qwen.license_note_zh and qwen.license_note_en
    assert "Apache-2.0" in qwen.license_note_en


@pytest.mark.parametrize(
    ("source", "type_", "target"),
    [
        ("zvec", "successor-of", "proxima"),
        ("graphlearn-for-pytorch", "successor-of", "graph-learn"),
        ("havenask", "part-of", "opensearch"),
        ("alink", "runs-on", "flink"),
        ("paimon", "integrates-with", "flink"),
        ("fluss", "integrates-with", "flink"),
        ("tinyneuralnetwork", "integrates-with", "mnn"),
        ("funasr", "alternative-to", "nls"),
        ("cosyvoice", "alternative-to", "nls"),
    ],
)
def test_added_entries_are_related_to_the_catalog(source, type_, target):
    assert Relation.objects.filter(source__slug=source, type=type_, target__slug=target).exists()


@pytest.mark.parametrize(
    ("stack", "core", "members"),
    [
        ("llm-training", "pai-megatron-patch", {"chatlearn", "pai"}),
        ("self-hosted-speech", "funasr", {"cosyvoice"}),
        ("realtime-lakehouse", "paimon", {"flink", "fluss"}),
        ("managed-bigdata", "maxcompute", {"dataworks", "hologres"}),
    ],
)
def test_new_stacks_built_from_added_entries(stack, core, members):
    rows = StackMember.objects.filter(stack__slug=stack)
    assert set(rows.filter(core=True).values_list("project__slug", flat=True)) == {core}
    assert members <= set(rows.values_list("project__slug", flat=True))


def test_every_stack_member_has_a_layer_and_every_stack_a_core():
    for stack in Stack.objects.prefetch_related("members"):
        members = list(stack.members.all())
        assert any(m.core for m in members), stack.slug
        for m in members:
            assert m.layer in StackLayer.values, (stack.slug, m.project_id)
