// A status in words, with a tone: the colour and its shape (✓ ! ✕) only repeat what the text says.
export type Tone = 'ok' | 'warn' | 'bad' | 'neutral'

export function StatusBadge({ tone = 'neutral', children }: { tone?: Tone; children: string }) {
  return <span className={tone === 'neutral' ? 'badge' : `badge ${tone}`}>{children}</span>
}
