"""`manage.py seed_demo`: build the demo site (idempotent: a second run creates nothing)."""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo.seed import DEFAULT_PRACTITIONERS, MAX_PRACTITIONERS, demo_site_seed


class Command(BaseCommand):
    help = (
        "Construit le site de démonstration : page d'accueil, annuaire, fiches praticiens avec "
        "photos générées, pages légales, identité de l'exploitant et, uniquement en mode démo "
        "(DEMO_MODE), un compte éditeur. Ne crée que ce qui manque."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--practitioners",
            type=int,
            default=DEFAULT_PRACTITIONERS,
            metavar="N",
            help=f"nombre de fiches praticiens à garantir (défaut : {DEFAULT_PRACTITIONERS})",
        )
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="ne crée aucun compte, même en mode démo",
        )

    def handle(self, *args, practitioners: int, no_accounts: bool, **options):
        if not 0 <= practitioners <= MAX_PRACTITIONERS:
            raise CommandError(f"--practitioners doit être compris entre 0 et {MAX_PRACTITIONERS}.")
        started = time.monotonic()
        with _quiet_loggers(enabled=options["verbosity"] < 2):
            report = demo_site_seed(practitioners=practitioners, accounts=not no_accounts)

        if report.changed:
            created = ", ".join(f"{label} : {n}" for label, n in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Créé — {created}."))
        else:
            self.stdout.write(self.style.SUCCESS("Rien à créer : le site de démo est complet."))
        if report.existing and options["verbosity"] >= 1:
            existing = ", ".join(f"{label} : {n}" for label, n in sorted(report.existing.items()))
            self.stdout.write(f"Déjà présent — {existing}.")
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(f"Terminé en {time.monotonic() - started:.1f} s.")

        if report.account:
            admin_url = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/"
            self.stdout.write("")
            self.stdout.write(
                self.style.WARNING(f"Compte éditeur de démonstration ({admin_url}) :")
            )
            self.stdout.write(f"  identifiant (e-mail) : {report.account['email']}")
            if report.account["password"]:
                self.stdout.write(f"  mot de passe : {report.account['password']}")
            else:
                self.stdout.write("  mot de passe : modifié depuis sa création (inchangé)")


@contextmanager
def _quiet_loggers(*, enabled: bool):
    """Hide the per-page INFO lines of Wagtail and django-tasks (hundreds of them) unless -v 2."""
    loggers = [logging.getLogger(name) for name in ("wagtail", "django_tasks")]
    levels = [logger.level for logger in loggers]
    if enabled:
        for logger in loggers:
            logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
