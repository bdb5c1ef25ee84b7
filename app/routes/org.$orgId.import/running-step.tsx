// While a large import runs in the background: its progress, read every second.
import { useRevalidator } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useT } from '~/i18n'
import { Section } from '~/ui/kit'
import { SourceLine } from './source-line'
import type { View } from './types'

export function RunningStep({ view, orgId }: { view: View; orgId: string }) {
  const t = useT()
  const revalidator = useRevalidator()
  const [state, setState] = useState({ progress: view.progress, total: view.total })
  useEffect(() => {
    let stop = false
    const timer = setInterval(async () => {
      try {
        const res = await fetch(`/org/${orgId}/import/${view.id}/progress`, { headers: { accept: 'application/json' } })
        if (!res.ok || stop) return
        const p = (await res.json()) as { status: string; progress: number; total: number }
        setState({ progress: p.progress, total: p.total })
        if (p.status !== 'running' && revalidator.state === 'idle') revalidator.revalidate()
      } catch {
        // The next tick tries again.
      }
    }, 1000)
    return () => {
      stop = true
      clearInterval(timer)
    }
  }, [orgId, view.id, revalidator])
  const total = Math.max(state.total, 1)
  return (
    <Section title={t('roster.running.title')}>
      <SourceLine view={view} />
      <label htmlFor="import-progress">{t('roster.running.progress', { done: state.progress, total })}</label>
      <progress id="import-progress" max={total} value={state.progress}>
        {Math.round((100 * state.progress) / total)} %
      </progress>
      <p className="hint">{t('roster.running.hint')}</p>
    </Section>
  )
}
