"""Keep the search index right for pages whose indexed fields include many-to-many relations.

Wagtail indexes a page from its post_save signal, but modelcluster writes a page's
ParentalManyToMany rows (disciplines, languages) only after that signal has fired. With the
immediate task backend of the embedded default, the index would miss the disciplines of a newly
published profile. Re-indexing once the publication is complete fixes that; with the database
worker in production this is a second, idempotent update.
"""

from modelsearch.tasks import insert_or_update_object_task
from wagtail.signals import page_published


def _reindex_published_page(sender, instance, **kwargs) -> None:
    insert_or_update_object_task.enqueue(
        instance._meta.app_label, instance._meta.model_name, str(instance.pk)
    )


def connect() -> None:
    from cms.models import PractitionerPage

    page_published.connect(_reindex_published_page, sender=PractitionerPage)
