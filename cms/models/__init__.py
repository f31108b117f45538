"""Wagtail page models, snippets and site settings, split by area."""

from cms.models.directory import DirectoryPage
from cms.models.home import HomePage
from cms.models.legal import LegalPage, PrivacyPolicyPage, TermsPage, VersionedDocumentPage
from cms.models.practitioner import (
    PractitionerCertification,
    PractitionerPage,
    PractitionerService,
    ServicePayment,
)
from cms.models.settings import OperatorSettings
from cms.models.snippets import ConsultationMode, Discipline, Language

__all__ = [
    "ConsultationMode",
    "DirectoryPage",
    "Discipline",
    "HomePage",
    "Language",
    "LegalPage",
    "OperatorSettings",
    "PractitionerCertification",
    "PractitionerPage",
    "PractitionerService",
    "PrivacyPolicyPage",
    "ServicePayment",
    "TermsPage",
    "VersionedDocumentPage",
]
