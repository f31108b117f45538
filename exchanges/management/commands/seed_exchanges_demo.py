"""The demo's review rules page, under the home page; idempotent (`make run` calls it after
seed_demo). cms's seed_demo cannot create it: cms must not import exchanges."""

from django.core.management.base import BaseCommand, CommandError

from cms.models import HomePage
from exchanges.reviews.demo import review_rules_page_seed


class Command(BaseCommand):
    help = "Crée la page des règles des avis de la démo si elle manque (idempotent)."

    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("Aucune page d'accueil : lancez d'abord seed_demo.")
        page = review_rules_page_seed(home)
        if page is None:
            self.stdout.write("Page des règles des avis : déjà présente.")
        else:
            self.stdout.write(f"Page des règles des avis créée : {page.url}")
