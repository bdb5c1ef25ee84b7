// Messages for the classes area (keys prefixed "classes.").
export const classes = {
  fr: {
  } as Record<string, string>,
  en: {
  } as Record<string, string>,
}
