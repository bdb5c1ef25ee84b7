// Retention and the processor's registers: account and organization deletion, backups,
// retention after contract end, breaches, sub-processors, records of processing, support access.
export const retention = {
  fr: {
    'retention.mail.subject': '{org} : vos données seront supprimées dans {days} jours',
    'retention.mail.text':
      "Bonjour,\n\nL'abonnement de {org} a pris fin. Comme prévu par les conditions générales (article 21) et l'accord de traitement des données, ses données sont conservées deux ans puis supprimées définitivement.\n\nDate de suppression : {date} (dans {days} jours).\n\nD'ici là, vous pouvez vous connecter pour exporter vos données ou demander leur suppression anticipée :\n{link}\n\nCarnet",
    'retention.cancel.done': 'Cette suppression est déjà effectuée.',
    'retention.cancel.no_grace': "Cette demande ne peut plus être annulée : le délai de rétractation de l'établissement est écoulé (ou il n'en prévoit pas).",
    'retention.grace.invalid': 'Le délai doit être un nombre entier d’heures entre 0 et {max}.',
    'retention.support.reason_required': 'Indiquez la raison de l’accès (au moins 5 caractères).',
    'retention.support.hours_invalid': 'La durée doit être comprise entre 1 et {max} heures.',
    'retention.support.already': 'Un accès support est déjà en cours pour cette organisation.',
  },
  en: {
    'retention.mail.subject': '{org}: your data will be deleted in {days} days',
    'retention.mail.text':
      "Hello,\n\nThe subscription of {org} has ended. As the terms of sale (article 21) and the data processing agreement provide, its data is kept for two years, then deleted for good.\n\nDeletion date: {date} (in {days} days).\n\nUntil then you may sign in to export your data or to ask for its early deletion:\n{link}\n\nCarnet",
    'retention.cancel.done': 'This deletion has already been carried out.',
    'retention.cancel.no_grace': "This request can no longer be cancelled: the organization's grace period is over (or it has none).",
    'retention.grace.invalid': 'The grace period must be a whole number of hours between 0 and {max}.',
    'retention.support.reason_required': 'State the reason for the access (at least 5 characters).',
    'retention.support.hours_invalid': 'The duration must be between 1 and {max} hours.',
    'retention.support.already': 'A support access is already in force for this organization.',
  },
}
