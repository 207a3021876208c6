"""The admin's view of advisor use: query log, feedback, and the questions it could not answer.

Both lists are read-only records (nobody edits what someone asked); editors may delete them.
"Questions we could not answer" (a button on the query list) groups no-fit and unsure queries
and unhelpful feedback by their normalised text, with counts.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .gaps import gap_report
from .models import Feedback, QueryRecord

GAP_PERIODS = (7, 30, 90)


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(QueryRecord)
class QueryRecordAdmin(ReadOnlyRecordAdmin):
    list_display = ("__str__", "verdict", "times", "entries", "confidence", "source", "last_seen")
    list_filter = ("verdict", "source", "language", ("last_seen", admin.DateFieldListFilter))
    search_fields = ("text",)
    date_hierarchy = "last_seen"
    readonly_fields = (
        "text",
        "params",
        "language",
        "verdict",
        "top_entries",
        "confidence",
        "source",
        "times",
        "created",
        "last_seen",
    )
    exclude = ("fingerprint", "window")
    change_list_template = "admin/advisor/queryrecord/change_list.html"

    @admin.display(description=_("top entries"))
    def entries(self, obj: QueryRecord) -> str:
        return ", ".join(obj.top_entries)

    def get_urls(self):
        return [
            path(
                "gaps/",
                self.admin_site.admin_view(self.gaps_view),
                name="advisor_queryrecord_gaps",
            ),
            *super().get_urls(),
        ]

    def gaps_view(self, request: HttpRequest) -> HttpResponse:
        raw = request.GET.get("since", "")
        since = int(raw) if raw.isdigit() and int(raw) in GAP_PERIODS else None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Questions we could not answer"),
            "opts": self.model._meta,
            "gaps": gap_report(since_days=since),
            "since": since,
            "periods": GAP_PERIODS,
        }
        return TemplateResponse(request, "admin/advisor/gaps.html", context)


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyRecordAdmin):
    list_display = ("__str__", "helpful", "expected", "verdict", "source", "created")
    list_filter = ("helpful", "verdict", "source", ("created", admin.DateFieldListFilter))
    search_fields = ("text", "comment")
    date_hierarchy = "created"
    list_select_related = ("expected",)
    readonly_fields = (
        "text",
        "query",
        "helpful",
        "expected",
        "comment",
        "verdict",
        "top_entries",
        "source",
        "created",
    )
