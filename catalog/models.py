"""The catalog: every project, cloud service and learning resource of the ecosystem.

Slugs are public identifiers (URLs, the JSON API and saved advice links use them), so every
model that has one also has a natural key: fixtures refer to entries by slug, not by id.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import health, sources


def pick_language(zh: str, en: str, *, language: str | None = None) -> str:
    """The text for the active (or given) language, falling back to the other one."""
    lang = (language or get_language() or "zh-hans").lower()
    if lang.startswith("en"):
        return en or zh
    return zh or en


class Kind(models.TextChoices):
    OPEN_SOURCE = "open-source", _("Open source")
    CLOUD_SERVICE = "cloud-service", _("Cloud service")
    LEARNING_RESOURCE = "learning-resource", _("Learning resource")


class Maintenance(models.TextChoices):
    ACTIVE = "active", _("Active")
    LOW_ACTIVITY = "low-activity", _("Low activity")
    UNMAINTAINED = "unmaintained", _("Unmaintained")


class LinkType(models.TextChoices):
    REPO = "repo", _("Repository")
    DOCS = "docs", _("Documentation")
    PRODUCT = "product", _("Product page")
    TUTORIAL = "tutorial", _("Tutorial")


class StackLayer(models.TextChoices):
    """Where a member sits in a stack, from the user's code down to the platform."""

    APPLICATION = "application", _("Application")
    MODEL_LIBRARY = "model-library", _("Model library")
    TRAINING_ENGINE = "training-engine", _("Training engine")
    SERVING_INFERENCE = "serving-inference", _("Serving and inference")
    STORAGE_VECTORS = "storage-vectors", _("Storage and vectors")
    COMPUTE_ENGINE = "compute-engine", _("Compute engine")
    VISUALISATION = "visualisation", _("Visualisation")
    PLATFORM = "platform", _("Platform")


class RelationType(models.TextChoices):
    INTEGRATES_WITH = "integrates-with", _("Integrates with")
    RUNS_ON = "runs-on", _("Runs on")
    PART_OF = "part-of", _("Part of")
    ALTERNATIVE_TO = "alternative-to", _("Alternative to")
    SUCCESSOR_OF = "successor-of", _("Successor of")


# --- Controlled vocabularies -------------------------------------------------------------


class VocabularyManager(models.Manager):
    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class VocabularyTerm(models.Model):
    """A term of a controlled vocabulary; editors can add more in the admin."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    description_zh = models.CharField(_("Chinese description"), max_length=300, blank=True)
    description_en = models.CharField(_("English description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords(inherit=True)

    objects = VocabularyManager()

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        if self.name_en == self.name_zh or not self.name_zh:
            return self.name_en
        return f"{self.name_en} / {self.name_zh}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)


class Category(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def get_absolute_url(self) -> str:
        return f"{reverse('catalog:list')}?category={self.slug}"


class Framework(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def get_absolute_url(self) -> str:
        return f"{reverse('catalog:list')}?framework={self.slug}"


class DataType(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("data type")
        verbose_name_plural = _("data types")

    def get_absolute_url(self) -> str:
        return f"{reverse('catalog:list')}?data_type={self.slug}"


class Scale(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("scale")
        verbose_name_plural = _("scales")

    def get_absolute_url(self) -> str:
        return f"{reverse('catalog:list')}?scale={self.slug}"


class Scenario(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def get_absolute_url(self) -> str:
        return f"{reverse('catalog:list')}?scenario={self.slug}"


# --- Entries -------------------------------------------------------------------------------


class ProjectQuerySet(models.QuerySet):
    def with_facets(self) -> ProjectQuerySet:
        """Everything a list or card needs, in a constant number of queries."""
        return self.select_related("category", "successor").prefetch_related(
            "frameworks", "data_types", "scales", "scenarios"
        )

    def with_detail(self) -> ProjectQuerySet:
        """Everything a detail page or the detail API shows, in a constant number of queries."""
        return self.with_facets().prefetch_related(
            models.Prefetch("links", queryset=Link.objects.order_by("position", "id")),
            models.Prefetch(
                "relations_out",
                queryset=Relation.objects.select_related("target").order_by("type", "target__name"),
            ),
            models.Prefetch(
                "relations_in",
                queryset=Relation.objects.select_related("source").order_by("type", "source__name"),
            ),
            models.Prefetch(
                "stack_memberships",
                queryset=StackMember.objects.select_related("stack").order_by(
                    "stack__position", "stack__slug"
                ),
            ),
            models.Prefetch("predecessors", queryset=Project.objects.order_by("name")),
            models.Prefetch(
                "sources", queryset=FactSource.objects.order_by("fact", "detail", "id")
            ),
        )

    def maintained(self) -> ProjectQuerySet:
        return self.exclude(maintenance=Maintenance.UNMAINTAINED)

    def open_source(self) -> ProjectQuerySet:
        return self.filter(kind=Kind.OPEN_SOURCE)

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class Project(models.Model):
    """One entry of the catalog: an open-source project, a cloud service or a learning resource."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="projects", verbose_name=_("category")
    )
    org = models.CharField(_("organisation"), max_length=120)
    repo_url = models.URLField(_("repository URL"), max_length=300, blank=True)
    homepage = models.URLField(_("homepage"), max_length=500, blank=True)
    license = models.CharField(_("licence"), max_length=60)
    maintenance = models.CharField(
        _("maintenance"), max_length=20, choices=Maintenance.choices, default=Maintenance.ACTIVE
    )
    maintenance_note = models.CharField(_("maintenance note (English)"), max_length=300, blank=True)
    maintenance_note_zh = models.CharField(
        _("maintenance note (Chinese)"), max_length=300, blank=True
    )
    license_note_zh = models.CharField(
        _("licence note (Chinese)"),
        max_length=1000,
        blank=True,
        help_text=_("What the licence field cannot say, e.g. model weights under other licences."),
    )
    license_note_en = models.CharField(_("licence note (English)"), max_length=1000, blank=True)
    # Health signals read from the repository (see refresh_health), each as of health_checked.
    last_commit = models.DateField(_("last commit"), null=True, blank=True)
    last_release_tag = models.CharField(_("last release tag"), max_length=100, blank=True)
    last_release_date = models.DateField(_("last release date"), null=True, blank=True)
    archived = models.BooleanField(_("archived"), null=True, blank=True)
    stars = models.PositiveIntegerField(_("stars"), null=True, blank=True)
    open_issues = models.PositiveIntegerField(_("open issues"), null=True, blank=True)
    health_checked = models.DateField(_("health checked"), null=True, blank=True)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_(
            "Other names users type for this entry (former names, abbreviations, product "
            "names), one per line. The advisor counts a question that names one as a perfect "
            "match; keep them specific."
        ),
    )
    summary_zh = models.TextField(_("Chinese summary"))
    summary_en = models.TextField(_("English summary"))
    description = models.TextField(_("description"), blank=True)
    features_zh = models.JSONField(_("core features (Chinese)"), default=list, blank=True)
    features_en = models.JSONField(_("core features (English)"), default=list, blank=True)
    principles_zh = models.TextField(_("technical principles (Chinese)"), blank=True)
    principles_en = models.TextField(_("technical principles (English)"), blank=True)
    use_cases_zh = models.JSONField(_("application scenarios (Chinese)"), default=list, blank=True)
    use_cases_en = models.JSONField(_("application scenarios (English)"), default=list, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successor"),
    )
    frameworks = models.ManyToManyField(
        Framework, blank=True, related_name="projects", verbose_name=_("frameworks")
    )
    data_types = models.ManyToManyField(
        DataType, blank=True, related_name="projects", verbose_name=_("data types")
    )
    scales = models.ManyToManyField(
        Scale, blank=True, related_name="projects", verbose_name=_("scales")
    )
    scenarios = models.ManyToManyField(
        Scenario, blank=True, related_name="projects", verbose_name=_("scenarios")
    )
    # What the seed importer last wrote, field by field (a hash per field), so that a re-import
    # can tell an editor's change from its own and never overwrite the former silently.
    import_fingerprints = models.JSONField(default=dict, blank=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[frameworks, data_types, scales, scenarios],
        excluded_fields=["import_fingerprints"],
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            # The list's order (``catalog.facet_table.load_facet_table``): read from the index,
            # not from every row with its texts.
            models.Index(Lower("name"), "slug", name="project_name_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="project_kind_valid"),
            models.CheckConstraint(
                condition=Q(maintenance__in=Maintenance.values),
                name="project_maintenance_valid",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | ~Q(successor=F("pk")),
                name="project_not_own_successor",
            ),
            models.CheckConstraint(
                condition=~Q(slug="") & ~Q(name="") & ~Q(name_zh=""),
                name="project_slug_and_names_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    # Content in the active language -----------------------------------------------------
    @property
    def display_name(self) -> str:
        return pick_language(self.name_zh, self.name)

    @property
    def summary(self) -> str:
        return pick_language(self.summary_zh, self.summary_en)

    @property
    def features(self) -> list[str]:
        lang = (get_language() or "zh-hans").lower()
        if lang.startswith("en"):
            return self.features_en or self.features_zh
        return self.features_zh or self.features_en

    @property
    def principles(self) -> str:
        return pick_language(self.principles_zh, self.principles_en)

    @property
    def use_cases(self) -> list[str]:
        lang = (get_language() or "zh-hans").lower()
        if lang.startswith("en"):
            return self.use_cases_en or self.use_cases_zh
        return self.use_cases_zh or self.use_cases_en

    @property
    def localized_license_note(self) -> str:
        return pick_language(self.license_note_zh, self.license_note_en)

    @property
    def localized_maintenance_note(self) -> str:
        return pick_language(self.maintenance_note_zh, self.maintenance_note)

    @property
    def is_unmaintained(self) -> bool:
        return self.maintenance == Maintenance.UNMAINTAINED

    # Health (read by refresh_health) -----------------------------------------------------
    @property
    def last_release_year(self) -> int | None:
        """Derived from ``last_release_date``: the release is one fact, stored once."""
        return self.last_release_date.year if self.last_release_date else None

    HEALTH_FIELDS = (
        "last_commit", "last_release_tag", "last_release_date", "archived", "stars",
        "open_issues", "health_checked",
    )  # fmt: skip

    @property
    def github_repo(self) -> str | None:
        """``owner/name`` when this is an open-source entry whose repository is on GitHub."""
        if self.kind != Kind.OPEN_SOURCE or not self.repo_url:
            return None
        return health.github_repo(self.repo_url)

    @property
    def has_health(self) -> bool:
        return any(
            getattr(self, name) not in (None, "") for name in self.HEALTH_FIELDS
        )

    @property
    def suggested_maintenance(self) -> str | None:
        """What the health signals suggest (``catalog.health``), as of when they were read."""
        if not self.has_health:
            return None
        return health.suggest_maintenance(
            archived=self.archived,
            last_commit=self.last_commit,
            as_of=self.health_checked or timezone.localdate(),
        )

    def sources_in_order(self) -> list[FactSource]:
        """The fact sources in the order of ``Fact`` (repository first, description last)."""
        order = {value: index for index, value in enumerate(Fact.values)}
        return sorted(
            self.sources.all(),
            key=lambda source: (order.get(source.fact, len(order)), source.detail, source.pk),
        )

    def missing_sources(self) -> list[str]:
        """Facts that need a source and have none (``catalog.sources``); uses prefetched
        frameworks, data types, relations (with targets) and sources when there are."""
        required = sources.required_facts(
            kind=self.kind,
            has_frameworks=bool(self.frameworks.all()),
            has_data_types=bool(self.data_types.all()),
            has_last_release=self.last_release_date is not None,
            has_successor=self.successor_id is not None,
            relations=[(rel.type, rel.target.slug) for rel in self.relations_out.all()],
        )
        return sources.missing_facts(
            required=required,
            sourced=[(source.fact, source.detail) for source in self.sources.all()],
        )

    @property
    def maintenance_disagreement(self) -> str:
        """The suggested maintenance's label when it differs from the editor's label, else ""."""
        suggested = self.suggested_maintenance
        if suggested is None or suggested == self.maintenance:
            return ""
        return str(Maintenance(suggested).label)


class Link(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="links", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(
        _("English title"),
        max_length=200,
        blank=True,
        help_text=_("Shown on English pages; the title above is shown on Chinese pages."),
    )
    url = models.URLField(_("URL"), max_length=500)
    type = models.CharField(_("type"), max_length=20, choices=LinkType.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "position", "id"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.UniqueConstraint(fields=["project", "url"], name="link_unique_url_per_project"),
            models.CheckConstraint(condition=Q(type__in=LinkType.values), name="link_type_valid"),
            models.CheckConstraint(condition=~Q(url=""), name="link_url_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.url})"

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def localized_title(self) -> str:
        return pick_language(self.title, self.title_en)


class Relation(models.Model):
    """A typed, directed relation: ``source`` <type> ``target`` (e.g. EasyRec runs-on DeepRec)."""

    source = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("to")
    )
    type = models.CharField(_("relation"), max_length=20, choices=RelationType.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "type", "target"]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "type"], name="relation_unique_per_pair_and_type"
            ),
            models.CheckConstraint(condition=~Q(source=F("target")), name="relation_not_self"),
            models.CheckConstraint(
                condition=Q(type__in=RelationType.values), name="relation_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.type} {self.target}"

    def get_absolute_url(self) -> str:
        return self.source.get_absolute_url()


class Fact(models.TextChoices):
    """The facts of an entry that must say where they come from."""

    REPOSITORY = "repository", _("Repository")
    LICENSE = "license", _("Licence")
    ORGANISATION = "organisation", _("Organisation")
    FRAMEWORKS = "frameworks", _("Frameworks")
    DATA_TYPES = "data_types", _("Data types")
    MAINTENANCE = "maintenance", _("Maintenance")
    LAST_RELEASE = "last_release", _("Last release")
    SUCCESSOR = "successor", _("Successor")
    RELATION = "relation", _("Relation")
    DESCRIPTION = "description", _("Description")


class FactSource(models.Model):
    """Where one fact of an entry was read, and when: a URL or ``owner/repo:path@commit``."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="sources", verbose_name=_("entry")
    )
    fact = models.CharField(_("fact"), max_length=20, choices=Fact.choices)
    detail = models.CharField(
        _("detail"),
        max_length=100,
        blank=True,
        help_text=_("For a relation: its type and target, e.g. runs-on:flink."),
    )
    url = models.CharField(_("source"), max_length=500)
    checked = models.DateField(_("checked"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "fact", "detail", "id"]
        verbose_name = _("fact source")
        verbose_name_plural = _("fact sources")
        constraints = [
            models.CheckConstraint(condition=Q(fact__in=Fact.values), name="fact_source_valid"),
            models.CheckConstraint(condition=~Q(url=""), name="fact_source_url_not_empty"),
        ]

    def __str__(self) -> str:
        label = f"{self.fact}:{self.detail}" if self.detail else self.fact
        return f"{self.project.slug} {label}: {self.url}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()

    @property
    def label(self) -> str:
        return f"{self.fact}:{self.detail}" if self.detail else self.fact

    @property
    def href(self) -> str:
        """A browsable URL: ``owner/repo:path@commit`` becomes a GitHub blob or commit link."""
        return source_href(self.url)


def source_href(source: str) -> str:
    if source.startswith(("https://", "http://")):
        return source
    repo, _sep, rest = source.partition(":")
    if not _sep:
        repo, _at, ref = source.partition("@")
        return f"https://github.com/{repo}/tree/{ref}" if ref else f"https://github.com/{repo}"
    path, _at, ref = rest.partition("@")
    return f"https://github.com/{repo}/blob/{ref or 'HEAD'}/{path}"


# --- Stacks --------------------------------------------------------------------------------


class StackQuerySet(models.QuerySet):
    def with_members(self) -> StackQuerySet:
        return self.prefetch_related(
            "scenarios",
            models.Prefetch(
                "members",
                queryset=StackMember.objects.select_related("project", "project__category")
                .prefetch_related("project__frameworks")
                .order_by("position", "id"),
            ),
        )

    def featured(self) -> StackQuerySet:
        return self.filter(featured=True)

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class Stack(models.Model):
    """Entries that are adopted together for one need, e.g. EasyRec + DeepRec + HybridBackend."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    description_zh = models.TextField(_("Chinese description"))
    description_en = models.TextField(_("English description"))
    scenarios = models.ManyToManyField(
        Scenario, blank=True, related_name="stacks", verbose_name=_("scenarios")
    )
    counterpart = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counterpart"),
        help_text=_("The same stack for another framework (e.g. TensorFlow vs PyTorch)."),
    )
    featured = models.BooleanField(_("featured on the home page"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[scenarios])

    objects = StackQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("stack")
        verbose_name_plural = _("stacks")
        constraints = [
            models.CheckConstraint(
                condition=Q(counterpart__isnull=True) | ~Q(counterpart=F("pk")),
                name="stack_not_own_counterpart",
            ),
            models.CheckConstraint(
                condition=~Q(slug="") & ~Q(name_zh="") & ~Q(name_en=""),
                name="stack_slug_and_names_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    def get_absolute_url(self) -> str:
        return reverse("catalog:stack", kwargs={"slug": self.slug})

    def get_catalog_url(self) -> str:
        """The catalog list restricted to this stack's members."""
        return f"{reverse('catalog:list')}?stack={self.slug}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)


class StackMember(models.Model):
    stack = models.ForeignKey(
        Stack, on_delete=models.CASCADE, related_name="members", verbose_name=_("stack")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="stack_memberships", verbose_name=_("entry")
    )
    role_zh = models.CharField(_("Chinese role"), max_length=120)
    role_en = models.CharField(_("English role"), max_length=120)
    optional = models.BooleanField(_("optional"), default=False)
    core = models.BooleanField(
        _("core member"),
        default=False,
        help_text=_("The member the stack is about (e.g. EasyRec in the TensorFlow stack)."),
    )
    layer = models.CharField(
        _("layer"), max_length=20, choices=StackLayer.choices, default=StackLayer.APPLICATION
    )
    choice_group = models.SlugField(
        _("choice group"),
        max_length=40,
        blank=True,
        help_text=_("Members sharing a group are alternatives: the stack takes one of them."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["stack", "position", "id"]
        verbose_name = _("stack member")
        verbose_name_plural = _("stack members")
        constraints = [
            models.UniqueConstraint(
                fields=["stack", "project"], name="stack_member_unique_per_stack"
            ),
            models.CheckConstraint(
                condition=~Q(role_zh="") & ~Q(role_en=""), name="stack_member_role_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(layer__in=StackLayer.values), name="stack_member_layer_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stack.slug}: {self.project.slug} ({self.role_en})"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()

    @property
    def role(self) -> str:
        return pick_language(self.role_zh, self.role_en)


# --- Health reads ---------------------------------------------------------------------------


class GitHubResponse(models.Model):
    """GitHub's last answer to one ``refresh_health`` request, kept for conditional requests:
    the next read sends its ETag, and on 304 Not Modified the stored body is used again.
    Not catalog content (no history, no catalog version); safe to delete at any time."""

    url = models.CharField(_("request URL"), max_length=500, unique=True)
    etag = models.CharField(_("ETag"), max_length=200)
    body = models.TextField(_("body"))
    fetched = models.DateTimeField(_("fetched"), default=timezone.now)

    class Meta:
        ordering = ["url"]
        verbose_name = _("GitHub response")
        verbose_name_plural = _("GitHub responses")

    def __str__(self) -> str:
        return self.url


# --- Catalog version -----------------------------------------------------------------------


class CatalogChange(models.Model):
    """One row per change to catalog content; the newest row's id is the catalog version.

    Search and advisor indexes are built once per process and compare their version with
    the newest row, so an admin edit shows up in every server process without a restart.
    Changes are appended, never updated in place: concurrent writers (an editor in the admin,
    an import) never wait on one shared row, so they cannot deadlock on it.
    """

    changed = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("catalog change")
        verbose_name_plural = _("catalog changes")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"catalog version {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:list")
