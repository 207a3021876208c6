"""What the advisor keeps about its use: the questions asked (query log) and people's feedback.

Neither holds an IP address, a user agent or a user: a query record is the advise parameters,
the verdict, the top entries, the confidence and when; feedback adds helpful or not, the entry
the person expected and an optional comment. Query records are purged after
``ADVISOR_QUERY_RETENTION_DAYS`` (``manage.py purge_queries``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    FIT = "fit", _("fit")
    UNSURE = "unsure", _("unsure")
    NO_FIT = "no-fit", _("no fit")


class Source(models.TextChoices):
    API = "api", _("JSON API")
    PAGE = "page", _("advisor page")


class QueryRecordQuerySet(models.QuerySet):
    def since(self, days: int | None) -> QueryRecordQuerySet:
        if days is None:
            return self
        return self.filter(last_seen__gte=timezone.now() - dt.timedelta(days=days))

    def unanswered(self) -> QueryRecordQuerySet:
        """Questions the advisor could not answer well: no fit, or unsure."""
        return self.filter(verdict__in=(Verdict.NO_FIT, Verdict.UNSURE))

    def older_than(self, days: int) -> QueryRecordQuerySet:
        return self.filter(last_seen__lt=timezone.now() - dt.timedelta(days=days))


class QueryRecord(models.Model):
    """One question as people asked it; the same question again within the same 10-minute
    window adds to ``times`` instead of a new row (one INSERT ... ON CONFLICT per request)."""

    fingerprint = models.CharField(_("fingerprint"), max_length=64, editable=False)
    window = models.BigIntegerField(_("10-minute window"), editable=False)
    params = models.JSONField(_("parameters"), default=dict)
    text = models.CharField(_("normalised question"), max_length=2000, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    top_entries = models.JSONField(_("top entries"), default=list)
    confidence = models.FloatField(_("confidence"), default=0.0)
    source = models.CharField(_("asked through"), max_length=8, choices=Source.choices)
    times = models.PositiveIntegerField(_("times asked"), default=1)
    created = models.DateTimeField(_("first asked"), default=timezone.now, db_index=True)
    last_seen = models.DateTimeField(_("last asked"), default=timezone.now, db_index=True)

    objects = QueryRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("advisor query")
        verbose_name_plural = _("advisor queries")
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint", "window"], name="advisor_query_once_per_window"
            )
        ]

    def __str__(self) -> str:
        return self.text[:80] or str(_("(structured answers only)"))


class FeedbackQuerySet(models.QuerySet):
    def since(self, days: int | None) -> FeedbackQuerySet:
        if days is None:
            return self
        return self.filter(created__gte=timezone.now() - dt.timedelta(days=days))

    def unhelpful(self) -> FeedbackQuerySet:
        return self.filter(helpful=False)

    def older_than(self, days: int) -> FeedbackQuerySet:
        return self.filter(created__lt=timezone.now() - dt.timedelta(days=days))


class Feedback(models.Model):
    """Helpful or not, for the advice to one question (the advise parameters)."""

    query = models.JSONField(_("question"), default=dict)
    text = models.CharField(_("normalised question"), max_length=2000, blank=True, db_index=True)
    helpful = models.BooleanField(_("helpful"))
    expected = models.ForeignKey(
        "catalog.Project",
        verbose_name=_("expected entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    verdict = models.CharField(_("verdict"), max_length=8, choices=Verdict.choices)
    top_entries = models.JSONField(_("top entries"), default=list)
    source = models.CharField(_("sent through"), max_length=8, choices=Source.choices)
    created = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("advice feedback")
        verbose_name_plural = _("advice feedback")

    def __str__(self) -> str:
        mark = "+" if self.helpful else "-"
        return f"{mark} {self.text[:80]}"
