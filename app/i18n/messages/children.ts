// Messages for the children area (keys prefixed "children.").
export const children = {
  fr: {
  } as Record<string, string>,
  en: {
  } as Record<string, string>,
}
