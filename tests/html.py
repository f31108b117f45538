"""Checks of rendered HTML that a person using a screen reader or a validator would notice."""

import html5lib
from bs4 import BeautifulSoup


def assert_valid_accessible_html(content: bytes | str) -> BeautifulSoup:
    text = content.decode() if isinstance(content, bytes) else content
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(text)  # raises ParseError on invalid markup

    soup = BeautifulSoup(text, "html.parser")
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert soup.html.get("lang"), "the html element needs a lang attribute"
    assert len(soup.find_all("h1")) == 1, "a page has exactly one h1"
    assert soup.title and soup.title.get_text(strip=True), "a page has a title"

    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted(i for i in ids if ids.count(i) > 1)}"

    for img in soup.find_all("img"):
        assert img.has_attr("alt"), f"image without alt: {img}"

    labelled = {label.get("for") for label in soup.find_all("label")}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in {"hidden", "submit", "button", "reset"}:
            continue
        has_label = (
            field.get("id") in labelled
            or field.get("aria-label")
            or field.get("aria-labelledby")
            or field.find_parent("label")
        )
        assert has_label, f"form field without a label: {field}"
    return soup
