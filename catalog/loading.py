"""Saving serialized rows (the catalog fixture, a backup) without invented history.

Django's ``loaddata`` saves each row raw, then sets its many-to-many values; simple-history
records nothing for the raw save but a "changed" version for every many-to-many ``set()``,
dated at the load (a backup restored into a fresh database gained 164 such versions), and the
catalog-version signal appends a change row per row. Here rows are saved the same way with
both turned off; the callers then write the history that is true (``record_loaded_history``)
or none at all (a restore brings its own).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.management.color import no_style
from django.core.serializers.base import DeserializedObject
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.signals import post_save
from simple_history.models import HistoricalRecords

from .versioning import versioning_suspended


def save_rows(
    rows: Iterable[DeserializedObject], *, using: str = DEFAULT_DB_ALIAS
) -> list[models.Model]:
    """Save deserialized rows as ``loaddata`` does (raw saves, many-to-many values, forward
    references, constraints checked at the end, sequences reset), with no history versions
    and no catalog change rows. ``rows`` is consumed lazily (natural keys may name rows saved
    just before); deserialize with ``handle_forward_references=True``. Call inside a
    transaction; returns the saved instances."""
    instances: list[models.Model] = []
    connection = connections[using]
    try:
        with versioning_suspended(), connection.constraint_checks_disabled():
            deferred = []
            for row in rows:
                row.object.skip_history_when_saving = True  # simple-history's own switch
                instances.append(row.object)
                row.save(using=using)
                if row.deferred_fields:
                    deferred.append(row)
            for row in deferred:
                row.save_deferred_fields(using=using)
    finally:
        for obj in instances:
            obj.__dict__.pop("skip_history_when_saving", None)
    touched = {type(obj) for obj in instances}
    connection.check_constraints(table_names=[m._meta.db_table for m in touched])
    statements = connection.ops.sequence_reset_sql(no_style(), list(touched))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return instances


def _history_recorder(model: type[models.Model]) -> HistoricalRecords | None:
    """The ``HistoricalRecords`` that tracks ``model`` (it listens to the model's post_save)."""
    if not hasattr(model._meta, "simple_history_manager_attribute"):
        return None
    for (_receiver_key, sender_key), receiver, *_ in post_save.receivers:
        owner = getattr(receiver, "__self__", None)
        if sender_key == id(model) and isinstance(owner, HistoricalRecords):
            return owner
    raise LookupError(f"{model.__name__} has a history manager but no history recorder")


def _same_state(recorder: HistoricalRecords, record, obj: models.Model) -> bool:
    for field in recorder.fields_included(obj):
        if getattr(record, field.attname) != getattr(obj, field.attname):
            return False
    for field in recorder.get_m2m_fields_from_model(type(obj)):
        target = field.m2m_reverse_field_name()
        saved = {getattr(row, f"{target}_id") for row in getattr(record, field.name).all()}
        if saved != set(getattr(obj, field.name).values_list("pk", flat=True)):
            return False
    return True


def record_loaded_history(objects: Iterable[models.Model], *, reason: str) -> int:
    """Give each loaded row whose content is not what its newest history version says a new
    version with ``reason``: "created" for a row without history (its first version), "changed"
    for one that differed. Returns the number of versions written."""
    written = 0
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    for model, instances in by_model.items():
        recorder = _history_recorder(model)
        if recorder is None:
            continue
        fresh = model._default_manager.in_bulk([obj.pk for obj in instances])
        history = getattr(model, model._meta.simple_history_manager_attribute)
        newest = {}
        for record in history.filter(
            **{f"{model._meta.pk.attname}__in": list(fresh)}
        ).order_by("history_date", "history_id"):
            newest[getattr(record, model._meta.pk.attname)] = record
        for pk, obj in fresh.items():
            record = newest.get(pk)
            if record is not None and _same_state(recorder, record, obj):
                continue
            obj._change_reason = reason
            recorder.create_historical_record(obj, "+" if record is None else "~")
            written += 1
    return written
