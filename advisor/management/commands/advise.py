"""Ask the advisor from the shell: the same answers, validation and JSON as ``/api/advise/``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from advisor import presentation, services
from advisor.forms import DEFAULT_LIMIT, MAX_LIMIT, Deployment
from aliadvisor.api import dumps
from aliadvisor.parsing import language_code


class Command(BaseCommand):
    help = (
        "Recommend stacks and projects for a need, e.g. "
        '`advise "电商推荐" --scenario recommendation --framework tensorflow --json`.'
    )

    def add_arguments(self, parser):
        parser.add_argument("q", nargs="?", default="", help="Your use case, Chinese or English.")
        parser.add_argument("--scenario", default="", help="Scenario slug, e.g. recommendation.")
        parser.add_argument("--framework", default="", help="Framework slug, e.g. tensorflow.")
        parser.add_argument(
            "--data-type",
            action="append",
            default=[],
            dest="data_type",
            help="Data type slug; repeat it (or use commas) for several.",
        )
        parser.add_argument("--scale", default="", help="single, cluster or massive.")
        parser.add_argument(
            "--deployment", default=Deployment.ANY, help="self-hosted, managed or any."
        )
        parser.add_argument("--maintained-only", action="store_true")
        parser.add_argument("--open-source-only", action="store_true")
        parser.add_argument(
            "--limit", default=str(DEFAULT_LIMIT), help=f"Results to return (1..{MAX_LIMIT})."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the API's JSON body, byte for byte."
        )
        parser.add_argument("--lang", default="zh-hans", help="en or zh-hans (default).")

    def handle(self, *args, **options):
        try:
            language = language_code(options["lang"]) or "zh-hans"
        except ValueError as error:
            raise CommandError(str(error)) from error
        data = {
            "q": options["q"],
            "scenario": options["scenario"],
            "framework": options["framework"],
            "data_type": options["data_type"],
            "scale": options["scale"],
            "deployment": options["deployment"],
            "maintained_only": "1" if options["maintained_only"] else "",
            "open_source_only": "1" if options["open_source_only"] else "",
            "limit": options["limit"],
        }
        with translation.override(language):
            status, payload = services.advise_payload(data=_as_querydict(data))
            if status != 200:
                raise CommandError(_format_errors(payload["errors"]))
            if options["json"]:
                # The API's serializer, so the output is the API's body exactly.
                self.stdout.write(dumps(payload))
            else:
                self.stdout.write(presentation.advice_text(payload=payload))


def _as_querydict(data: dict[str, str | list[str]]) -> QueryDict:
    """The options as the API's query string would arrive (lists: a repeated parameter)."""
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def _format_errors(errors: dict[str, list[str]]) -> str:
    parts = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
    return _("Invalid answers.") + " " + "; ".join(parts)
