"""Read each open-source entry's health from GitHub: ``manage.py refresh_health [SLUG ...]``.

For every open-source entry whose repository is on GitHub (or the entries named): archived,
stars, open issues, the last commit of the default branch and the latest release (or, without
one, the newest tag by commit date), dated today in ``health_checked``. ``GITHUB_TOKEN`` (a
token without scopes is enough) raises GitHub's limit from 60 to 5,000 requests an hour.

One repository that cannot be read is reported and skipped, with nothing written for it; the
others are still read, and the command exits non-zero at the end. A repository that moved is
reported with its new home: change ``repo_url`` by hand after checking it is the same project.
Values are saved through the model (the history records them, reason "refresh_health").
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from catalog.github import (
    CachedResponse,
    GitHubClient,
    GitHubError,
    RateLimited,
    Reading,
    RepositoryMoved,
)
from catalog.health import HEALTH_CHANGE_REASON
from catalog.models import GitHubResponse, Project


class Command(BaseCommand):
    help = "Read health signals (last commit, release, stars...) of GitHub entries from GitHub."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Only these entries.")
        parser.add_argument(
            "--timeout", type=float, default=10.0, help="Seconds per request (default 10)."
        )
        parser.add_argument(
            "--retries", type=int, default=3,
            help="Retries after a timeout, a 5xx answer or a rate limit (default 3).",
        )  # fmt: skip
        parser.add_argument(
            "--max-wait", type=float, default=300.0,
            help="Longest wait for a rate limit to reset, in seconds (default 300); "
            "a longer one stops the run.",
        )  # fmt: skip
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar on stderr."
        )

    def handle(self, *args, slugs, timeout, retries, max_wait, no_progress, **options):
        if timeout <= 0 or retries < 0 or max_wait < 0:
            raise CommandError("--timeout must be positive, --retries and --max-wait not negative.")
        entries = self._entries(slugs=slugs)
        token = os.environ.get("GITHUB_TOKEN", "").strip() or None
        etags = {
            row.url: CachedResponse(etag=row.etag, body=row.body)
            for row in GitHubResponse.objects.all()
        }
        today = timezone.localdate()
        counts = {"updated": 0, "unchanged": 0}
        failed: list[str] = []
        bar = tqdm(
            entries, desc="refresh_health", unit="repo", file=sys.stderr,
            disable=True if no_progress else None,  # None: only on a terminal
        )  # fmt: skip
        self._bar = bar
        with GitHubClient(
            token=token, etags=etags, timeout=timeout, max_retries=retries, max_wait=max_wait
        ) as client:
            for index, (project, repo) in enumerate(bar):
                bar.set_postfix_str(project.slug)
                try:
                    reading = client.read_health(repo)
                except RepositoryMoved as moved:
                    failed.append(project.slug)
                    self._report(
                        f"{project.slug}: {repo} has moved to {moved.new_home}; not changed "
                        "(check it is the same project, then update its repository URL)"
                    )
                    continue
                except RateLimited as error:
                    rest = [entry.slug for entry, _repo in entries[index:]]
                    failed.extend(rest)
                    self._report(f"{project.slug}: {error}; stopped, not read: {', '.join(rest)}")
                    break
                except GitHubError as error:
                    failed.append(project.slug)
                    self._report(f"{project.slug}: {error}; skipped, nothing written")
                    continue
                self._store(project=project, reading=reading, today=today)
                counts["unchanged" if reading.unchanged else "updated"] += 1
            if not slugs and not failed:
                # A full run that read everything: ETags of requests no longer made (an old
                # tag's commit, a removed entry) are dropped, so the table does not grow.
                GitHubResponse.objects.exclude(url__in=client.requested).delete()
        bar.close()
        summary = (
            f"Read {counts['updated'] + counts['unchanged']} of {len(entries)} repositories: "
            f"{counts['updated']} read afresh, {counts['unchanged']} unchanged (304), "
            f"{len(failed)} failed."
        )
        if failed:
            raise CommandError(f"{summary} Not read: {', '.join(failed)}.")
        self.stdout.write(self.style.SUCCESS(summary))

    def _entries(self, *, slugs: list[str]) -> list[tuple[Project, str]]:
        projects = Project.objects.open_source().order_by("slug")
        if slugs:
            wanted = list(dict.fromkeys(slugs))
            projects = Project.objects.filter(slug__in=wanted).order_by("slug")
            unknown = sorted(set(wanted) - {project.slug for project in projects})
            if unknown:
                raise CommandError(f"No catalog entry has the slug(s): {', '.join(unknown)}.")
        entries = []
        for project in projects:
            repo = project.github_repo
            if repo is None:
                if slugs:
                    self._report(f"{project.slug}: not an open-source entry on GitHub; skipped")
                continue
            entries.append((project, repo))
        return entries

    @transaction.atomic
    def _store(self, *, project: Project, reading: Reading, today) -> None:
        """The values and the ETags that produced them, together or not at all."""
        health = reading.health
        project = Project.objects.select_for_update().get(pk=project.pk)
        project.archived = health.archived
        project.stars = health.stars
        project.open_issues = health.open_issues
        project.last_commit = health.last_commit
        project.last_release_tag = health.last_release_tag
        project.last_release_date = health.last_release_date
        project.health_checked = today
        project._change_reason = HEALTH_CHANGE_REASON
        project.save(update_fields=list(Project.HEALTH_FIELDS))
        for url, cached in reading.cache_updates.items():
            GitHubResponse.objects.update_or_create(
                url=url,
                defaults={"etag": cached.etag, "body": cached.body, "fetched": timezone.now()},
            )

    def _report(self, message: str) -> None:
        bar = getattr(self, "_bar", None)
        with bar.external_write_mode(file=sys.stderr) if bar is not None else nullcontext():
            self.stderr.write(message)
