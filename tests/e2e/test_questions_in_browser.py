"""A user asks a practitioner a question from the profile, the practitioner answers from their
area, and each is told by e-mail with a link, never with the text (nor the subject).

transaction=True: the live server reads the data through its own connection, and the e-mails
(queued on commit, delivered by the immediate task backend) are really sent.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from exchanges.models import MessageAuthor, Thread
from staff.models import PractitionerAccount
from tests.e2e.conftest import admin_session_open
from tests.factories import bookable_practitioner_create, client_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "une phrase de passe"
SUBJECT = "Migraines et séances"
QUESTION = "Migraines ophtalmiques depuis l'enfance : la réflexologie peut-elle aider ?"
ANSWER = "Elle peut soulager certaines tensions ; parlez-en aussi à votre médecin traitant."


def _mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def _assert_without_text(message, *texts: str) -> None:
    html = "".join(content for content, _mimetype in getattr(message, "alternatives", []))
    sent = f"{message.subject}\n{message.body}\n{html}"
    for text in texts:
        assert text not in sent and text[:25] not in sent


def test_a_question_and_its_answer_each_notified_without_the_text(
    live_server, site, page: Page, browser: Browser
):
    practitioner = bookable_practitioner_create(site["directory"], title="Camille Martin")
    pro = client_create(email="camille.pro@example.com", password=PASSWORD)
    PractitionerAccount.objects.create(user=pro, page=practitioner.page)
    client_create(email="claire@example.com", password=PASSWORD)

    # The visitor finds the link on the profile and signs in on the way.
    page.goto(live_server.url + practitioner.page.url)
    main = page.get_by_role("main")
    main.get_by_role("link", name="Poser une question").click()
    expect(page).to_have_url(re.compile(r"/compte/connexion/\?next="))
    page.get_by_label("Adresse e-mail").fill("claire@example.com")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    main.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Poser une question à Camille Martin")
    expect(main).to_contain_text("n'envoyez pas d'information sur votre santé")
    expect(main).to_contain_text("conservé 5 ans après son dernier message")
    main.get_by_label("Objet").fill(SUBJECT)
    main.get_by_label("Votre question").fill(QUESTION)
    main.get_by_role("button", name="Envoyer ma question").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.get_by_role("status")).to_contain_text("Votre question est envoyée")
    expect(main).to_contain_text(QUESTION)
    thread = Thread.objects.get()
    (to_pro,) = _mails_to("camille.pro@example.com")
    assert f"/espace-praticien/messages/{thread.pk}/" in to_pro.body
    _assert_without_text(to_pro, SUBJECT, QUESTION)
    assert _mails_to("claire@example.com") == []

    # The practitioner, in another browser, answers from their area.
    context = browser.new_context(locale="fr-FR")
    pro_page = context.new_page()
    pro_page.set_default_timeout(10_000)
    admin_session_open(pro_page, live_server, pro)
    pro_page.goto(live_server.url + "/espace-praticien/messages/")
    expect(pro_page.get_by_role("heading", level=1)).to_have_text("Messages")
    pro_main = pro_page.get_by_role("main")
    pro_main.get_by_role("link", name=SUBJECT).click()
    expect(pro_main).to_contain_text(QUESTION)
    pro_main.get_by_label("Votre réponse").fill(ANSWER)
    pro_main.get_by_role("button", name="Envoyer", exact=True).click()
    expect(pro_page.get_by_role("status")).to_contain_text("Votre message est envoyé")
    expect(pro_main).to_contain_text(ANSWER)
    context.close()

    last = thread.messages.last()
    assert last is not None and last.author_role == MessageAuthor.PRACTITIONER
    (to_client,) = _mails_to("claire@example.com")
    assert f"/compte/messages/{thread.pk}/" in to_client.body
    _assert_without_text(to_client, SUBJECT, QUESTION, ANSWER)

    # The user follows the e-mail's link and reads the answer.
    page.goto(live_server.url + f"/compte/messages/{thread.pk}/")
    expect(page.get_by_role("main")).to_contain_text(ANSWER)
