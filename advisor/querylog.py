"""The query log: one row per question people asked, counted when asked again soon.

``log_advice`` is called by the views for advice someone asked for (``/api/advise/`` GETs, a
submitted questionnaire), never by the CLI, the evaluation or benchmarks. It is one SQL
statement, ``INSERT ... ON CONFLICT (fingerprint, window) DO UPDATE SET times = times + 1``:
the same question within the same 10-minute window adds to the counter instead of a row.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone

from .engine.types import Advice
from .models import Feedback, QueryRecord, Source

WINDOW_SECONDS = 600
TOP_ENTRIES = 3
# The question's parameters that make it "the same question" (not the page size or language).
QUESTION_KEYS = (
    "q",
    "scenario",
    "scale",
    "framework",
    "data_type",
    "deployment",
    "maintained_only",
    "open_source_only",
)

_SPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = "?？!！.。,，;；:：、~～…-—_ \"'“”‘’()（）[]【】"


def normalise_text(text: str) -> str:
    """The question as grouped for the gap report: NFKC (full-width -> ASCII), lower case,
    whitespace collapsed, punctuation trimmed from both ends."""
    flat = _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().lower()
    return flat.strip(_EDGE_PUNCTUATION)


def question_key(params: dict[str, Any]) -> dict[str, Any]:
    key = {name: params.get(name) for name in QUESTION_KEYS}
    key["q"] = normalise_text(str(key.get("q") or ""))
    return key


def fingerprint(params: dict[str, Any]) -> str:
    canonical = json.dumps(question_key(params), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def top_entries(advice: Advice | None) -> list[str]:
    if advice is None:
        return []
    return [p.slug for p in (advice.projects or advice.nearest)[:TOP_ENTRIES]]


def enabled() -> bool:
    return bool(getattr(settings, "ADVISOR_LOG_QUERIES", True))


def log_advice(*, params: dict[str, Any], advice: Advice | None, source: Source) -> None:
    """Record one asked question (nothing when the log is off or there was nothing to rank)."""
    if advice is None:
        return
    log_query(
        params=params,
        verdict=advice.verdict,
        confidence=advice.confidence,
        entries=top_entries(advice),
        source=source,
    )


def log_payload(*, payload: dict[str, Any], source: Source) -> None:
    """Record the question behind an ``/api/advise/`` answer (not an empty one)."""
    if payload.get("message") or "verdict" not in payload:
        return
    listed = payload.get("projects") or payload.get("nearest") or []
    log_query(
        params=payload["query"],
        verdict=payload["verdict"],
        confidence=payload.get("confidence") or 0.0,
        entries=[item["slug"] for item in listed[:TOP_ENTRIES]],
        source=source,
    )


def log_query(
    *, params: dict[str, Any], verdict: str, confidence: float, entries: list[str], source: Source
) -> None:
    if not enabled():
        return
    now = timezone.now()
    record = QueryRecord(
        fingerprint=fingerprint(params),
        window=int(now.timestamp()) // WINDOW_SECONDS,
        params=params,
        text=normalise_text(str(params.get("q") or "")),
        language=str(params.get("lang") or ""),
        verdict=verdict,
        top_entries=entries,
        confidence=round(float(confidence), 4),
        source=source,
        created=now,
        last_seen=now,
    )
    _upsert(record)


def _upsert(record: QueryRecord) -> None:
    """INSERT, or on the same (fingerprint, window) add one to ``times``: one statement."""
    meta = QueryRecord._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    query = InsertQuery(
        QueryRecord,
        on_conflict=OnConflict.UPDATE,
        update_fields=[meta.get_field("times"), meta.get_field("last_seen")],
        unique_fields=[meta.get_field("fingerprint"), meta.get_field("window")],
    )
    query.insert_values(fields, [record])
    quote = connection.ops.quote_name
    times, table = quote("times"), quote(meta.db_table)
    # Django writes "SET times = EXCLUDED.times"; the counter adds one instead.
    plain = f"{times} = EXCLUDED.{times}"
    counted = f"{times} = {table}.{times} + 1"
    with connection.cursor() as cursor:
        for sql, sql_params in query.get_compiler(connection=connection).as_sql():
            if plain not in sql:
                raise RuntimeError("unexpected upsert SQL for the query log")
            cursor.execute(sql.replace(plain, counted), sql_params)


def purge(*, days: int) -> tuple[int, int]:
    """Delete query records last asked, and feedback sent, more than ``days`` days ago;
    how many of each went."""
    queries, _ = QueryRecord.objects.older_than(days).delete()
    feedback, _ = Feedback.objects.older_than(days).delete()
    return queries, feedback
