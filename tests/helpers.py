"""Helpers shared by the catalog test modules: a small catalog counted by hand.

The builder wipes the catalog first (the test's transaction rolls it back), so tests that use it
hold whether or not the full catalog fixture is loaded.
"""

from __future__ import annotations

from django.db import connection
from django.http import QueryDict

from catalog import search
from catalog.models import (
    Category,
    DataType,
    FactSource,
    Framework,
    Link,
    Project,
    Relation,
    Scale,
    Scenario,
    Stack,
    StackMember,
)
from catalog.queries import CatalogQuery, run_catalog_query
from catalog.versioning import bump_catalog_version

# --- A small catalog, counted by hand --------------------------------------------------------
#
# slug     kind           category  frameworks           data     scale    scenario
# alpha    open-source    recsys    tensorflow           tabular  cluster  recommendation
# beta     open-source    recsys    pytorch              tabular  cluster  recommendation
# gamma    open-source    graph     tensorflow, pytorch  graph    cluster  knowledge-graph
# delta    open-source    graph     -                    graph    single   knowledge-graph
# epsilon  cloud-service  cloud     -                    text     cluster  nlp
# zeta     open-source    nlp       tensorflow           text     single   nlp
#
# slug     org            licence      maintenance
# alpha    Alibaba        Apache-2.0   active
# beta     Alibaba        Apache-2.0   active
# gamma    Alibaba        Apache-2.0   low-activity
# delta    Ant Group      MIT          unmaintained
# epsilon  Alibaba Cloud  Proprietary  active
# zeta     Alibaba        Apache-2.0   unmaintained
# Stack "recsys-stack": alpha, beta.  Framework "flink" exists but no entry uses it.

SMALL = [
    ("alpha", "Alpha", "open-source", "recsys", ["tensorflow"], ["tabular"], ["cluster"],
     ["recommendation"], "Alibaba", "Apache-2.0", "active",
     "A recommendation model library for sparse features. 推荐算法模型库。"),
    ("beta", "Beta", "open-source", "recsys", ["pytorch"], ["tabular"], ["cluster"],
     ["recommendation"], "Alibaba", "Apache-2.0", "active",
     "PyTorch training of recommender models. 推荐模型训练。"),
    ("gamma", "Gamma", "open-source", "graph", ["tensorflow", "pytorch"], ["graph"], ["cluster"],
     ["knowledge-graph"], "Alibaba", "Apache-2.0", "low-activity",
     "A distributed graph database for online queries. 分布式图数据库。"),
    ("delta", "Delta", "open-source", "graph", [], ["graph"], ["single"],
     ["knowledge-graph"], "Ant Group", "MIT", "unmaintained",
     "Draw graphs in the browser. 图可视化。"),
    ("epsilon", "Epsilon", "cloud-service", "cloud", [], ["text"], ["cluster"],
     ["nlp"], "Alibaba Cloud", "Proprietary", "active",
     "A managed natural language processing service. 自然语言处理服务。"),
    ("zeta", "Zeta", "open-source", "nlp", ["tensorflow"], ["text"], ["single"],
     ["nlp"], "Alibaba", "Apache-2.0", "unmaintained",
     "Transfer learning for text classification. 迁移学习。"),
]


def wipe_catalog() -> None:
    """Remove every entry (the test's transaction is rolled back afterwards).

    Plain SQL DELETEs: going through the ORM would write a history row and bump the catalog
    version for each of several hundred objects of the real catalog (seconds per test).
    """
    tables = [
        model._meta.db_table
        for model in (
            FactSource,
            StackMember,
            Stack.scenarios.through,
            Stack,
            Relation,
            Link,
            Project.frameworks.through,
            Project.data_types.through,
            Project.scales.through,
            Project.scenarios.through,
        )
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        project_table = connection.ops.quote_name(Project._meta.db_table)
        cursor.execute(f"UPDATE {project_table} SET successor_id = NULL")
        cursor.execute(f"DELETE FROM {project_table}")
        for model in (Category, Framework, DataType, Scale, Scenario):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    bump_catalog_version()


def make_project(
    slug: str,
    *,
    name: str | None = None,
    kind: str = "open-source",
    category: str = "misc",
    frameworks=(),
    data_types=(),
    scales=(),
    scenarios=(),
    org: str = "Alibaba",
    license: str = "Apache-2.0",
    maintenance: str = "active",
    summary: str = "",
) -> Project:
    def term(model, term_slug: str):
        return model.objects.get_or_create(
            slug=term_slug,
            defaults={"name_zh": f"{term_slug}-zh", "name_en": term_slug.replace("-", " ").title()},
        )[0]

    project = Project.objects.create(
        slug=slug,
        name=name or slug.title(),
        name_zh=f"{name or slug}-中文",
        kind=kind,
        category=term(Category, category),
        org=org,
        license=license,
        maintenance=maintenance,
        summary_zh=summary,
        summary_en=summary,
    )
    # Through rows in bulk: .set() would write a history row per term (slow); one version
    # bump at the end tells the search index the catalog changed, as the signals would.
    for manager, model, term_slugs, column in (
        (Project.frameworks, Framework, frameworks, "framework"),
        (Project.data_types, DataType, data_types, "datatype"),
        (Project.scales, Scale, scales, "scale"),
        (Project.scenarios, Scenario, scenarios, "scenario"),
    ):
        manager.through.objects.bulk_create(
            manager.through(project=project, **{column: term(model, s)}) for s in term_slugs
        )
    bump_catalog_version()
    return project


def build_small_catalog() -> dict[str, Project]:
    wipe_catalog()
    search.clear_search_index()
    Framework.objects.create(slug="flink", name_zh="Flink", name_en="Flink", position=9)
    projects = {}
    for (slug, name, kind, category, frameworks, data_types, scales, scenarios, org, lic,
         maintenance, summary) in SMALL:
        projects[slug] = make_project(
            slug, name=name, kind=kind, category=category, frameworks=frameworks,
            data_types=data_types, scales=scales, scenarios=scenarios, org=org, license=lic,
            maintenance=maintenance, summary=summary,
        )
    stack = Stack.objects.create(
        slug="recsys-stack", name_zh="推荐栈", name_en="Recsys stack",
        description_zh="推荐", description_en="Recommendation",
    )
    StackMember.objects.create(stack=stack, project=projects["alpha"], role_zh="模型",
                               role_en="Models", position=1)
    StackMember.objects.create(stack=stack, project=projects["beta"], role_zh="训练",
                               role_en="Training", optional=True, position=2)
    return projects


def query(qs: str) -> CatalogQuery:
    """Run the catalog list's query for a query string, as the page and the API do."""
    return run_catalog_query(params=QueryDict(qs))


def slugs(result: CatalogQuery) -> list[str]:
    return [project.slug for project in result.projects]
