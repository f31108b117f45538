"""What every part of the demo seed shares: its report, page creation, the demo images."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.log_actions import log
from wagtail.models import Collection, Page

DEMO_COLLECTION = "Démo"


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    account: dict[str, str] | None = None
    # Everything created that the search index holds, indexed once at the end.
    to_index: list = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def page_create(parent: Page, page: Page, report: SeedReport) -> Page:
    """Add `page` under `parent` as a draft, the way the admin's "create" view does."""
    page.live = False
    parent.add_child(instance=page)
    log(instance=page, action="wagtail.create")
    report.to_index.append(page)
    return page


def page_publish(page: Page) -> None:
    page.save_revision(log_action=True).publish()


def demo_collection(report: SeedReport) -> Collection:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=DEMO_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=DEMO_COLLECTION)
        report.created["collection"] += 1
    return collection


def image_get_or_create(
    title: str,
    filename: str,
    make_jpeg: Callable[[], bytes],
    collection: Collection,
    report: SeedReport,
    *,
    description: str = "",
) -> AbstractImage:
    Image = get_image_model()
    image = Image.objects.filter(title=title, collection=collection).first()
    if image is not None:
        report.existing["image"] += 1
        return image
    image = Image(
        title=title,
        description=description,
        collection=collection,
        file=ImageFile(BytesIO(make_jpeg()), name=filename),
    )
    image._set_image_file_metadata()  # file size and hash, as the admin's upload form does
    image.save()
    report.created["image"] += 1
    report.to_index.append(image)
    return image
