import { rgb } from 'pdf-lib'

/** The palette of every Carnet PDF. */
export const colors = {
  text: rgb(0.11, 0.11, 0.13),
  muted: rgb(0.42, 0.42, 0.46),
  rule: rgb(0.78, 0.79, 0.82),
  fill: rgb(0.93, 0.94, 0.96),
}
