"""Import the seed document's prose and links into catalog entries (``manage.py import_seed``).

Two steps, so that ``--dry-run`` and a real run report exactly the same thing:

1. ``parse_seed`` reads the document into sections (pure, no database);
2. ``plan_import`` compares every mapped entry with the database and decides per field:
   updated / unchanged / kept; ``apply_plan`` writes the plan. ``import_seed`` plans and
   writes in one transaction, with the entries' rows locked (``SELECT ... FOR UPDATE``) from
   planning to writing, and saves only the fields it changes: an admin edit committed
   meanwhile waits for the import or is kept, never overwritten with a stale copy.

The importer only fills existing entries: a mapped entry that is not in the catalog is
skipped and reported ("not in catalog"); entries are created in the admin or the fixture.

Who owns a field: ``Project.import_fingerprints`` holds, per field, a hash of the value the
importer last wrote. If the current value still has that hash, the importer owns it and may
update it. If it differs, an editor changed it: the value is kept and reported. A field with no
fingerprint (e.g. loaded from the curated fixture) is editor-owned when it is non-empty and
differs from the seed: it is kept ("kept existing value"). ``overwrite=True`` replaces both.

Facts (licence, frameworks, organisation, repository, maintenance) are never touched; links are
added (unique per entry and URL) but existing links are left as editors made them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import transaction
from django.db.models import Max

from . import seed_mapping
from .models import Link as LinkModel
from .models import LinkType, Project
from .seed_mapping import EntryRule, SectionRule

CHANGE_REASON = "import_seed"
CONTENT_FIELDS = ("summary_zh", "features_zh", "principles_zh", "use_cases_zh")
SUBSECTIONS = {
    "简介": "intro",
    "核心功能": "features",
    "技术原理": "principles",
    "应用场景": "use_cases",
}


class SeedFormatError(ValueError):
    """The document is not in the seed's format; the message names the line."""


# --- Parsing -------------------------------------------------------------------------------


@dataclass
class SeedItem:
    """A bullet (or numbered item): optional bold label, text and nested items."""

    label: str
    text: str
    line: int
    number: str = ""
    children: list[SeedItem] = field(default_factory=list)

    def as_text(self, *, with_label: bool = True) -> str:
        parts = []
        if with_label and self.label:
            parts.append(f"{self.label}：{self.text}" if self.text else self.label)
        elif self.text:
            parts.append(self.text)
        if self.children:
            parts.append("；".join(child.as_text() for child in self.children))
        joined = "：".join(part for part in parts if part) if len(parts) > 1 else "".join(parts)
        return joined.strip()


@dataclass
class SeedBlock:
    """The body of a ``####`` subsection: bullets and prose paragraphs, in order."""

    parts: list[SeedItem | str] = field(default_factory=list)
    line: int = 0

    @property
    def items(self) -> list[SeedItem]:
        return [part for part in self.parts if isinstance(part, SeedItem)]

    @property
    def prose(self) -> list[str]:
        return [part for part in self.parts if isinstance(part, str)]


@dataclass(frozen=True)
class SeedLink:
    title: str
    url: str
    line: int


@dataclass
class SeedSection:
    heading: str
    line: int
    blocks: dict[str, SeedBlock] = field(default_factory=dict)
    links: list[SeedLink] = field(default_factory=list)

    @property
    def intro(self) -> str:
        block = self.blocks.get("intro")
        return "\n".join(block.prose).strip() if block else ""


SECTION_RE = re.compile(r"^(#{1,2})\s+(\S.*?)\s*$")
SUBSECTION_RE = re.compile(r"^#{3,6}\s+(\S.*?)\s*$")
LINK_START_RE = re.compile(r"^\s*[-*+]\s+\[")
LINK_RE = re.compile(r"^\s*[-*+]\s+\[(?P<title>[^\]]+)\]\((?P<url>[^()\s]+)\)\s*$")
BULLET_RE = re.compile(r"^(?P<indent>\s*)(?:(?P<number>\d+)[.)]|[-*+])\s+(?P<body>\S.*?)\s*$")
LABEL_RE = re.compile(r"^\*\*(?P<label>[^*]+?)\*\*\s*(?P<rest>.*)$")
RULE_RE = re.compile(r"^\s*-{3,}\s*$")


# The real seed is 68 KB; a file this large is not a seed document (and is never read).
MAX_SEED_BYTES = 5 * 1024 * 1024


def read_seed_file(*, path: Path) -> str:
    """The document's text; SeedFormatError for a missing, oversized, binary or undecodable
    file. The size is checked before anything is read."""
    if not path.exists():
        raise SeedFormatError(f"{path}: file not found")
    if not path.is_file():
        raise SeedFormatError(f"{path}: not a file")
    size = path.stat().st_size
    if size > MAX_SEED_BYTES:
        raise SeedFormatError(
            f"{path}: {size:,} bytes is over the {MAX_SEED_BYTES // (1024 * 1024)} MB limit "
            "for a seed document"
        )
    with path.open("rb") as handle:
        # Read at most one byte past the cap, in case the file grew since stat().
        raw = handle.read(MAX_SEED_BYTES + 1)
    if len(raw) > MAX_SEED_BYTES:
        raise SeedFormatError(f"{path}: over the {MAX_SEED_BYTES // (1024 * 1024)} MB limit")
    if b"\x00" in raw:
        raise SeedFormatError(f"{path}: binary file (NUL bytes), expected UTF-8 text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SeedFormatError(f"{path}, line {line}: not valid UTF-8 text") from error


def _clean_inline(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "").replace("`", "")).strip()


def _split_label(body: str) -> tuple[str, str]:
    match = LABEL_RE.match(body)
    if not match:
        return "", _clean_inline(body)
    label = match["label"].strip().rstrip(":：").strip()
    rest = match["rest"].lstrip(":：").strip()
    return _clean_inline(label), _clean_inline(rest)


def _parse_link(*, line: str, number: int) -> SeedLink:
    match = LINK_RE.match(line)
    if not match:
        raise SeedFormatError(
            f"line {number}: broken link, expected '- [title](url)': {line.strip()}"
        )
    url = match["url"]
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SeedFormatError(f"line {number}: link URL is not an http(s) address: {url}")
    return SeedLink(title=_clean_inline(match["title"]), url=url, line=number)


def parse_seed(*, text: str) -> list[SeedSection]:
    """Sections of the document, in order. Raises SeedFormatError on malformed input."""
    if not text.strip():
        raise SeedFormatError("the file is empty")
    sections: list[SeedSection] = []
    section: SeedSection | None = None
    block: SeedBlock | None = None
    # (indent, item) of the open bullets, to attach indented sub-bullets to their parent.
    stack: list[tuple[int, SeedItem]] = []

    for number, line in enumerate(text.splitlines(), start=1):
        if match := SECTION_RE.match(line):
            section = SeedSection(heading=match[2], line=number)
            sections.append(section)
            block, stack = None, []
            continue
        if LINK_START_RE.match(line):
            link = _parse_link(line=line, number=number)
            if section is not None:
                section.links.append(link)
                block, stack = None, []  # the link list ends the subsection
            continue
        if section is None:
            continue
        if match := SUBSECTION_RE.match(line):
            key = SUBSECTIONS.get(match[1].strip())
            if key is None:
                block, stack = None, []
                continue
            if key in section.blocks:
                raise SeedFormatError(
                    f"line {number}: '#### {match[1]}' appears twice in section '{section.heading}'"
                )
            block = SeedBlock(line=number)
            section.blocks[key] = block
            stack = []
            continue
        if block is None or not line.strip() or RULE_RE.match(line):
            continue
        if match := BULLET_RE.match(line):
            indent = len(match["indent"].expandtabs(4))
            label, rest = _split_label(match["body"])
            item = SeedItem(label=label, text=rest, line=number, number=match["number"] or "")
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if stack:
                stack[-1][1].children.append(item)
            else:
                block.parts.append(item)
            stack.append((indent, item))
            continue
        block.parts.append(_clean_inline(line))
        stack = []

    if not sections:
        raise SeedFormatError("no sections: expected headings starting with '# ' or '## '")
    return sections


# --- Links ---------------------------------------------------------------------------------


def clean_url(*, url: str) -> str:
    """Strip tracking parameters; point moved GitHub repositories at their current home."""
    parts = urlsplit(url.strip())
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key.lower() not in seed_mapping.TRACKING_PARAMS
        ]
    )
    path = parts.path
    netloc = parts.netloc.lower()
    if netloc in {"github.com", "www.github.com"}:
        netloc = "github.com"
        segments = path.strip("/").split("/")
        if len(segments) >= 2:
            key = f"{segments[0]}/{segments[1]}".lower()
            if key in seed_mapping.REPO_OWNER_REWRITES:
                segments[:2] = seed_mapping.REPO_OWNER_REWRITES[key].split("/")
        path = "/" + "/".join(segment for segment in segments if segment)
    return urlunsplit((parts.scheme, netloc, path, query, parts.fragment))


def rewrite_repo_names(*, text: str) -> str:
    """Moved repositories' old names in a link title ("alibaba/DeepRec: ...") get the new one."""
    for old, new in seed_mapping.REPO_OWNER_REWRITES.items():
        if old != new.lower():
            text = re.sub(re.escape(old), new, text, flags=re.IGNORECASE)
    return text


CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def english_link_title(*, title: str) -> str:
    """The seed is Chinese: a title without Chinese characters ("alibaba/EasyRec") reads the
    same on English pages; any other gets its English title from an editor (blank here, so
    English pages fall back to the original until then)."""
    return "" if CJK_RE.search(title) else title


def links_without_english_title(*, plan: ImportPlan) -> int:
    return sum(
        1
        for entry in plan.entries
        if not entry.skipped_reason
        for link in entry.new_links
        if not english_link_title(title=link.title)
    )


def guess_link_type(*, url: str, title: str) -> str:
    parts = urlsplit(url)
    host, path = parts.netloc.lower(), parts.path.lower()
    if host == "tianchi.aliyun.com" and not path.startswith("/mindopt"):
        return LinkType.TUTORIAL
    if "yuque.com" in host or re.search(r"教程|tutorial|课程", title, re.IGNORECASE):
        return LinkType.TUTORIAL
    if host == "github.com":
        return LinkType.REPO
    if host.endswith("aliyun.com") and not host.startswith("help."):
        return LinkType.PRODUCT
    return LinkType.DOCS


# --- Assigning a section's content to entries ----------------------------------------------


@dataclass
class EntryContent:
    """What the seed says about one entry (None: the seed says nothing, leave the field)."""

    slug: str
    rule: EntryRule
    section: str
    summary_zh: str | None = None
    features_zh: list[str] | None = None
    principles_zh: str | None = None
    use_cases_zh: list[str] | None = None
    links: list[SeedLink] = field(default_factory=list)


def _norm(label: str) -> str:
    return re.sub(r"\s+", " ", label).strip().rstrip(":：").strip().casefold()


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in re.findall(r"[^。！？\n]+[。！？]?", text) if part.strip()]


def _owner_by_label(*, rule: SectionRule, label: str) -> str | None:
    key = _norm(label)
    if not key:
        return None
    for entry in rule.entries:
        if any(_norm(candidate) == key for candidate in entry.labels):
            return entry.slug
    return None


def _assign_block(
    *, rule: SectionRule, block: SeedBlock | None, multi: bool
) -> tuple[dict[str, list[SeedItem | str]], dict[str, SeedItem], list[SeedItem]]:
    """Parts of a block per entry slug, each entry's flat labelled bullet, unassigned bullets."""
    assigned: dict[str, list[SeedItem | str]] = {slug: [] for slug in rule.slugs}
    flat: dict[str, SeedItem] = {}
    unassigned: list[SeedItem] = []
    if block is None:
        return assigned, flat, unassigned

    def shared(part: SeedItem | str) -> None:
        if rule.shared == "all":
            for slug in rule.slugs:
                assigned[slug].append(part)
        elif rule.shared == "primary" and rule.primary:
            assigned[rule.primary].append(part)
        elif isinstance(part, SeedItem):
            unassigned.append(part)

    for part in block.parts:
        owner = _owner_by_label(rule=rule, label=part.label) if isinstance(part, SeedItem) else None
        if owner is None or not multi:
            shared(part)
        elif part.children:
            assigned[owner].extend(part.children)
        else:
            stripped = SeedItem(label="", text=part.text, line=part.line)
            assigned[owner].append(stripped)
            flat.setdefault(owner, stripped)
    return assigned, flat, unassigned


def _as_list(parts: Sequence[SeedItem | str]) -> list[str]:
    """The bullets (a prose lead-in like "主要包括：" is dropped), or the prose if none."""
    if any(isinstance(part, SeedItem) for part in parts):
        parts = [part for part in parts if isinstance(part, SeedItem)]
    return [text for part in parts if (text := _part_text(part))]


def _part_text(part: SeedItem | str) -> str:
    return part.as_text() if isinstance(part, SeedItem) else part.strip()


def _as_text(parts: Sequence[SeedItem | str]) -> str:
    lines = []
    number = 0
    for part in parts:
        if isinstance(part, SeedItem):
            number = number + 1 if part.number else 0
            prefix = f"{number}. " if part.number else ""
            lines.append(prefix + (part.as_text() if not part.children else _item_head(part)))
            lines.extend(f"  - {child.as_text()}" for child in part.children)
        elif part.strip():
            lines.append(part.strip())
    return "\n".join(lines).strip()


def _item_head(item: SeedItem) -> str:
    if item.label and item.text:
        return f"{item.label}：{item.text}"
    return item.label or item.text


@dataclass
class SectionResult:
    section: SeedSection
    rule: SectionRule | None
    contents: list[EntryContent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def assign_section(*, section: SeedSection, rule: SectionRule) -> SectionResult:
    """Split one mapped section's content between its entries."""
    result = SectionResult(section=section, rule=rule)
    multi = len(rule.entries) > 1
    if "intro" not in section.blocks and not rule.summary_optional:
        raise SeedFormatError(
            f"line {section.line}: section '{section.heading}' has no '#### 简介' (summary)"
        )
    if "intro" in section.blocks and not section.intro:
        raise SeedFormatError(
            f"line {section.blocks['intro'].line}: section '{section.heading}' has an empty 简介"
        )

    blocks = {}
    for key in ("features", "principles", "use_cases"):
        assigned, flat, unassigned = _assign_block(
            rule=rule, block=section.blocks.get(key), multi=multi
        )
        blocks[key] = (assigned, flat)
        for item in unassigned:
            result.notes.append(
                f"line {item.line}: bullet '{item.label or item.text[:20]}' belongs to no entry"
            )

    sentences = [
        sentence
        for sentence in _sentences(section.intro)
        if not any(excluded in sentence for excluded in rule.intro_exclude)
    ]
    claimed: set[str] = set()
    for entry in rule.entries:
        content = EntryContent(slug=entry.slug, rule=entry, section=section.heading)
        if entry.slug != rule.primary and entry.aliases:
            mine = [s for s in sentences if any(alias in s for alias in entry.aliases)]
            if mine:
                content.summary_zh = "".join(mine)
                claimed.update(mine)
        result.contents.append(content)

    features_flat = blocks["features"][1]
    for content in result.contents:
        slug = content.slug
        features = blocks["features"][0][slug]
        if slug == rule.primary or not multi:
            rest = [s for s in sentences if s not in claimed]
            content.summary_zh = "".join(rest) or None
        elif content.summary_zh is None and slug in features_flat:
            # The entry's own one-line bullet is its summary (not repeated as a feature).
            content.summary_zh = features_flat[slug].text or None
            features = [part for part in features if part is not features_flat[slug]]
        if features:
            content.features_zh = _as_list(features)
        principles = blocks["principles"][0][slug]
        if principles:
            content.principles_zh = _as_text(principles)
        use_cases = blocks["use_cases"][0][slug]
        if use_cases:
            content.use_cases_zh = _as_list(use_cases)

    by_slug = {content.slug: content for content in result.contents}
    for link in section.links:
        url = clean_url(url=link.url)
        if any(re.search(pattern, url, re.IGNORECASE) for pattern in rule.ignore_links):
            result.notes.append(f"line {link.line}: link skipped (not about an entry): {url}")
            continue
        owner = _owner_of_link(rule=rule, url=url, title=link.title)
        if owner is None:
            result.notes.append(f"line {link.line}: link belongs to no entry: {url}")
            continue
        title = rewrite_repo_names(text=link.title)
        by_slug[owner].links.append(SeedLink(title=title, url=url, line=link.line))
    return result


def _owner_of_link(*, rule: SectionRule, url: str, title: str) -> str | None:
    for entry in rule.entries:
        if any(re.search(p, url, re.IGNORECASE) for p in entry.url_patterns) or any(
            re.search(p, title, re.IGNORECASE) for p in entry.title_patterns
        ):
            return entry.slug
    if len(rule.entries) == 1:
        return rule.entries[0].slug
    return rule.primary


def map_sections(
    *, sections: Iterable[SeedSection], rules: Sequence[SectionRule], skipped: Iterable[str]
) -> tuple[list[SectionResult], list[SectionResult]]:
    """Mapped sections (content per entry) and the sections that are skipped."""
    by_heading = {rule.heading: rule for rule in rules}
    skipped_headings = set(skipped)
    mapped: list[SectionResult] = []
    ignored: list[SectionResult] = []
    seen: dict[str, int] = {}
    for section in sections:
        rule = by_heading.get(section.heading)
        if rule is None:
            reason = "overview" if section.heading in skipped_headings else "unknown section"
            ignored.append(SectionResult(section=section, rule=None, notes=[reason]))
            continue
        if section.heading in seen:
            raise SeedFormatError(
                f"line {section.line}: section '{section.heading}' appears twice "
                f"(first at line {seen[section.heading]})"
            )
        seen[section.heading] = section.line
        mapped.append(assign_section(section=section, rule=rule))
    return mapped, ignored


# --- Planning against the database ---------------------------------------------------------


class FieldStatus(StrEnum):
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT_EDITOR = "kept editor change"
    KEPT_EXISTING = "kept existing value"


def fingerprint(*, value: object) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def _is_empty(value: object) -> bool:
    return value in (None, "", [], {})


def decide_field(
    *, current: object, new: object, stored_fingerprint: str | None, overwrite: bool
) -> FieldStatus:
    """The fingerprint rule (see the module docstring)."""
    if fingerprint(value=current) == fingerprint(value=new):
        return FieldStatus.UNCHANGED
    if overwrite or _is_empty(current):
        return FieldStatus.UPDATED
    if stored_fingerprint is None:
        return FieldStatus.KEPT_EXISTING
    if fingerprint(value=current) == stored_fingerprint:
        return FieldStatus.UPDATED
    return FieldStatus.KEPT_EDITOR


@dataclass
class EntryPlan:
    slug: str
    sections: list[str]
    project: Project | None = None
    rule: EntryRule | None = None
    skipped_reason: str = ""
    fields: dict[str, FieldStatus] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    new_links: list[SeedLink] = field(default_factory=list)
    links_elsewhere: list[tuple[SeedLink, str]] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.skipped_reason:
            return "skipped"
        if self.new_links or FieldStatus.UPDATED in self.fields.values():
            return "updated"
        return "unchanged"

    @property
    def kept(self) -> list[str]:
        return [
            name
            for name, status in self.fields.items()
            if status in (FieldStatus.KEPT_EDITOR, FieldStatus.KEPT_EXISTING)
        ]


@dataclass
class ImportPlan:
    mapped: list[SectionResult]
    ignored: list[SectionResult]
    entries: list[EntryPlan]
    # Catalog entries the seed does not describe (added from their own documentation): left as
    # they are, and reported as skipped.
    not_in_seed: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for entry in self.entries if entry.outcome == outcome)

    @property
    def skipped_count(self) -> int:
        return self.count("skipped") + len(self.ignored)

    @property
    def kept_editor_changes(self) -> int:
        return sum(
            1
            for entry in self.entries
            for status in entry.fields.values()
            if status is FieldStatus.KEPT_EDITOR
        )

    @property
    def kept_existing(self) -> int:
        return sum(
            1
            for entry in self.entries
            for status in entry.fields.values()
            if status is FieldStatus.KEPT_EXISTING
        )

    @property
    def links_added(self) -> int:
        return sum(len(entry.new_links) for entry in self.entries)

    def summary_line(self) -> str:
        return (
            f"updated {self.count('updated')}, "
            f"unchanged {self.count('unchanged')}, skipped {self.skipped_count} "
            f"(kept editor changes {self.kept_editor_changes}, "
            f"kept existing values {self.kept_existing}, links added {self.links_added}); "
            f"skipped {len(self.not_in_seed)} catalog entries not in the seed"
        )


def _merge_contents(mapped: Iterable[SectionResult]) -> dict[str, list[EntryContent]]:
    merged: dict[str, list[EntryContent]] = {}
    for result in mapped:
        for content in result.contents:
            merged.setdefault(content.slug, []).append(content)
    return merged


def plan_import(
    *,
    sections: list[SeedSection],
    overwrite: bool = False,
    rules: Sequence[SectionRule] | None = None,
    skipped: Iterable[str] | None = None,
    lock: bool = False,
) -> ImportPlan:
    """Compare the seed's content with the database; nothing is written.

    ``lock=True`` (inside a transaction) locks the entries' rows until it ends, so nobody
    changes them between this plan and ``apply_plan``.
    """
    mapped, ignored = map_sections(
        sections=sections,
        rules=seed_mapping.SECTIONS if rules is None else rules,
        skipped=seed_mapping.SKIPPED_SECTIONS if skipped is None else skipped,
    )
    merged = _merge_contents(mapped)
    queryset = Project.objects.select_for_update() if lock else Project.objects
    projects = queryset.in_bulk(list(merged), field_name="slug")
    # Every URL in the catalog, with its entries: a seed link an editor moved to another entry
    # stays where the editor put it.
    link_owners: dict[str, set[str]] = {}
    for slug, url in LinkModel.objects.values_list("project__slug", "url"):
        link_owners.setdefault(url, set()).add(slug)

    entries: list[EntryPlan] = []
    for slug, contents in merged.items():
        plan = EntryPlan(slug=slug, sections=[c.section for c in contents], rule=contents[0].rule)
        project = projects.get(slug)
        if project is None:
            plan.skipped_reason = "not in catalog"
            entries.append(plan)
            continue
        plan.project = project
        stored = dict(project.import_fingerprints or {})
        for name in CONTENT_FIELDS:
            new = next((getattr(c, name) for c in contents if getattr(c, name) is not None), None)
            if new is None:
                continue
            status = decide_field(
                current=getattr(project, name),
                new=new,
                stored_fingerprint=stored.get(name),
                overwrite=overwrite,
            )
            plan.fields[name] = status
            if status in (FieldStatus.UPDATED, FieldStatus.UNCHANGED):
                plan.values[name] = new
                plan.fingerprints[name] = fingerprint(value=new)
        seen: set[str] = set()
        for content in contents:
            for link in content.links:
                owners = link_owners.get(link.url, set())
                if link.url in seen or slug in owners:
                    continue
                seen.add(link.url)
                if owners:
                    plan.links_elsewhere.append((link, ", ".join(sorted(owners))))
                else:
                    plan.new_links.append(link)
        entries.append(plan)
    not_in_seed = sorted(
        Project.objects.exclude(slug__in=list(merged)).values_list("slug", flat=True)
    )
    return ImportPlan(mapped=mapped, ignored=ignored, entries=entries, not_in_seed=not_in_seed)


# --- Writing -------------------------------------------------------------------------------


def _update_project(*, plan: EntryPlan) -> Project:
    project = plan.project
    assert project is not None
    changed = [name for name, status in plan.fields.items() if status is FieldStatus.UPDATED]
    fingerprints = {**(project.import_fingerprints or {}), **plan.fingerprints}
    if changed:
        for name in changed:
            setattr(project, name, plan.values[name])
        project.import_fingerprints = fingerprints
        project._change_reason = CHANGE_REASON
        # Only what the import changed: any other column keeps what is in the database now
        # (facts included), not this plan's snapshot of it.
        project.save(update_fields=[*changed, "import_fingerprints", "updated"])
    elif fingerprints != (project.import_fingerprints or {}):
        # Only the bookkeeping changed: no history record, no catalog version bump.
        Project.objects.filter(pk=project.pk).update(import_fingerprints=fingerprints)
        project.import_fingerprints = fingerprints
    return project


def apply_plan(*, plan: ImportPlan) -> None:
    """Write the plan through the ORM (history records are created).

    Call it inside the transaction that made the plan with ``lock=True`` (``import_seed``
    does): a failure then rolls back every write.
    """
    for entry in plan.entries:
        if entry.skipped_reason:
            continue
        project = _update_project(plan=entry)
        if not entry.new_links:
            continue
        position = (
            LinkModel.objects.filter(project=project).aggregate(Max("position"))["position__max"]
            or 0
        )
        for link in entry.new_links:
            position += 1
            row = LinkModel(
                project=project,
                title=link.title[:200],
                title_en=english_link_title(title=link.title)[:200],
                url=link.url,
                type=guess_link_type(url=link.url, title=link.title),
                position=position,
            )
            row._change_reason = CHANGE_REASON
            row.full_clean()
            row.save()


def import_seed(*, text: str, dry_run: bool = False, overwrite: bool = False) -> ImportPlan:
    """Parse, plan and (unless ``dry_run``) write, in one transaction.

    Raises SeedFormatError before any write; a ValidationError (e.g. a link too long for its
    column) or IntegrityError while writing rolls every write back.
    """
    sections = parse_seed(text=text)
    with transaction.atomic():
        plan = plan_import(sections=sections, overwrite=overwrite, lock=not dry_run)
        if not dry_run:
            apply_plan(plan=plan)
    return plan
