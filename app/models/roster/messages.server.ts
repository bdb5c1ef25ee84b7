import type { RosterFormatErrorCode } from './errors.server'
import type { RosterRejectReason } from './types.server'

export type RosterLang = 'fr' | 'en'

// Each sentence says what was wrong and what to do, as the dry-run report shows it next to a line.
const REASONS: Record<RosterRejectReason, Record<RosterLang, string>> = {
  missing_first_name: {
    fr: 'Le prénom est vide. Ajoutez le prénom de l’enfant puis importez à nouveau le fichier.',
    en: 'The first name is empty. Add the child’s first name, then import the file again.',
  },
  missing_last_name: {
    fr: 'Le nom est vide. Ajoutez le nom de famille de l’enfant puis importez à nouveau le fichier.',
    en: 'The last name is empty. Add the child’s last name, then import the file again.',
  },
  missing_birth_date: {
    fr: 'La date de naissance est vide. Indiquez-la au format jj/mm/aaaa puis importez à nouveau le fichier.',
    en: 'The date of birth is empty. Enter it as dd/mm/yyyy, then import the file again.',
  },
  impossible_date: {
    fr: 'La date de naissance est illisible, n’existe pas, est dans le futur ou donne plus de 25 ans. Corrigez-la (format jj/mm/aaaa) puis importez à nouveau le fichier.',
    en: 'The date of birth cannot be read, does not exist, is in the future or gives an age over 25. Correct it (format dd/mm/yyyy), then import the file again.',
  },
  missing_class: {
    fr: 'Aucune classe n’est indiquée. Ajoutez la classe de l’enfant puis importez à nouveau le fichier.',
    en: 'No class is given. Add the child’s class, then import the file again.',
  },
  invalid_email: {
    fr: 'Une adresse e-mail n’est pas valide. Corrigez-la (par exemple nom@exemple.fr) ou laissez la case vide.',
    en: 'An email address is not valid. Correct it (for example name@example.com) or leave the cell empty.',
  },
  name_too_long: {
    fr: 'Un nom est trop long (100 caractères au plus pour un prénom ou un nom, 60 pour une classe) : la case contient sans doute autre chose qu’un nom. Corrigez-la puis importez à nouveau le fichier.',
    en: 'A name is too long (100 characters at most for a first or last name, 60 for a class): the cell probably holds something else. Correct it, then import the file again.',
  },
  duplicate: {
    fr: 'Cet enfant apparaît déjà plus haut dans le fichier (même identifiant, ou mêmes nom, prénom et date de naissance). Supprimez la ligne en double.',
    en: 'This child already appears earlier in the file (same id, or same names and date of birth). Delete the duplicate line.',
  },
  missing_id: {
    fr: 'L’identifiant (sourcedId) est vide. Exportez à nouveau les fichiers OneRoster depuis votre logiciel de scolarité.',
    en: 'The identifier (sourcedId) is empty. Export the OneRoster files again from your student information system.',
  },
  unknown_class: {
    fr: 'Cette inscription renvoie à une classe absente de classes.csv. Exportez à nouveau l’ensemble complet des fichiers.',
    en: 'This enrollment points to a class that is not in classes.csv. Export the complete set of files again.',
  },
  unknown_user: {
    fr: 'Cette ligne renvoie à une personne absente de users.csv. Exportez à nouveau l’ensemble complet des fichiers.',
    en: 'This row points to a person who is not in users.csv. Export the complete set of files again.',
  },
  missing_email: {
    fr: 'Cet enseignant n’a pas d’adresse e-mail, il ne peut donc pas être invité. Ajoutez son adresse ou invitez-le depuis la page du personnel.',
    en: 'This teacher has no email address, so they cannot be invited. Add their address or invite them from the staff page.',
  },
}

export function rejectReasonMessage(reason: RosterRejectReason, lang: RosterLang): string {
  return REASONS[reason][lang]
}

const FORMAT_ERRORS: Record<RosterFormatErrorCode, Record<RosterLang, string>> = {
  empty_file: {
    fr: 'Le fichier est vide. Vérifiez que vous avez choisi le bon fichier.',
    en: 'The file is empty. Check that you chose the right file.',
  },
  malformed_csv: {
    fr: 'Le fichier n’est pas un CSV lisible (un guillemet n’est probablement pas fermé). Enregistrez-le à nouveau au format CSV depuis votre tableur.',
    en: 'The file is not a readable CSV (probably an unclosed quote). Save it again as CSV from your spreadsheet.',
  },
  invalid_zip: {
    fr: 'L’archive zip est illisible. Exportez-la à nouveau, sans mot de passe.',
    en: 'The zip archive cannot be read. Export it again, without a password.',
  },
  missing_file: {
    fr: 'Un fichier OneRoster obligatoire manque (classes.csv, users.csv ou enrollments.csv). Joignez l’ensemble complet des fichiers.',
    en: 'A required OneRoster file is missing (classes.csv, users.csv or enrollments.csv). Provide the complete set of files.',
  },
  missing_column: {
    fr: 'Une colonne obligatoire manque dans un fichier OneRoster. Exportez à nouveau les fichiers au format OneRoster 1.1 ou 1.2.',
    en: 'A required column is missing from a OneRoster file. Export the files again as OneRoster 1.1 or 1.2.',
  },
  nul_byte: {
    fr: 'Le fichier contient un caractère nul (octet 0), ce qui arrive avec un fichier « Texte Unicode » abîmé ou un fichier qui n’est pas du texte. Ouvrez-le dans votre tableur et enregistrez-le au format « CSV UTF-8 », puis importez-le à nouveau.',
    en: 'The file contains a null character (byte 0), which happens with a damaged “Unicode text” file or a file that is not text. Open it in your spreadsheet, save it as “CSV UTF-8”, then import it again.',
  },
  unknown_mapping_column: {
    fr: 'La colonne choisie n’existe pas dans le fichier. Choisissez à nouveau les colonnes.',
    en: 'The chosen column does not exist in the file. Choose the columns again.',
  },
}

export function rosterFormatErrorMessage(code: RosterFormatErrorCode, lang: RosterLang): string {
  return FORMAT_ERRORS[code][lang]
}
