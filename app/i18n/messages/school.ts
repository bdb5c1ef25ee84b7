export const school = {
  fr: {} as Record<string, string>,
  en: {} as Record<string, string>,
}
