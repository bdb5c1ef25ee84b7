// Remix's default Node entry, with two additions: each page render notes the messages it uses
// (collectMessages), so <PageMessages/> gives the browser that page's language and areas only;
// and the HTML the loaders left as server islands (app/ui/server-island.tsx) reaches the render.
import { PassThrough } from 'node:stream'
import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { collectMessages } from '~/i18n/catalogue'
import { IslandProvider, islandsOf } from '~/ui/server-island'

const ABORT_DELAY = 5_000

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext, loadContext?: AppLoadContext) {
  // Bots get the whole page at once; browsers as soon as the shell is ready.
  const whole = isbot(request.headers.get('user-agent') ?? '') || remixContext.isSpaMode
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const ready = () => {
      shellRendered = true
      const body = new PassThrough()
      responseHeaders.set('Content-Type', 'text/html')
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
      pipe(body)
    }
    const { pipe, abort } = collectMessages(() =>
      renderToPipeableStream(
        <IslandProvider value={islandsOf(loadContext)}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
        </IslandProvider>,
        {
          ...(whole ? { onAllReady: ready } : { onShellReady: ready }),
          onShellError(error: unknown) {
            reject(error)
          },
          onError(error: unknown) {
            responseStatusCode = 500
            // Errors inside the shell reject and are logged by Remix; later ones are logged here.
            if (shellRendered) console.error(error)
          },
        },
      ),
    )
    setTimeout(abort, ABORT_DELAY)
  })
}
