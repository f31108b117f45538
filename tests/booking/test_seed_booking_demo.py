"""seed_booking_demo makes every live practitioner bookable, once, without accounts."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from booking.models import Practitioner
from booking.selectors import practitioner_next_free_slot
from tests.factories import bookable_practitioner_create, practitioner_create


def run():
    out = StringIO()
    call_command("seed_booking_demo", stdout=out)
    return out.getvalue()


def test_seed_makes_live_practitioners_bookable_once(directory):
    pages = [practitioner_create(directory, title=f"Praticien {n}") for n in range(5)]
    draft = practitioner_create(directory, title="Brouillon", live=False)
    already = bookable_practitioner_create(directory, title="Déjà réservable", buffer_minutes=5)
    users_before = get_user_model().objects.count()

    assert "5" in run()

    seeded = Practitioner.objects.filter(page__in=pages)
    assert seeded.count() == 5
    assert not Practitioner.objects.filter(page=draft).exists()
    # Varied rules, hours and exceptions, and each one offers slots.
    assert len({p.slot_step_minutes for p in seeded}) > 1
    for practitioner in seeded:
        assert practitioner.opening_hours.exists()
        assert practitioner.days_off.count() == 1
        assert practitioner.special_hours.get().date.weekday() == 6
        service = practitioner.page.services.first()
        assert practitioner_next_free_slot(practitioner=practitioner, service=service)
    already.refresh_from_db()
    assert already.buffer_minutes == 5 and already.special_hours.count() == 0

    assert "Rien à créer" in run()
    assert Practitioner.objects.count() == 6
    assert get_user_model().objects.count() == users_before


def test_embedded_demo_gets_a_practitioner_and_a_client_account_once(directory, settings):
    from staff.models import PractitionerAccount

    settings.DEMO_MODE = True
    practitioner_create(directory, title="Léa Perrin")
    output = run()
    assert "praticien@example.com" in output and "client@example.com" in output

    User = get_user_model()
    practitioner_user = User.objects.get(email="praticien@example.com")
    account = PractitionerAccount.objects.get(user=practitioner_user)
    assert account.page.title == "Léa Perrin"
    assert practitioner_user.check_password("demo-praticien-2026")
    assert User.objects.get(email="client@example.com").is_active

    run()
    assert (
        User.objects.filter(email__in=["praticien@example.com", "client@example.com"]).count() == 2
    )
    assert PractitionerAccount.objects.count() == 1
