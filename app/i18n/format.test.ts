import { describe, expect, test } from 'vitest'
import { t } from '.'
import { format, placeholders, pluralCases } from './format'

describe('plurals in the messages people read', () => {
  test('a child with one right answer reads the singular, in both languages', () => {
    expect(t('fr', 'learning.child.score', { score: 1, max: 3 })).toBe('Tu as 1 bonne réponse sur 3.')
    expect(t('fr', 'learning.child.score', { score: 2, max: 3 })).toBe('Tu as 2 bonnes réponses sur 3.')
    expect(t('en', 'learning.child.score', { score: 1, max: 3 })).toBe('You got 1 right answer out of 3.')
    expect(t('en', 'learning.child.score', { score: 3, max: 3 })).toBe('You got 3 right answers out of 3.')
  })

  test('zero takes the French singular and the English plural (CLDR rules)', () => {
    expect(t('fr', 'learning.child.score', { score: 0, max: 3 })).toBe('Tu as 0 bonne réponse sur 3.')
    expect(t('en', 'learning.child.score', { score: 0, max: 3 })).toBe('You got 0 right answers out of 3.')
  })

  test('an exact case (=0) wins over the category', () => {
    expect(t('fr', 'learning.activity.delete_confirm', { done: 0 })).toBe('Je comprends que l’activité sera supprimée.')
    expect(t('fr', 'learning.activity.delete_confirm', { done: 1 })).toBe('Je comprends que l’activité et son résultat seront supprimés.')
    expect(t('en', 'learning.activity.delete_confirm', { done: 4 })).toBe('I understand that the activity and its 4 results will be deleted.')
  })

  test('several counts in one message agree each with its own number', () => {
    expect(t('fr', 'learning.publish.done', { results: 1, observations: 5 })).toBe('Publié : 1 résultat, 5 observations.')
    expect(t('en', 'learning.publish.done', { results: 2, observations: 1 })).toBe('Published: 2 results, 1 observation.')
  })

  test('a count given as a string still picks its form (navigation badges)', () => {
    expect(t('fr', 'families.nav.guardians_alerts', { count: '1' })).toBe('Familles (1 alerte)')
    expect(t('en', 'families.nav.guardians_alerts', { count: '12' })).toBe('Families (12 alerts)')
  })

  test('plain placeholders inside plural branches are filled', () => {
    expect(format('fr', '{n, plural, one {# élève de {cls}} other {# élèves de {cls}}}', { n: 2, cls: 'CM1' })).toBe('2 élèves de CM1')
  })
})

describe('message format', () => {
  test('a missing variable stays visible as its placeholder rather than vanishing', () => {
    expect(format('fr', 'Bonjour {name}', {})).toBe('Bonjour {name}')
  })

  test('a malformed plural is shown as text, never throws', () => {
    expect(format('fr', 'Oups {n, plural, one {#}', { n: 1 })).toBe('Oups {n, plural, one {#}')
  })

  test('placeholders and plural forms are listed for the catalogue check', () => {
    const m = 'Tu as {score, plural, one {# bonne réponse} other {# bonnes réponses}} sur {max}.'
    expect(placeholders(m)).toEqual(['max', 'score'])
    expect(pluralCases(m)).toEqual({ score: ['one', 'other'] })
  })

  test('a text with a brace that is no placeholder is kept as written', () => {
    expect(format('en', 'Use {} or { x } here, {name}', { name: 'Zoé' })).toBe('Use {} or { x } here, Zoé')
  })
})
