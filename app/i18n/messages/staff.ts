// Messages for the staff area (keys prefixed "staff.").
export const staff = {
  fr: {
  } as Record<string, string>,
  en: {
  } as Record<string, string>,
}
