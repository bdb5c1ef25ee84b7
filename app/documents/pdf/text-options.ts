import type { RGB } from 'pdf-lib'

export interface TextOptions {
  size?: number
  bold?: boolean
  color?: RGB
}
