"""Rendering of transactional e-mails: MJML compiled once, Django templates rendered per send.

An e-mail "accounts/verification" is three files under templates/emails/:
- accounts/verification.mjml: the HTML part, an MJML document that includes the shared partials
  (emails/_head.mjml, emails/_header.mjml, emails/_footer.mjml) with <mj-include>;
- accounts/verification.txt: the plain-text part (it includes emails/_footer.txt);
- accounts/verification.subject.txt: the subject, one line.

MJML only passes text and attribute values through, so the Django tags written in the MJML file
survive the compilation. The MJML source is therefore compiled to HTML once, the result is
turned into a Django Template and cached; a send only renders that Template. In DEBUG the cache
entry is rebuilt when one of the files it was built from changes.
"""

import os
import re
from dataclasses import dataclass
from threading import Lock
from typing import Protocol, cast

import mjml
from django.conf import settings
from django.template import Context, Engine, Origin, Template, TemplateDoesNotExist
from django.utils import translation

# The compiled HTML is prefixed with this so that every MJML file and partial may use
# {% translate %} without having to place a {% load %} tag where MJML would reject it.
_HTML_PROLOGUE = "{% load i18n %}"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class _CompiledEmail:
    html: Template
    text: Template
    subject: Template
    # file path -> modification time, to notice edits in DEBUG.
    sources: dict[str, float]


_cache: dict[str, _CompiledEmail] = {}
_cache_lock = Lock()


def _engine() -> Engine:
    # The first (here the only) DjangoTemplates backend of settings.TEMPLATES, typed as such.
    return Engine.get_default()


class _SourceReader(Protocol):
    def get_contents(self, origin: Origin) -> str: ...


def _read(name: str) -> tuple[str, str]:
    """The raw source of a template found by Django's loaders, and the path it came from.

    Raw, not compiled: an MJML partial is not a valid Django template on its own (the
    {% load i18n %} comes later, see _HTML_PROLOGUE).
    """
    for loader in _engine().template_loaders:
        for origin in loader.get_template_sources(name):
            # The loader that made the origin reads it (a cached loader yields its inner
            # loaders' origins); the base Loader class does not declare get_contents.
            reader = cast(_SourceReader, origin.loader)
            try:
                return reader.get_contents(origin), origin.name
            except TemplateDoesNotExist:
                continue
    raise TemplateDoesNotExist(name)


def mjml_compile(source: str, *, sources: dict[str, float] | None = None) -> str:
    """Compile an MJML document to HTML; <mj-include path="..."> reads Django templates."""

    def include_loader(path: str) -> str:
        text, origin = _read(path)
        if sources is not None:
            sources[origin] = _mtime(origin)
        return text

    # fonts={}: no web-font link (a request to a font CDN would tell it who opened the mail).
    return mjml.mjml2html(source, disable_comments=True, fonts={}, include_loader=include_loader)


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _compile(name: str) -> _CompiledEmail:
    sources: dict[str, float] = {}
    mjml_source, mjml_path = _read(f"emails/{name}.mjml")
    sources[mjml_path] = _mtime(mjml_path)
    html = mjml_compile(mjml_source, sources=sources)
    text_source, text_path = _read(f"emails/{name}.txt")
    subject_source, subject_path = _read(f"emails/{name}.subject.txt")
    sources[text_path] = _mtime(text_path)
    sources[subject_path] = _mtime(subject_path)
    engine = _engine()
    return _CompiledEmail(
        html=engine.from_string(_HTML_PROLOGUE + html),
        text=engine.from_string(text_source),
        subject=engine.from_string(subject_source),
        sources=sources,
    )


def _is_stale(compiled: _CompiledEmail) -> bool:
    return any(_mtime(path) != mtime for path, mtime in compiled.sources.items())


def compiled_email_get(name: str) -> _CompiledEmail:
    """The compiled templates of an e-mail, from the cache when possible."""
    compiled = _cache.get(name)
    if compiled is not None and not (settings.DEBUG and _is_stale(compiled)):
        return compiled
    with _cache_lock:
        compiled = _compile(name)
        _cache[name] = compiled
    return compiled


def compiled_cache_clear() -> None:
    _cache.clear()


_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy_text(text: str) -> str:
    """Template tags leave trailing spaces and runs of blank lines in a plain-text part."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)) + "\n"


def email_render(*, template: str, context: dict, language: str) -> RenderedEmail:
    """Render the subject, plain-text and HTML parts of an e-mail in the given language."""
    compiled = compiled_email_get(template)
    with translation.override(language):
        context = {"language": language, **context}
        html = compiled.html.render(Context(context, autoescape=True))
        text = compiled.text.render(Context(context, autoescape=False))
        subject = compiled.subject.render(Context(context, autoescape=False))
    # A subject is one line: a newline in a header would be refused (or worse, injected).
    subject_line = " ".join(subject.split())
    if not subject_line:
        raise ValueError(f"The e-mail template {template!r} rendered an empty subject.")
    return RenderedEmail(subject=subject_line, text=_tidy_text(text), html=html)
