// The kit's pieces rendered on the server, as a screen reader meets them: a field names its
// hint and its error, a table scrolls in a region the keyboard reaches, an empty list says so.
import { createElement as h } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, test } from 'vitest'
import { useForm } from '@conform-to/react'
import { ChoiceField, Field, plainField } from './field'
import { Section } from './layout'
import { StatusBadge } from './status'
import { DataTable } from './table'

const html = (el: Parameters<typeof renderToString>[0]) => renderToString(el)

describe('Field', () => {
  test('label, hint and error are tied to the input once: aria-invalid and aria-describedby', () => {
    const out = html(h(Field, { meta: plainField('email', { error: 'Adresse invalide.', defaultValue: 'x@' }), label: 'Adresse e-mail', hint: 'Celle de l’école.', type: 'email' }))
    expect(out).toContain('<label for="f-email">Adresse e-mail</label>')
    expect(out).toMatch(/<input[^>]*id="f-email"[^>]*aria-invalid="true"[^>]*aria-describedby="f-email-error f-email-hint"/)
    expect(out).toContain('id="f-email-hint"')
    expect(out).toMatch(/<p class="error" id="f-email-error" role="alert">Adresse invalide\.<\/p>/)
    expect(out).toContain('value="x@"')
  })

  test('without an error: no aria-invalid, described by the hint only', () => {
    const out = html(h(Field, { meta: plainField('name'), label: 'Nom', hint: 'Tel qu’écrit sur la carte.' }))
    expect(out).not.toContain('aria-invalid')
    expect(out).toContain('aria-describedby="f-name-hint"')
    expect(out).not.toContain('role="alert"')
  })
})

describe('ChoiceField', () => {
  test('a real form field: each option named, labelled and ticked from the field’s value, as Conform gives it', () => {
    function Probe() {
      const [, fields] = useForm<{ pick: string[] }>({ id: 'p', defaultValue: { pick: ['b', 'c'] }, lastResult: { initialValue: { pick: ['b', 'c'] }, error: { pick: ['Choisir une activité.'] } } })
      return h(ChoiceField, { meta: fields.pick, legend: 'Activités', type: 'checkbox', options: ['a', 'b', 'c'].map((v) => ({ value: v, label: `Activité ${v}` })) })
    }
    const out = html(h(Probe))
    expect(out.match(/<input[^>]*>/g)).toEqual([
      '<input id="p-pick-a" name="pick" form="p" aria-invalid="true" aria-describedby="p-pick-error" type="checkbox" value="a"/>',
      '<input id="p-pick-b" name="pick" form="p" aria-invalid="true" aria-describedby="p-pick-error" type="checkbox" checked="" value="b"/>',
      '<input id="p-pick-c" name="pick" form="p" aria-invalid="true" aria-describedby="p-pick-error" type="checkbox" checked="" value="c"/>',
    ])
  })
})

describe('DataTable', () => {
  const columns = [
    { header: 'Nom', cell: (r: { n: string }) => r.n },
    { header: 'Actions', hiddenHeader: true, cell: () => 'x' },
  ]
  test('rows sit in a named, focusable scrolling region with column headers', () => {
    const out = html(h(DataTable<{ n: string }>, { label: 'Membres', columns, rows: [{ n: 'Zoé' }], rowKey: (r) => r.n, empty: 'Personne.' }))
    expect(out).toMatch(/<div class="table-wrap" role="region" aria-label="Membres" tabindex="0">/)
    expect(out).toContain('<th scope="col">Nom</th>')
    expect(out).toContain('<span class="visually-hidden">Actions</span>')
    expect(out).toContain('<td>Zoé</td>')
  })
  test('inside a section (a region named by its heading) the scrolling area is a named, focusable group: no second landmark of the same name', () => {
    const out = html(h(Section, { title: 'Membres' }, h(DataTable<{ n: string }>, { label: 'Membres', columns, rows: [{ n: 'Zoé' }], rowKey: (r) => r.n, empty: 'Personne.' })))
    expect(out).toMatch(/<div class="table-wrap" role="group" aria-label="Membres" tabindex="0">/)
    expect(out.match(/role="region"/g)).toBeNull()
  })
  test('no rows: a sentence, not an empty table', () => {
    const out = html(h(DataTable<{ n: string }>, { label: 'Membres', columns, rows: [], rowKey: (r) => r.n, empty: 'Personne.' }))
    expect(out).toBe('<p class="empty">Personne.</p>')
  })
})

test('a section is named by its heading, at the level asked', () => {
  const out = html(h(Section, { title: 'Historique', level: 3 }, 'contenu'))
  const id = out.match(/aria-labelledby="([^"]+)"/)?.[1]
  expect(id).toBeTruthy()
  expect(out).toContain(`<h3 id="${id}">Historique</h3>`)
})

test('a status badge carries its words; the tone is a class', () => {
  expect(html(h(StatusBadge, { tone: 'bad', children: 'Révoquée' }))).toBe('<span class="badge bad">Révoquée</span>')
  expect(html(h(StatusBadge, { children: 'En attente' }))).toBe('<span class="badge">En attente</span>')
})
