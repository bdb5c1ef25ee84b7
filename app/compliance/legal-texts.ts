// The bundled versions of Carnet's legal documents. Publishing a new version = appending an
// entry with a new `version`; acceptances always name the version that was shown.
type LegalText = { kind: 'terms' | 'privacy' | 'dpa'; version: string; lang: 'fr' | 'en'; title: string; body: string; publishedAt: string }

export const LEGAL_TEXTS: LegalText[] = [
  {
    kind: 'terms',
    version: '2026-09',
    lang: 'fr',
    publishedAt: '2026-09-01T00:00:00Z',
    title: "Conditions générales d'utilisation",
    body: `Carnet est un service d'apprentissage pour les écoles et les familles.
1. Comptes. Un adulte crée un compte avec une adresse e-mail et un mot de passe personnel ; il est responsable de sa confidentialité. Les enfants n'ont pas d'adresse e-mail : ils se connectent avec une carte de connexion remise par leur enseignant ou leur responsable légal.
2. Rôles. Un établissement attribue les rôles d'administrateur, d'enseignant et de délégué à la protection des données ; une famille attribue le rôle de responsable légal.
3. Mineurs. Un enfant de moins de 15 ans (âge du consentement numérique en France) n'utilise Carnet dans un espace famille qu'après le consentement d'un titulaire de l'autorité parentale ; à l'école, l'établissement recueille les autorisations.
4. Suppression. Un compte peut être supprimé à la demande de la personne, de son responsable légal ou de l'établissement ; il est désactivé immédiatement et ses données sont effacées sous 24 heures.`,
  },
  {
    kind: 'terms',
    version: '2026-09',
    lang: 'en',
    publishedAt: '2026-09-01T00:00:00Z',
    title: 'Terms of Use',
    body: `Carnet is a learning service for schools and families.
1. Accounts. An adult creates an account with an email address and a personal password and is responsible for keeping it confidential. Children have no email address: they log in with a login card given by their teacher or guardian.
2. Roles. A school assigns the administrator, teacher and data-protection officer roles; a family assigns the guardian role.
3. Minors. A child under 15 (the digital age of consent in France) uses Carnet in a family space only after a holder of parental responsibility has consented; at school, the school collects the authorisations.
4. Deletion. An account can be deleted at the request of the person, their guardian or the school; it is deactivated at once and its data erased within 24 hours.`,
  },
  {
    kind: 'privacy',
    version: '2026-09',
    lang: 'fr',
    publishedAt: '2026-09-01T00:00:00Z',
    title: 'Politique de confidentialité',
    body: `Pour les données des élèves, l'établissement (ou la famille) est responsable du traitement et Carnet est sous-traitant.
Données traitées : identification (nom, prénom, date de naissance), contact des adultes (e-mail), données d'apprentissage (résultats, observations), données de connexion (journaux).
Finalités : fournir le service d'apprentissage, permettre le suivi par les enseignants et les familles, assurer la sécurité.
Durées : comptes supprimés sous 24 heures sur demande ; sauvegardes expirées sous six mois ; données conservées au plus deux ans après la fin du contrat.
Droits : accès, rectification, effacement, limitation, opposition, portabilité, et directives post-mortem. Les demandes reçues par Carnet sont transmises à l'établissement sous 48 heures.`,
  },
  {
    kind: 'privacy',
    version: '2026-09',
    lang: 'en',
    publishedAt: '2026-09-01T00:00:00Z',
    title: 'Privacy Policy',
    body: `For pupils' data, the school (or the family) is the controller and Carnet is the processor.
Data processed: identification (name, first name, date of birth), adults' contact details (email), learning data (results, observations), connection data (logs).
Purposes: providing the learning service, letting teachers and families follow progress, keeping the service secure.
Retention: accounts erased within 24 hours on request; backups expire within six months; data kept at most two years after the contract ends.
Rights: access, rectification, erasure, restriction, objection, portability, and post-mortem directives. Requests Carnet receives are forwarded to the school within 48 hours.`,
  },
  {
    kind: 'dpa',
    version: '2026-09',
    lang: 'fr',
    publishedAt: '2026-09-01T00:00:00Z',
    title: 'Accord de traitement des données (DPA)',
    body: `Carnet traite les données personnelles pour le compte du client, sur ses seules instructions documentées.
Carnet assiste le client pour les demandes d'exercice des droits (transmission sous 48 heures), notifie toute violation de données sans délai indu, tient le registre des sous-traitants ultérieurs (objection sous 7 jours ouvrés), supprime les comptes sous 24 heures, expire les sauvegardes sous six mois et efface les données au plus deux ans après la fin du contrat.`,
  },
  {
    kind: 'dpa',
    version: '2026-09',
    lang: 'en',
    publishedAt: '2026-09-01T00:00:00Z',
    title: 'Data Processing Agreement (DPA)',
    body: `Carnet processes personal data on behalf of the client, only on its documented instructions.
Carnet assists the client with rights requests (forwarded within 48 hours), notifies any personal-data breach without undue delay, keeps the register of sub-processors (7 business days to object), erases accounts within 24 hours, expires backups within six months and erases data at most two years after the contract ends.`,
  },
]
