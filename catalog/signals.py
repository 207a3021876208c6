"""Every change to catalog content bumps the catalog version (see ``versioning``); after
responses, the heap's free pages go back to the system now and then."""

from django.core.signals import request_finished
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import models
from .versioning import bump_catalog_version, release_free_memory_now_and_then

VERSIONED_MODELS = (
    models.Project,
    models.Link,
    models.Relation,
    models.Stack,
    models.StackMember,
    models.Category,
    models.Framework,
    models.DataType,
    models.Scale,
    models.Scenario,
)

M2M_THROUGH = (
    models.Project.frameworks.through,
    models.Project.data_types.through,
    models.Project.scales.through,
    models.Project.scenarios.through,
    models.Stack.scenarios.through,
)


def _on_change(sender, **kwargs) -> None:
    bump_catalog_version()


def _on_m2m_change(sender, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        bump_catalog_version()


def connect() -> None:
    # Not a catalog change: the heap the requests' index reads leave (``versioning``).
    request_finished.connect(
        release_free_memory_now_and_then, dispatch_uid="catalog-release-free-memory"
    )
    for model in VERSIONED_MODELS:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"catalog-version-save-{model}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"catalog-version-delete-{model}"
        )
    for through in M2M_THROUGH:
        m2m_changed.connect(
            _on_m2m_change, sender=through, dispatch_uid=f"catalog-version-m2m-{through}"
        )
