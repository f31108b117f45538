"""Sign-up: acceptances in the ledger, inactive until verified, no enumeration, password rules."""

import pytest
from django.core import mail

from accounts.models import SecurityEvent, User
from compliance.models import Acceptance, DocumentKind
from tests.accounts.conftest import PASSWORD, body_shape, link_in, member_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "email": "nina@example.com",
        "first_name": "Nina",
        "last_name": "Rossi",
        "phone": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def signup(client, capture, **overrides):
    with capture(execute=True):
        return client.post("/compte/inscription/", signup_data(**overrides))


def test_signup_page_is_accessible_with_links_to_the_documents(client, policies):
    response = client.get("/compte/inscription/")
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    hrefs = {a["href"] for a in soup.select("form a")}
    assert {"/cgu/", "/confidentialite/"} <= hrefs
    checkbox = soup.find("input", {"name": "accept_terms"})
    assert checkbox["type"] == "checkbox" and not checkbox.has_attr("checked")
    assert soup.find("input", {"name": "email"})["autocomplete"] == "email"
    assert soup.find("input", {"name": "password1"})["autocomplete"] == "new-password"
    assert soup.find("input", {"name": "password2"})["autocomplete"] == "new-password"


def test_signup_creates_an_inactive_account_and_records_both_acceptances(
    client, policies, django_capture_on_commit_callbacks
):
    response = signup(client, django_capture_on_commit_callbacks, phone="06 12 34 56 78")

    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/envoyee/"
    user = User.objects.get(email="nina@example.com")
    assert not user.is_active and user.email_verified_at is None
    assert (user.first_name, user.last_name, user.phone) == ("Nina", "Rossi", "06 12 34 56 78")
    accepted = Acceptance.objects.filter(user=user, context="signup")
    assert {a.version.kind for a in accepted} == {DocumentKind.TERMS, DocumentKind.PRIVACY}
    assert SecurityEvent.objects.filter(user=user, kind="signed_up").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nina@example.com"]
    assert link_in(mail.outbox[0].body, "/compte/verification/")


def test_signup_page_after_success_is_accessible(client, policies):
    response = client.get("/compte/inscription/envoyee/")
    assert_valid_accessible_html(response.content)


def test_signup_is_refused_while_no_policy_is_in_force(
    client, site_tree, django_capture_on_commit_callbacks
):
    get = client.get("/compte/inscription/")
    post = signup(client, django_capture_on_commit_callbacks)

    for response in (get, post):
        assert response.status_code == 503
        assert "Inscriptions momentanément fermées" in response.content.decode()
        assert_valid_accessible_html(response.content)
    assert not User.objects.exists()
    assert not mail.outbox


def test_signup_is_refused_when_only_one_document_is_in_force(
    client, site_tree, django_capture_on_commit_callbacks
):
    site_tree["privacy"].save_revision().publish()
    assert signup(client, django_capture_on_commit_callbacks).status_code == 503
    assert not User.objects.exists()


def test_signup_without_accepting_the_terms_creates_nothing(
    client, policies, django_capture_on_commit_callbacks
):
    data = signup_data()
    del data["accept_terms"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/inscription/", data)

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    checkbox = soup.find("input", {"name": "accept_terms"})
    assert checkbox["aria-invalid"] == "true"
    assert soup.find(id=checkbox["aria-describedby"].split()[-1])
    assert soup.find("a", href=f"#{checkbox['id']}"), "the error summary links to the field"
    assert not User.objects.exists() and not Acceptance.objects.exists() and not mail.outbox


def test_signup_with_a_known_email_answers_the_same_and_warns_the_owner(
    client, policies, django_capture_on_commit_callbacks
):
    owner = member_create(email="nina@example.com", first_name="Nina")
    known = signup(client, django_capture_on_commit_callbacks, email="Nina@Example.com")
    new = signup(client, django_capture_on_commit_callbacks, email="new@example.com")

    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert User.objects.filter(email__iexact="nina@example.com").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD) and owner.first_name == "Nina"
    notice, verification = mail.outbox
    assert notice.to == ["nina@example.com"]
    assert "déjà un compte" in notice.subject
    assert "/compte/connexion/" in notice.body
    assert "/compte/verification/" not in notice.body
    assert verification.to == ["new@example.com"]


def test_signup_again_before_verifying_sends_a_new_verification_link(
    client, policies, django_capture_on_commit_callbacks
):
    signup(client, django_capture_on_commit_callbacks)
    signup(client, django_capture_on_commit_callbacks)

    assert User.objects.filter(email="nina@example.com").count() == 1
    assert [m.to for m in mail.outbox] == [["nina@example.com"]] * 2
    assert all("/compte/verification/" in m.body for m in mail.outbox)


def test_signup_done_page_is_the_same_for_known_and_new_addresses(client, policies):
    member_create(email="nina@example.com")
    first = client.get("/compte/inscription/envoyee/")
    second = client.get("/compte/inscription/envoyee/")
    assert body_shape(first) == body_shape(second)


@pytest.mark.parametrize(
    "password",
    [
        "maisonjardin",  # 12 lowercase letters: a passphrase, no composition rule
        "x" * 128,
        "é" * 200,
    ],
)
def test_long_passwords_without_composition_rules_are_accepted(
    password, client, policies, django_capture_on_commit_callbacks
):
    response = signup(
        client, django_capture_on_commit_callbacks, password1=password, password2=password
    )
    assert response.status_code == 302
    assert User.objects.get(email="nina@example.com").check_password(password)


@pytest.mark.parametrize(
    "password, reason",
    [
        ("jardinmaiso", "trop court"),  # 11 characters
        ("finalfantasy", "trop courant"),  # in the common passwords list
        ("nina.rossi.example", "trop semblable"),  # derived from the e-mail and the name
        ("y" * 1025, "trop long"),
    ],
)
def test_short_common_personal_or_huge_passwords_are_refused(
    password, reason, client, policies, django_capture_on_commit_callbacks
):
    response = signup(
        client,
        django_capture_on_commit_callbacks,
        email="nina.rossi@example.com",
        password1=password,
        password2=password,
    )
    assert response.status_code == 200
    assert reason in response.content.decode().lower()
    assert not User.objects.exists()


def test_mismatched_password_confirmation_is_refused(
    client, policies, django_capture_on_commit_callbacks
):
    response = signup(client, django_capture_on_commit_callbacks, password2=PASSWORD + "!")
    assert response.status_code == 200
    assert "ne sont pas identiques" in response.content.decode()
    assert not User.objects.exists()


def test_bad_phone_number_is_refused(client, policies, django_capture_on_commit_callbacks):
    response = signup(client, django_capture_on_commit_callbacks, phone="appelez-moi")
    assert response.status_code == 200
    assert "numéro de téléphone" in response.content.decode()
    assert not User.objects.exists()


def test_argon2_hashes_passwords_in_every_environment_but_tests():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    validators = [v["NAME"].rsplit(".", 1)[-1] for v in base.AUTH_PASSWORD_VALIDATORS]
    assert validators == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "MaximumLengthValidator",
    ]


def test_signed_in_member_visiting_signup_goes_to_their_account(client, policies, member):
    client.force_login(member)
    response = client.get("/compte/inscription/")
    assert response.status_code == 302 and response["Location"] == "/compte/"
