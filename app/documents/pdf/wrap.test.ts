import { describe, expect, it } from 'vitest'
import { fitLine, fitSize, wrapText } from './wrap'

const byChars = (s: string) => [...s].length

describe('wrapText', () => {
  it('wraps greedily at spaces', () => {
    expect(wrapText('aa bb cc dd', 5, byChars)).toEqual(['aa bb', 'cc dd'])
  })

  it('keeps explicit line breaks, including empty lines', () => {
    expect(wrapText('a\n\nb', 10, byChars)).toEqual(['a', '', 'b'])
  })

  it('breaks a word longer than a line without splitting surrogate pairs', () => {
    expect(wrapText('abcdefgh', 3, byChars)).toEqual(['abc', 'def', 'gh'])
    expect(wrapText('𓀀𓀀𓀀', 2, byChars)).toEqual(['𓀀𓀀', '𓀀'])
  })

  it('always returns at least one line', () => {
    expect(wrapText('', 10, byChars)).toEqual([''])
  })
})

describe('fitLine / fitSize', () => {
  it('cuts with an ellipsis only when needed', () => {
    expect(fitLine('short', 10, byChars)).toBe('short')
    expect(fitLine('much too long', 6, byChars)).toBe('much…')
  })

  it('shrinks the size until the text fits, not below the minimum', () => {
    const widthAt = (s: string, size: number) => s.length * size
    expect(fitSize('abcd', 40, widthAt, 20, 5)).toBe(10)
    expect(fitSize('abcd', 4, widthAt, 20, 5)).toBe(5)
  })
})
