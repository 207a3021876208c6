"""The searchable text of an entry, shared by the catalog search and the advisor's index."""

from __future__ import annotations

from .models import Project


def project_document_text(project: Project) -> str:
    """Names (weighted by repetition), summaries, features, principles, scenarios and facet names,
    in both languages. Expects facets prefetched (``Project.objects.with_facets()``)."""
    return "\n".join(project_document_parts(project))


def project_document_parts(project: Project) -> list[str]:
    """``project_document_text`` as its non-empty parts (lines), each tokenised and cached on
    its own: an edit to one field re-tokenises that part only."""
    names = f"{project.name} {project.name_zh} {project.slug.replace('-', ' ')}"
    facet_names = " ".join(
        f"{term.name_zh} {term.name_en}"
        for terms in (project.scenarios.all(), project.data_types.all(), project.frameworks.all())
        for term in terms
    )
    category = project.category
    category_names = f"{category.name_zh} {category.name_en}" if category else ""
    parts = [
        names,
        names,
        names,
        project.summary_zh,
        project.summary_en,
        " ".join(project.features_zh),
        " ".join(project.features_en),
        project.principles_zh,
        project.principles_en,
        " ".join(project.use_cases_zh),
        " ".join(project.use_cases_en),
        facet_names,
        category_names,
    ]
    return [part for part in parts if part]
