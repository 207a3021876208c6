"""The editors' admin: every catalog model, with history (who changed what, when) and revert.

Every admin is a ``SimpleHistoryAdmin``: the "History" button lists an object's versions with
the user and the changed fields; opening a version shows it in a form whose "Revert" button
saves it back. Forms check what the database constraints check (no self relation, not its own
successor...), so bad input is a form error, never an IntegrityError.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models as dj_models
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import models

MAX_LIST_ITEM_LENGTH = 1000
MAX_LIST_ITEMS = 100


class LinesField(forms.Field):
    """A list of strings edited as a textarea, one item per line (blank lines are ignored)."""

    widget = forms.Textarea(attrs={"rows": 6, "cols": 90})
    default_error_messages = {
        "invalid": _("Enter one item per line."),
        "too_long": _("Line %(line)s is longer than %(max)s characters."),
        "too_many": _("Enter at most %(max)s items."),
    }

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        if value in self.empty_values:
            return []
        if isinstance(value, list | tuple):
            lines = [str(item) for item in value]
        elif isinstance(value, str):
            lines = value.splitlines()
        else:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return [line.strip() for line in lines if line.strip()]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > MAX_LIST_ITEMS:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_LIST_ITEMS}
            )
        for number, item in enumerate(value, start=1):
            if len(item) > MAX_LIST_ITEM_LENGTH:
                raise ValidationError(
                    self.error_messages["too_long"],
                    code="too_long",
                    params={"line": number, "max": MAX_LIST_ITEM_LENGTH},
                )

    def has_changed(self, initial, data) -> bool:
        return self.to_python(initial) != self.to_python(data)


LIST_HELP = _("One item per line.")


def url_as_https(db_field, **kwargs):
    """Model form fields, with URLs typed without a scheme taken as https (Django 6 default)."""
    if isinstance(db_field, dj_models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def _require_integer_ids(*ids: str) -> None:
    """Every catalog model's key and history id is an integer: anything else names no object
    (simple-history would pass it to the database and fail with a 500)."""
    for value in ids:
        text = str(value)
        # 18 digits stay inside a 64-bit integer column.
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            raise Http404(_("No such object or version."))


class HistoryAdmin(SimpleHistoryAdmin):
    """Base admin: history and revert; URLs typed without a scheme are taken as https."""

    formfield_overrides = {dj_models.URLField: {"assume_scheme": "https"}}

    class Media:
        # Wide inline tables scroll in their box instead of widening the page.
        css = {"all": ("css/admin.css",)}
    # M2M fields that HistoricalRecords(m2m_fields=...) tracks, restored by the revert form.
    history_m2m_fields: tuple[str, ...] = ()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method in {"GET", "HEAD"}:
            # Showing a form writes nothing. Django wraps it in a transaction anyway, and on
            # SQLite (IMMEDIATE transactions) that took the write lock for the whole render,
            # so editors opening pages queued behind, and delayed, editors saving.
            return self._changeform_view(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        _require_integer_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _require_integer_ids(object_id, version_id)
        # Remembered for get_form: the revert form must show the version's facets too.
        request._catalog_history_version = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        version_id = getattr(request, "_catalog_history_version", None)
        if version_id is None or not self.history_m2m_fields:
            return form_class
        record = self.model.history.filter(history_id=version_id).first()
        if record is None:
            return form_class
        return historical_m2m_form(
            form_class=form_class,
            initial=historical_m2m_initial(
                model=self.model, record=record, fields=self.history_m2m_fields
            ),
        )


ALIAS_MAX_LENGTH = 100


class ProjectAdminForm(forms.ModelForm):
    aliases = LinesField(
        label=_("aliases"),
        required=False,
        help_text=_(
            "Other names users type for this entry (former names, abbreviations, product "
            "names), one per line. The advisor counts a question that names one as a perfect "
            "match; keep them specific."
        ),
    )
    features_zh = LinesField(
        label=_("core features (Chinese)"), required=False, help_text=LIST_HELP
    )
    features_en = LinesField(
        label=_("core features (English)"), required=False, help_text=LIST_HELP
    )
    use_cases_zh = LinesField(
        label=_("application scenarios (Chinese)"), required=False, help_text=LIST_HELP
    )
    use_cases_en = LinesField(
        label=_("application scenarios (English)"), required=False, help_text=LIST_HELP
    )

    class Meta:
        model = models.Project
        formfield_callback = url_as_https
        fields = (
            "slug", "name", "name_zh", "aliases", "kind", "category", "org", "repo_url",
            "homepage",
            "license", "license_note_zh", "license_note_en",
            "maintenance", "maintenance_note_zh", "maintenance_note",
            "successor",
            "last_commit", "last_release_tag", "last_release_date", "archived", "stars",
            "open_issues", "health_checked",
            "summary_zh", "summary_en", "description", "features_zh", "features_en",
            "principles_zh", "principles_en", "use_cases_zh", "use_cases_en",
            "frameworks", "data_types", "scales", "scenarios",
        )  # fmt: skip

    def clean_aliases(self) -> list[str]:
        """One name per line, repeats (in any case) dropped; each at most 100 characters."""
        names = self.cleaned_data.get("aliases") or []
        too_long = [name for name in names if len(name) > ALIAS_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Keep each alias to %(max)d characters: %(alias)s")
                % {"max": ALIAS_MAX_LENGTH, "alias": too_long[0][:40] + "…"}
            )
        seen: set[str] = set()
        unique = []
        for name in names:
            if name.casefold() not in seen:
                seen.add(name.casefold())
                unique.append(name)
        return unique

    def clean(self):
        cleaned = super().clean()
        successor = cleaned.get("successor")
        if successor is not None and self.instance.pk and successor.pk == self.instance.pk:
            self.add_error(
                "successor",
                ValidationError(_("An entry cannot be its own successor."), code="own_successor"),
            )
        if successor is not None and cleaned.get("maintenance") == models.Maintenance.ACTIVE:
            self.add_error(
                "successor",
                ValidationError(
                    _("Only an entry that is no longer active has a successor."),
                    code="active_with_successor",
                ),
            )
        return cleaned


class RelationForm(forms.ModelForm):
    class Meta:
        model = models.Relation
        fields = ("source", "target", "type", "note")

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        source_id = cleaned["source"].pk if cleaned.get("source") else self.instance.source_id
        if target is not None and source_id is not None and target.pk == source_id:
            self.add_error(
                "target",
                ValidationError(_("An entry cannot be related to itself."), code="self_relation"),
            )
        return cleaned


class StackAdminForm(forms.ModelForm):
    class Meta:
        model = models.Stack
        fields = (
            "slug", "name_zh", "name_en", "description_zh", "description_en", "scenarios",
            "counterpart", "featured", "position",
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        counterpart = cleaned.get("counterpart")
        if counterpart is not None and self.instance.pk and counterpart.pk == self.instance.pk:
            self.add_error(
                "counterpart",
                ValidationError(
                    _("A stack cannot be its own counterpart."), code="own_counterpart"
                ),
            )
        return cleaned


# --- Vocabularies --------------------------------------------------------------------------


class VocabularyAdmin(HistoryAdmin):
    """Vocabulary terms are audited like entries: history with the user, and revert."""

    list_display = ("slug", "name_en", "name_zh", "position", "project_count")
    list_editable = ("position",)
    search_fields = ("slug", "name_en", "name_zh", "description_en", "description_zh")
    prepopulated_fields = {"slug": ("name_en",)}
    ordering = ("position", "slug")

    @admin.display(description=_("entries"), ordering="_project_count")
    def project_count(self, obj) -> int:
        return obj._project_count

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_project_count=Count("projects"))


for vocabulary in (
    models.Category,
    models.Framework,
    models.DataType,
    models.Scale,
    models.Scenario,
):
    admin.site.register(vocabulary, VocabularyAdmin)


# --- Projects ------------------------------------------------------------------------------


class LinkInline(admin.TabularInline):
    model = models.Link
    formfield_overrides = {dj_models.URLField: {"assume_scheme": "https"}}
    extra = 0
    fields = ("title", "title_en", "url", "type", "position")


class FactSourceInline(admin.TabularInline):
    """Where each fact was read; rows are audited (their own history) like the entry."""

    model = models.FactSource
    extra = 0
    fields = ("fact", "detail", "url", "checked")
    verbose_name = _("source of a fact")
    verbose_name_plural = _("sources of the facts")


class RelationInline(admin.TabularInline):
    model = models.Relation
    form = RelationForm
    fk_name = "source"
    extra = 0
    fields = ("type", "target", "note")
    autocomplete_fields = ("target",)
    verbose_name = _("relation to another entry")
    verbose_name_plural = _("relations to other entries")


@admin.register(models.Project)
class ProjectAdmin(HistoryAdmin):
    form = ProjectAdminForm
    list_display = (
        "name",
        "name_zh",
        "kind",
        "category",
        "org",
        "maintenance",
        "license",
        "updated",
    )
    list_filter = (
        "kind",
        "category",
        "maintenance",
        "frameworks",
        "data_types",
        "scales",
        "scenarios",
        "license",
    )
    list_select_related = ("category",)
    search_fields = ("slug", "name", "name_zh", "summary_zh", "summary_en", "org")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("category", "successor")
    filter_horizontal = ("frameworks", "data_types", "scales", "scenarios")
    readonly_fields = ("created", "updated", "health_suggestion", "missing_sources")
    inlines = (LinkInline, RelationInline, FactSourceInline)
    history_m2m_fields = ("frameworks", "data_types", "scales", "scenarios")
    fieldsets = (
        (_("Identity"), {"fields": ("slug", "name", "name_zh", "aliases", "kind", "category")}),
        (
            _("Facts"),
            {
                "fields": (
                    "org",
                    "repo_url",
                    "homepage",
                    "license",
                    "license_note_zh",
                    "license_note_en",
                    "maintenance",
                    "maintenance_note_zh",
                    "maintenance_note",
                    "successor",
                )
            },
        ),
        (
            _("Health (read from GitHub by refresh_health)"),
            {
                "fields": (
                    "health_suggestion",
                    "last_commit",
                    ("last_release_tag", "last_release_date"),
                    ("archived", "stars", "open_issues"),
                    "health_checked",
                )
            },
        ),
        (
            _("Content (Chinese)"),
            {"fields": ("summary_zh", "features_zh", "principles_zh", "use_cases_zh")},
        ),
        (
            _("Content (English)"),
            {"fields": ("summary_en", "features_en", "principles_en", "use_cases_en")},
        ),
        (_("Facets"), {"fields": ("frameworks", "data_types", "scales", "scenarios")}),
        (_("Sources"), {"fields": ("missing_sources",)}),
        (_("Notes"), {"classes": ("collapse",), "fields": ("description", "created", "updated")}),
    )

    @admin.display(description=_("maintenance suggested by health"))
    def health_suggestion(self, obj) -> str:
        """The rule's suggestion (catalog/health.py) next to the editor's label."""
        if obj is None or obj.pk is None:
            return "-"
        suggested = obj.suggested_maintenance
        if suggested is None:
            return str(_("No suggestion: no health signals yet."))
        label = str(models.Maintenance(suggested).label)
        if suggested == obj.maintenance:
            return str(_("%(suggested)s (agrees with the label)")) % {"suggested": label}
        return str(
            _(
                "%(suggested)s, differs from the label %(label)s, which stays the answer "
                "(change the label if the signals are right)"
            )
        ) % {"suggested": label, "label": obj.get_maintenance_display()}


    @admin.display(description=_("facts without a source"))
    def missing_sources(self, obj) -> str:
        """Facts that need a source (catalog/sources.py) and have none yet; add them below."""
        if obj is None or obj.pk is None:
            return "-"
        missing = obj.missing_sources()
        return ", ".join(missing) if missing else str(_("None: every fact has a source."))


def historical_m2m_initial(*, model, record, fields: tuple[str, ...]) -> dict[str, list[int]]:
    """The M2M values a historical record saved (simple-history keeps them in its own tables);
    the plain revert form would otherwise show, and re-save, today's values."""
    initial = {}
    for name in fields:
        target = model._meta.get_field(name).m2m_reverse_field_name()
        initial[name] = [getattr(row, f"{target}_id") for row in getattr(record, name).all()]
    return initial


def historical_m2m_form(*, form_class, initial: dict[str, list[int]]):
    class HistoricalVersionForm(form_class):
        def __init__(self, *args, **kwargs):
            kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
            super().__init__(*args, **kwargs)

    return HistoricalVersionForm


# --- Links and relations -------------------------------------------------------------------


@admin.register(models.Link)
class LinkAdmin(HistoryAdmin):
    list_display = ("title", "title_en", "project", "type", "url", "position")
    list_filter = ("type",)
    list_select_related = ("project",)
    search_fields = (
        "title", "title_en", "url", "project__slug", "project__name", "project__name_zh",
    )  # fmt: skip
    autocomplete_fields = ("project",)


@admin.register(models.Relation)
class RelationAdmin(HistoryAdmin):
    form = RelationForm
    list_display = ("source", "type", "target", "note")
    list_filter = ("type",)
    list_select_related = ("source", "target")
    search_fields = ("source__slug", "source__name", "target__slug", "target__name", "note")
    autocomplete_fields = ("source", "target")


# --- Stacks --------------------------------------------------------------------------------


class StackMemberInline(admin.TabularInline):
    model = models.StackMember
    extra = 0
    fields = (
        "project", "role_zh", "role_en", "layer", "core", "optional", "choice_group", "position",
    )  # fmt: skip
    autocomplete_fields = ("project",)


@admin.register(models.Stack)
class StackAdmin(HistoryAdmin):
    form = StackAdminForm
    list_display = ("slug", "name_en", "name_zh", "featured", "position", "updated")
    list_filter = ("featured", "scenarios")
    list_editable = ("featured", "position")
    search_fields = ("slug", "name_en", "name_zh", "description_zh", "description_en")
    prepopulated_fields = {"slug": ("name_en",)}
    filter_horizontal = ("scenarios",)
    history_m2m_fields = ("scenarios",)
    autocomplete_fields = ("counterpart",)
    readonly_fields = ("created", "updated")
    inlines = (StackMemberInline,)


@admin.register(models.StackMember)
class StackMemberAdmin(HistoryAdmin):
    list_display = ("stack", "project", "role_en", "role_zh", "optional", "position")
    list_filter = ("stack", "optional")
    list_select_related = ("stack", "project")
    search_fields = ("stack__slug", "project__slug", "project__name", "role_en", "role_zh")
    autocomplete_fields = ("stack", "project")
