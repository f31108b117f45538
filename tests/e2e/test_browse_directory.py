"""A visitor browses the directory in a real browser: home, filters, results, a profile.

The locators use roles, accessible names and labels, as a screen reader user would, never
CSS classes: the markup may change, what people perceive may not.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import DisciplineFactory, image_create, practitioner_create

# transaction=True: the live server thread reads the data through its own connection.
# serialized_rollback=True: the flush after each test would otherwise also delete what the
# migrations created (Wagtail's root page, the languages), which the next test needs.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def directory_data(site):
    naturopathie = DisciplineFactory(name="Naturopathie", slug="naturopathie")
    sophrologie = DisciplineFactory(name="Sophrologie", slug="sophrologie")
    yoga = DisciplineFactory(name="Yoga", slug="yoga")
    directory = site["directory"]
    camille = practitioner_create(
        directory,
        title="Camille Martin",
        disciplines=[naturopathie],
        city="Lyon",
        postcode="69003",
        languages=("fr", "en"),
        photo=image_create("Camille Martin", "#7aa37a"),
        services=[
            ("Bilan de vitalité", 90, "75.00", "cabinet"),
            ("Suivi en visio", 45, "52.50", "visio"),
        ],
    )
    lea = practitioner_create(
        directory,
        title="Léa Bernard",
        disciplines=[naturopathie, yoga],
        city="Paris",
        postcode="75011",
        photo=image_create("Lea Bernard", "#a37a7a"),
        services=[("Consultation de naturopathie", 60, "65.00", "cabinet")],
    )
    hugo = practitioner_create(
        directory,
        title="Hugo Petit",
        disciplines=[sophrologie],
        city="Marseille",
        postcode="13001",
        services=[("Séance de sophrologie", 60, "55.00", "visio")],
    )
    ines = practitioner_create(
        directory,
        title="Inès Moreau",
        disciplines=[yoga],
        city="Lyon",
        postcode="69007",
        photo=image_create("Ines Moreau", "#7a7aa3"),
        services=[("Cours particulier de yoga", 60, "45.00", "domicile")],
    )
    return {
        "site": site,
        "disciplines": {"naturopathie": naturopathie, "sophrologie": sophrologie, "yoga": yoga},
        "practitioners": {"camille": camille, "lea": lea, "hugo": hugo, "ines": ines},
    }


def result_cards(page: Page):
    """The practitioner cards of the directory results, one article each."""
    return page.get_by_role("main").get_by_role("article")


def result_names(page: Page) -> list[str]:
    return sorted(
        name.strip() for name in result_cards(page).get_by_role("heading").all_inner_texts()
    )


def expect_image_loaded(page: Page, image) -> None:
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()
    handle = image.element_handle()
    page.wait_for_function("img => img.complete", arg=handle)
    natural_width = image.evaluate("img => img.naturalWidth")
    assert natural_width > 0, f"the image {image.get_attribute('src')} did not load"


def test_visitor_filters_the_directory_and_opens_a_profile(live_server, directory_data, page):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Praticiens Bien-Être"))

    page.get_by_role("link", name="Praticiens", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/praticiens/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Praticiens")
    expect(result_cards(page)).to_have_count(4)

    page.get_by_label("Discipline", exact=True).select_option(label="Naturopathie")
    page.get_by_role("button", name="Rechercher", exact=True).click()

    expect(page).to_have_url(re.compile(r"[?&]discipline=naturopathie(&|$)"))
    expect(page.get_by_role("status")).to_contain_text("2 praticiens")
    expect(result_cards(page)).to_have_count(2)
    assert result_names(page) == ["Camille Martin", "Léa Bernard"]
    # The form keeps the visitor's choice.
    expect(page.get_by_label("Discipline", exact=True)).to_have_value("naturopathie")
    expect_image_loaded(page, page.get_by_role("img", name="Portrait de Camille Martin"))

    result_cards(page).get_by_role("link", name="Camille Martin").click()

    expect(page).to_have_url(re.compile(r"/praticiens/camille-martin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Martin")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Naturopathie", exact=True)).to_be_visible()

    services = main.get_by_role("region", name="Prestations et tarifs")
    expect(services).to_be_visible()
    expect(services.get_by_role("heading", name="Bilan de vitalité")).to_be_visible()
    expect(services.get_by_role("heading", name="Suivi en visio")).to_be_visible()
    expect(services).to_contain_text(re.compile(r"75\s*€"))
    expect(services).to_contain_text(re.compile(r"52,50\s*€"))
    expect(services).to_contain_text("90 min")

    expect_image_loaded(page, main.get_by_role("img", name="Portrait de Camille Martin"))


def test_directory_works_with_the_keyboard(live_server, directory_data, page):
    page.goto(live_server.url + "/praticiens/")

    # The first Tab stop is the skip link, and it moves focus to the main content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=re.compile(r"^Aller au contenu"))
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contenu$"))
    expect(page.get_by_role("main")).to_be_focused()

    # From there, Tab reaches the filters; typing a city and pressing Enter submits the form.
    place = page.get_by_label("Ville ou code postal")
    for _ in range(30):
        page.keyboard.press("Tab")
        if place.evaluate("field => field === document.activeElement"):
            break
    expect(place).to_be_focused()
    page.keyboard.type("Lyon")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]lieu=Lyon(&|$)"))
    # Lyon's practitioners first, then, from elsewhere, those who consult in video (Hugo, in
    # Marseille), marked as such.
    expect(page.get_by_role("main")).to_contain_text(
        "Praticiens à Lyon d'abord, puis dans le département, puis en visio."
    )
    cards = result_cards(page)
    expect(cards).to_have_count(3)
    names = [name.strip() for name in cards.get_by_role("heading").all_inner_texts()]
    assert sorted(names[:2]) == ["Camille Martin", "Inès Moreau"]
    assert names[2] == "Hugo Petit"
    # The badge, a paragraph of its own (Camille's "Consultations" also lists "En visio").
    for card, badges in ((cards.nth(0), 0), (cards.nth(1), 0), (cards.nth(2), 1)):
        badge = card.get_by_role("paragraph").filter(has_text=re.compile(r"^\s*En visio\s*$"))
        expect(badge).to_have_count(badges)

    # The results are reachable with the keyboard too: Tab goes on to a card's link, and Enter
    # opens the profile.
    first_card_link = cards.first.get_by_role("link", name=names[0])
    for _ in range(60):
        page.keyboard.press("Tab")
        if first_card_link.evaluate("link => link === document.activeElement"):
            break
    expect(first_card_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(names[0])


def test_directory_fits_a_phone_screen(live_server, directory_data, browser, browser_context_args):
    phone = {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
    context = browser.new_context(**phone)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server.url + "/praticiens/?discipline=yoga")

        discipline = page.get_by_label("Discipline", exact=True)
        toggle = page.get_by_role("button", name="Filtres", exact=True)
        if not discipline.is_visible() and toggle.is_visible():
            # The filters may fold away behind a disclosure button on small screens.
            toggle.click()
        expect(discipline).to_be_visible()
        expect(page.get_by_role("button", name="Rechercher", exact=True)).to_be_visible()

        expect(result_cards(page)).to_have_count(2)
        assert result_names(page) == ["Inès Moreau", "Léa Bernard"]

        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        assert scroll_width <= PHONE["width"], f"horizontal scroll: {scroll_width}px wide"

        for element in [discipline, *result_cards(page).all()]:
            element.scroll_into_view_if_needed()
            box = element.bounding_box()
            assert box is not None and box["width"] > 0
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box

        page.goto(live_server.url + "/praticiens/camille-martin/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Camille Martin")
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        assert scroll_width <= PHONE["width"], f"profile scrolls sideways: {scroll_width}px"
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    ["/", "/praticiens/", "/praticiens/?discipline=naturopathie", "/praticiens/camille-martin/"],
)
def test_no_serious_accessibility_violations(live_server, directory_data, page, path):
    sync_playwright = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python (bundles axe-core) is not installed: add it to [dev]",
    )
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    results = sync_playwright.Axe().run(page)

    blocking = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    details = "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(", ".join(node["target"]) for node in violation["nodes"])
        for violation in blocking
    )
    assert not blocking, f"accessibility violations on {path}:\n{details}"
