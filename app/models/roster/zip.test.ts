import { describe, expect, it } from 'vitest'
import { makeZip } from './fixtures/make-zip'
import { isZip, readZip } from './zip.server'

describe('readZip', () => {
  it('reads deflated, stored and streamed (data descriptor) entries and skips directories', async () => {
    const big = 'sourcedId,givenName\n' + 'u1,Zoé\n'.repeat(2000)
    const zip = await makeZip([
      { name: 'export/', directory: true },
      { name: 'export/users.csv', content: big },
      { name: 'export/orgs.csv', content: 'sourcedId,name\norg1,École\n', store: true },
      { name: 'export/élèves.csv', content: Buffer.from([0xef, 0xbb, 0xbf, 0x41]), stream: true },
    ])
    expect(isZip(zip)).toBe(true)
    const files = readZip(zip)
    expect([...files.keys()]).toEqual(['export/users.csv', 'export/orgs.csv', 'export/élèves.csv'])
    expect(files.get('export/users.csv')!.toString('utf8')).toBe(big)
    expect(files.get('export/orgs.csv')!.toString('utf8')).toBe('sourcedId,name\norg1,École\n')
    expect(files.get('export/élèves.csv')).toEqual(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))
  })

  it('refuses something that is not a zip', () => {
    expect(isZip(Buffer.from('Nom;Prénom\n'))).toBe(false)
    expect(() => readZip(Buffer.from('Nom;Prénom\nDupont;Zoé\n'.repeat(3)))).toThrow(expect.objectContaining({ code: 'invalid_zip' }))
  })

  it('refuses a corrupted archive instead of returning garbage', async () => {
    const zip = await makeZip([{ name: 'users.csv', content: 'sourcedId,givenName\n' + 'u1,Zoé\n'.repeat(200) }])
    const corrupt = Buffer.from(zip)
    // Overwrite the middle of the compressed data.
    corrupt.fill(0xff, 40, 60)
    expect(() => readZip(corrupt)).toThrow(expect.objectContaining({ code: 'invalid_zip' }))
    expect(() => readZip(zip.subarray(0, zip.length - 10))).toThrow(expect.objectContaining({ code: 'invalid_zip' }))
  })
})
