"""French texts of the demo's legal pages and home page, as rich-text HTML.

The privacy policy restates /work/shared/spec/privacy-rules.md (purposes, legal bases, retention,
recipients, rights) and adds nothing the platform does not do.

The operator's identity (company, addresses, DPO e-mail, host) is deliberately NOT written into
these texts: it is an editable site setting (OperatorSettings), which templates/cms/legal_page.html
renders live under every legal page. A copy frozen into a page body would go stale the day an
editor changes the DPO's address, and readers would write to a dead mailbox.
"""

from __future__ import annotations

import re

from django.utils.html import escape

IDENTITY_BOX = "« Identité de l'exploitant »"


def page_link(page_ids: dict[str, int], slug: str, text: str) -> str:
    """A Wagtail internal link (follows the page if its slug changes), or a plain one."""
    if slug in page_ids:
        return f'<a linktype="page" id="{page_ids[slug]}">{escape(text)}</a>'
    return f'<a href="/{slug}/">{escape(text)}</a>'


_BLOCK = r"(?:p|h2|h3|h4|ul|ol|li)"


def compact(html: str) -> str:
    """One line of HTML: no whitespace between blocks, single spaces inside them.

    The texts below are wrapped for reading; the rich-text editor would otherwise keep the
    line breaks as stray spaces at the start and end of blocks.
    """
    html = re.sub(rf"\s*(</?{_BLOCK}>)\s*", r"\1", html.strip())
    return re.sub(r"\s+", " ", html)


def _items(rows) -> str:
    return "".join(f"<li><b>{escape(label)}</b> : {text}</li>" for label, text in rows)


# --- Privacy policy -------------------------------------------------------------------------

PURPOSES = (
    ("Gestion de votre compte en ligne", "l'exécution des CGU que vous avez acceptées et notre intérêt légitime"),  # noqa: E501
    ("Gestion des rendez-vous", "l'exécution des CGU et notre intérêt légitime"),
    ("Paiement des rendez-vous", "l'exécution des CGU et notre intérêt légitime"),
    ("Échanges entre les utilisateurs et les praticiens", "l'exécution des CGU et notre intérêt légitime"),  # noqa: E501
    ("Envoi de la lettre d'information", "votre consentement"),
    ("Gestion technique de la plateforme (maintenance, hébergement, sécurité, administration)", "notre intérêt légitime"),  # noqa: E501
    ("Traitement des signalements portant sur les avis laissés par les clients sur les praticiens", "l'exécution des CGU et, dans certains cas, le respect d'une obligation légale"),  # noqa: E501
    ("Prévention de la fraude informatique (spam, piratage)", "notre intérêt légitime"),
    ("Service d'assistance", "notre intérêt légitime et l'exécution des CGU"),
    ("Réponse aux demandes d'information envoyées par le formulaire de contact", "notre intérêt légitime"),  # noqa: E501
)  # fmt: skip

RETENTION = (
    (
        "Lettre d'information",
        "3 ans à compter de la collecte ou de votre dernier contact avec nous (par exemple un "
        "clic sur un lien d'un de nos messages). À l'issue de ce délai, nous vous demandons si "
        "vous souhaitez continuer à la recevoir : si vous répondez explicitement oui, vos "
        "données sont conservées 3 ans de plus ; sans réponse positive explicite, elles sont "
        "supprimées ou archivées.",
    ),
    ("Formulaire de contact", "3 ans à compter de votre demande, puis suppression."),
    (
        "Compte utilisateur",
        "pendant toute la durée d'activité du compte, puis 5 ans à compter de votre dernière "
        "activité, puis suppression.",
    ),
    (
        "Compte supprimé à votre demande",
        "6 mois à compter de votre demande de suppression, puis suppression.",
    ),
    (
        "Échanges entre utilisateurs et praticiens",
        "5 ans à compter de la fin de l'échange, puis suppression.",
    ),
    ("Rendez-vous", "5 ans à compter de la date du rendez-vous, puis suppression."),
    (
        "Paiements",
        "les données de carte bancaire ne sont utilisées que le temps de la transaction : "
        "elles ne transitent pas par nos serveurs et ne sont jamais conservées par la "
        "plateforme.",
    ),
    (
        "Gestion technique",
        "uniquement le temps nécessaire à l'opération technique concernée, puis suppression.",
    ),
    ("Signalements d'avis", "5 ans à compter du signalement, puis suppression."),
    (
        "Prévention de la fraude",
        "1 mois au maximum à compter de la collecte, puis suppression.",
    ),
    ("Assistance", "jusqu'à la clôture de la demande (ticket), puis suppression à la clôture."),
)


def privacy_policy_html(*, page_ids: dict[str, int]) -> str:
    purposes = "".join(
        f"<li><b>P{number}. {escape(purpose)}</b> : fondée sur {escape(basis)}.</li>"
        for number, (purpose, basis) in enumerate(PURPOSES, start=1)
    )
    retention = _items(RETENTION)
    legal_notice = page_link(page_ids, "mentions-legales", "mentions légales")
    return compact(f"""
<p>La présente politique explique quelles données personnelles sont traitées sur la
plateforme, pourquoi, pendant combien de temps, et comment exercer vos droits. Elle s'applique
aux visiteurs du site, aux utilisateurs qui prennent rendez-vous avec un praticien, ainsi qu'aux
praticiens et aux membres de l'équipe éditoriale qui se connectent pour gérer leurs contenus.</p>
<p>L'identité et les coordonnées de l'exploitant de la plateforme (adresse postale, adresse
e-mail de contact, adresse e-mail du délégué à la protection des données) figurent dans
l'encadré {IDENTITY_BOX} en bas de cette page et dans les {legal_notice}.</p>

<h2>1. Qui est responsable de vos données ?</h2>
<h3>La plateforme, responsable de traitement</h3>
<p>L'exploitant de la plateforme est responsable des traitements liés à votre compte
utilisateur, à votre navigation et à votre utilisation de la plateforme.</p>
<h3>Le praticien, responsable des données de ses rendez-vous</h3>
<p>Les données collectées pour un rendez-vous avec un praticien sont traitées sous la
responsabilité de ce praticien. Pour ces données, la plateforme agit en qualité de
sous-traitant, uniquement sur les instructions du praticien.</p>
<p>En conséquence, un praticien ne voit que les rendez-vous, les messages et les coordonnées de
ses propres clients. Les membres de notre équipe n'accèdent aux données de rendez-vous que
lorsqu'une tâche l'exige (assistance, modération), et chacun de ces accès est journalisé.</p>

<h2>2. Quelles données collectons-nous, et d'où viennent-elles ?</h2>
<h3>Sources</h3>
<p>Nous collectons des données lorsque vous :</p>
<ul>
<li>créez un compte ou utilisez le formulaire de contact ;</li>
<li>prenez rendez-vous avec un praticien ;</li>
<li>payez un rendez-vous en ligne ;</li>
<li>posez des questions à un praticien ou lui répondez ;</li>
<li>signalez un avis, ou êtes concerné par un signalement ;</li>
<li>vous abonnez à la lettre d'information ;</li>
<li>échangez avec nous, notamment avec notre service d'assistance.</li>
</ul>
<h3>Catégories de données</h3>
<ul>
<li>les données de votre compte ;</li>
<li>vos données d'identité : nom, prénom, adresse e-mail, numéro de téléphone ;</li>
<li>vos données de connexion (adresse IP, identifiants de connexion) et d'utilisation de la
plateforme ;</li>
<li>les avis et les signalements ;</li>
<li>le contenu de vos échanges avec les praticiens ;</li>
<li>les données de carte bancaire, au moment d'un paiement.</li>
</ul>
<p>Ces données sont nécessaires aux finalités décrites ci-dessous : nous ne collectons rien
d'autre.</p>

<h2>3. Pourquoi utilisons-nous vos données, et sur quelle base légale ?</h2>
<ul>{purposes}</ul>
<p>Lorsque le traitement repose sur votre consentement (la lettre d'information), vous pouvez
le retirer à tout moment.</p>

<h2>4. Combien de temps conservons-nous vos données ?</h2>
<p>Vos données sont conservées au maximum pendant les durées suivantes :</p>
<ul>{retention}</ul>

<h2>5. Qui reçoit vos données ?</h2>
<p>Seul l'exploitant de la plateforme utilise vos données. Les données d'un rendez-vous et de
vos échanges sont, par nature, accessibles au praticien concerné, qui en est responsable.</p>
<p>Vos données ne sont transmises à personne d'autre, sauf :</p>
<ul>
<li>lorsque c'est nécessaire à l'hébergement et à la maintenance de la plateforme ;</li>
<li>aux autorités compétentes, à leur demande, dans le cadre de procédures judiciaires ou
d'obligations légales.</li>
</ul>
<p>Aucune donnée n'est transférée en dehors de l'Union européenne.</p>

<h2>6. Comment vos données sont-elles protégées ?</h2>
<ul>
<li>Toutes les pages de la plateforme sont servies en HTTPS.</li>
<li>La plateforme est hébergée sur un serveur certifié HDS (hébergeur de données de santé).</li>
<li>Les membres de notre équipe et nos sous-traitants ne traitent vos données que sur nos
instructions.</li>
<li>Les accès de notre équipe aux données de rendez-vous sont limités aux tâches qui
l'exigent et sont journalisés.</li>
</ul>

<h2>7. Décisions automatisées</h2>
<p>Aucune décision vous concernant n'est prise sur le seul fondement d'un traitement
automatisé.</p>

<h2>8. Vos droits</h2>
<h3>Les droits dont vous disposez</h3>
<ul>
<li>le droit d'accès à vos données ;</li>
<li>le droit de rectification ;</li>
<li>le droit à l'effacement (suppression) ;</li>
<li>le droit d'opposition ;</li>
<li>le droit à la portabilité, dans les conditions prévues par la réglementation ;</li>
<li>le droit de retirer votre consentement à tout moment, lorsque le traitement repose sur
celui-ci (lettre d'information) ;</li>
<li>le droit de définir des directives générales ou particulières relatives à la conservation,
à l'effacement et à la communication de vos données après votre décès.</li>
</ul>
<h3>Comment les exercer</h3>
<p>Adressez votre demande aux responsables de l'exploitant, par courrier à son adresse
postale ou par e-mail à son adresse de contact (voir l'encadré {IDENTITY_BOX}).</p>
<p>Votre demande doit indiquer vos nom, prénom et adresse e-mail ou postale, être signée et
être accompagnée d'un justificatif d'identité en cours de validité.</p>
<p>Pour les données d'un rendez-vous, dont le praticien est responsable, vous pouvez également
vous adresser directement à ce praticien.</p>

<h2>9. Délégué à la protection des données et réclamation</h2>
<p>Nous avons désigné auprès de la CNIL un délégué à la protection des données (DPO), que vous
pouvez joindre par e-mail, à l'adresse indiquée dans l'encadré {IDENTITY_BOX}, pour toute
question sur le traitement de vos données.</p>
<p>Vous pouvez également introduire une réclamation auprès de la Commission nationale de
l'informatique et des libertés (CNIL), 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07,
<a href="https://www.cnil.fr">www.cnil.fr</a>.</p>

<h2>10. Cookies</h2>
<p>La plateforme n'utilise que des cookies strictement nécessaires à son fonctionnement, qui
ne demandent pas votre consentement. Aucun cookie de mesure d'audience, de publicité ou de
réseau social n'est déposé.</p>
<ul>
<li><b>sessionid</b> : maintient votre session lorsque vous êtes connecté ;</li>
<li><b>csrftoken</b> : protège les formulaires contre les requêtes frauduleuses
(falsification de requêtes intersites) ;</li>
<li><b>django_language</b> : mémorise la langue d'affichage que vous avez choisie.</li>
</ul>

<h2>11. Mises à jour de cette politique</h2>
<p>Cette politique peut évoluer. Chaque version porte sa date de mise à jour, indiquée en tête
de page ; toutes les versions successives restent consultables et téléchargeables, et nous
conservons la version que vous avez acceptée ainsi que la date de cette acceptation.</p>
""")


# --- Terms of use (CGU) ---------------------------------------------------------------------


def terms_html(*, page_ids: dict[str, int]) -> str:
    return compact(f"""
<h2>1. Objet</h2>
<p>Les présentes conditions générales d'utilisation (CGU) encadrent l'utilisation de la
plateforme dont l'éditeur est présenté dans les
{page_link(page_ids, "mentions-legales", "mentions légales")}, qui permet de trouver des
praticiens du bien-être, de consulter leur profil, de prendre rendez-vous avec eux, de payer
ces rendez-vous en ligne et d'échanger avec eux. Utiliser la plateforme, et en particulier créer
un compte, suppose d'accepter ces CGU.</p>

<h2>2. Rôle de la plateforme</h2>
<p>La plateforme met en relation les utilisateurs et des praticiens indépendants. Chaque
praticien est seul responsable de ses prestations, de ses tarifs et des informations de son
profil. Les pratiques présentées relèvent du bien-être : elles ne remplacent ni un diagnostic,
ni un traitement, ni un suivi médical.</p>

<h2>3. Compte utilisateur</h2>
<p>Vous vous engagez à fournir des informations exactes et à garder votre mot de passe
confidentiel. Vous pouvez supprimer votre compte à tout moment ; ses données sont alors
traitées comme le prévoit la politique de confidentialité.</p>

<h2>4. Rendez-vous et paiement</h2>
<p>Un rendez-vous est confirmé lorsque la plateforme vous l'indique. Les conditions de chaque
prestation (durée, prix, lieu ou visio) sont affichées sur le profil du praticien avant la
réservation. Le paiement en ligne est réalisé par carte bancaire sur un formulaire sécurisé :
les données de votre carte ne transitent pas par nos serveurs.</p>

<h2>5. Avis et signalements</h2>
<p>Les avis doivent porter sur une prestation réellement reçue et rester courtois. Tout
utilisateur ou praticien peut signaler un avis qu'il estime contraire aux présentes CGU ou à la
loi ; l'exploitant examine chaque signalement et peut retirer un avis.</p>

<h2>6. Obligations des utilisateurs</h2>
<p>Il est interdit d'utiliser la plateforme à des fins illicites, de publier des contenus
injurieux ou diffamatoires, de tenter d'accéder sans autorisation aux données d'autrui ou de
perturber le fonctionnement du service (spam, piratage).</p>

<h2>7. Propriété intellectuelle</h2>
<p>Les textes, la présentation et les éléments graphiques de la plateforme sont protégés. Les
praticiens garantissent disposer des droits sur les contenus qu'ils publient.</p>

<h2>8. Responsabilité</h2>
<p>L'exploitant s'efforce d'assurer l'accès à la plateforme en continu, sans pouvoir le
garantir, notamment en cas de maintenance. Il n'est pas partie au contrat conclu entre
l'utilisateur et le praticien.</p>

<h2>9. Données personnelles</h2>
<p>Le traitement de vos données est décrit dans la
{page_link(page_ids, "confidentialite", "politique de confidentialité")}.</p>

<h2>10. Modification des CGU</h2>
<p>Les CGU peuvent évoluer ; la version en vigueur est celle publiée sur cette page, à la date
indiquée.</p>

<h2>11. Droit applicable et litiges</h2>
<p>Les présentes CGU sont soumises au droit français. En cas de litige, vous pouvez d'abord
nous écrire à l'adresse de contact indiquée dans l'encadré {IDENTITY_BOX} afin de rechercher
une solution amiable. Si
vous êtes consommateur, vous pouvez aussi recourir gratuitement à un médiateur de la
consommation ; à défaut d'accord, les tribunaux français sont compétents.</p>
""")


# --- Legal notice (mentions légales, LCEN art. 6 III) ---------------------------------------


def legal_notice_html(*, page_ids: dict[str, int]) -> str:
    return compact(f"""
<p>Conformément à l'article 6, III, de la loi n° 2004-575 du 21 juin 2004 pour la confiance
dans l'économie numérique (LCEN), l'encadré {IDENTITY_BOX} ci-dessous indique :</p>
<ul>
<li><b>l'éditeur du site</b> : raison sociale, forme juridique et capital, numéro
d'immatriculation, adresse du siège, adresse e-mail et numéro de téléphone ;</li>
<li><b>le directeur de la publication</b> ;</li>
<li><b>l'hébergeur</b> : nom, adresse et numéro de téléphone. Le site est hébergé sur un
serveur certifié HDS (hébergeur de données de santé).</li>
</ul>

<h2>Contact</h2>
<p>Pour toute question sur le site, écrivez à l'adresse e-mail de contact de l'éditeur. Pour
toute question sur vos données personnelles, écrivez au délégué à la protection des données,
dont l'adresse figure dans le même encadré.</p>

<h2>Propriété intellectuelle</h2>
<p>Les contenus du site (textes, mise en page, éléments graphiques) sont la propriété de
l'éditeur ou des praticiens qui les publient. Toute reproduction sans autorisation est
interdite.</p>

<h2>Données personnelles</h2>
<p>Voir la {page_link(page_ids, "confidentialite", "politique de confidentialité")} et les
{page_link(page_ids, "cgu", "conditions générales d'utilisation")}.</p>
""")


# --- Home page and directory ----------------------------------------------------------------

HOME_HERO_TITLE = "Trouvez un praticien du bien-être près de chez vous"
HOME_HERO_TEXT = (
    "Naturopathie, sophrologie, yoga, réflexologie et bien d'autres pratiques : comparez les "
    "profils, les prestations et les tarifs, puis réservez en cabinet, en visio ou à domicile."
)
HOME_HERO_CTA = "Voir les praticiens"
HOME_DISCIPLINES_HEADING = "Explorer par discipline"
HOME_PRACTITIONERS_HEADING = "Quelques praticiens"
HOME_RICH_TEXT = compact("""
<h2>Comment ça marche ?</h2>
<ol>
<li>Cherchez par discipline, par ville ou par mode de consultation.</li>
<li>Consultez le profil du praticien : parcours, certifications, prestations et tarifs.</li>
<li>Choisissez un créneau et réservez en ligne.</li>
</ol>
<h2>Bien-être, pas soin médical</h2>
<p>Les pratiques présentées ici accompagnent votre bien-être : elles ne remplacent ni un
diagnostic ni un traitement médical. Pour toute question de santé, consultez votre médecin.</p>
""")

DIRECTORY_INTRO = (
    "<p>Tous les praticiens de la plateforme. Filtrez par discipline, par ville, par langue ou "
    "par mode de consultation.</p>"
)
