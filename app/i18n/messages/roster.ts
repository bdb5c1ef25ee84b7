// Messages for the roster area (keys prefixed "roster.").
export const roster = {
  fr: {
  } as Record<string, string>,
  en: {
  } as Record<string, string>,
}
