// Strings printed by the PDF building blocks. Kept here (not in app/i18n) because they are
// baked into generated files, not rendered through the UI's translation layer.
export type PdfLang = 'fr' | 'en'

export function pageLabel(lang: PdfLang, page: number, total: number): string {
  return lang === 'fr' ? `Page ${page} sur ${total}` : `Page ${page} of ${total}`
}

export function loginCardInstruction(lang: PdfLang): string {
  return lang === 'fr' ? 'Scanne le code ou tape ce code' : 'Scan the code or type this code'
}

export function loginCardsTitle(lang: PdfLang): string {
  return lang === 'fr' ? 'Cartes de connexion' : 'Login cards'
}

export function cutHint(lang: PdfLang): string {
  return lang === 'fr'
    ? 'Découper le long des pointillés. Chaque carte donne accès au compte de l’enfant : à garder en lieu sûr.'
    : 'Cut along the dashed lines. Each card gives access to the child’s account: keep it safe.'
}
