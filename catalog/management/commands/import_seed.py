"""Import the seed document's prose and links into the catalog (see catalog/importer.py)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from catalog.importer import (
    FieldStatus,
    ImportPlan,
    SeedFormatError,
    import_seed,
    links_without_english_title,
    read_seed_file,
)


def describe(error: ValidationError) -> str:
    """``field: message`` pairs of a model's ValidationError, on one line."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
    )


class Command(BaseCommand):
    help = (
        "Import summaries, features, principles, use cases and links from a seed document. "
        "Only existing entries are filled (others are skipped: not in catalog). Facts "
        "(licence, frameworks, repository...) are never touched; fields an editor changed "
        "are kept unless --overwrite."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The seed document (UTF-8 text).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace fields that editors changed (or that the fixture filled) with the seed.",
        )

    def handle(self, *args, path: str, dry_run: bool = False, overwrite: bool = False, **options):
        try:
            text = read_seed_file(path=Path(path))
            plan = import_seed(text=text, dry_run=dry_run, overwrite=overwrite)
        except SeedFormatError as error:
            raise CommandError(f"{error} (nothing was written)") from error
        except ValidationError as error:
            # full_clean() of a link, e.g. a URL longer than its column allows.
            raise CommandError(
                f"the seed holds a value the catalog cannot store: {describe(error)} "
                "(nothing was written)"
            ) from error
        except IntegrityError as error:
            raise CommandError(
                f"the import conflicts with the catalog's data: {error} (nothing was written)"
            ) from error
        self._report(plan=plan, dry_run=dry_run, verbosity=options.get("verbosity", 1))

    def _report(self, *, plan: ImportPlan, dry_run: bool, verbosity: int) -> None:
        write = self.stdout.write
        by_slug = {entry.slug: entry for entry in plan.entries}
        shown: set[str] = set()
        sections = sorted(plan.mapped + plan.ignored, key=lambda result: result.section.line)
        for result in sections:
            section = result.section
            if result.rule is None:
                write(f"§ {section.heading} (line {section.line}): skipped ({result.notes[0]})")
                continue
            write(f"§ {section.heading} (line {section.line}) -> {', '.join(result.rule.slugs)}")
            if verbosity >= 2:
                for note in result.notes:
                    write(f"    note: {note}")
            for slug in result.rule.slugs:
                entry = by_slug.get(slug)
                if entry is None or slug in shown:
                    continue
                shown.add(slug)
                if entry.skipped_reason:
                    write(self.style.WARNING(f"  {slug}: skipped ({entry.skipped_reason})"))
                    continue
                fields = ", ".join(f"{name} {status}" for name, status in entry.fields.items())
                links = f", +{len(entry.new_links)} link(s)" if entry.new_links else ""
                write(f"  {slug}: {entry.outcome} ({fields or 'no text fields'}{links})")
                if verbosity >= 2:
                    for link, owners in entry.links_elsewhere:
                        write(f"    link kept where editors put it ({owners}): {link.url}")
                for name, status in entry.fields.items():
                    if status is FieldStatus.KEPT_EDITOR:
                        write(self.style.WARNING(f"    kept editor change: {slug}.{name}"))
                    elif status is FieldStatus.KEPT_EXISTING and verbosity >= 2:
                        write(f"    kept existing value: {slug}.{name}")
        untranslated = links_without_english_title(plan=plan)
        if untranslated:
            write(self.style.WARNING(
                f"{untranslated} new link(s) have a Chinese title only: add their English "
                "title in the admin (English pages show the Chinese one until then)"
            ))
        if plan.not_in_seed:
            write(
                f"Not in the seed, skipped ({len(plan.not_in_seed)}): {', '.join(plan.not_in_seed)}"
            )
        prefix = "Dry run, nothing written: would have " if dry_run else "Imported: "
        write(self.style.SUCCESS(prefix + plan.summary_line()))
