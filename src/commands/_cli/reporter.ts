// The CLI's Reporter: cli-progress bars on a TTY, a plain line at most every 30 s when piped; all on stderr.
import cliProgress from 'cli-progress'

import type {ProgressHandle, Reporter} from '../../lib/reporter.js'

function formatPayload(payload: Record<string, string | number> | undefined): string {
  if (!payload) return ''
  return Object.entries(payload)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toPrecision(4)) : v}`)
    .join(' ')
}

/** Period of the plain progress lines written when stderr is not a terminal. */
export const PIPED_EVERY_MS = 30_000

export function createCliReporter(options: {quiet?: boolean} = {}): Reporter {
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI
  const write = (line: string) => {
    if (!options.quiet) process.stderr.write(line + '\n')
  }
  return {
    info: write,
    warn: (message) => process.stderr.write(`warning: ${message}\n`),
    progress(label: string, total: number): ProgressHandle {
      if (options.quiet) return {tick() {}, stop() {}}
      if (tty) {
        const bar = new cliProgress.SingleBar(
          {format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted} {extra}`, stream: process.stderr, hideCursor: true},
          cliProgress.Presets.shades_classic,
        )
        bar.start(total, 0, {extra: ''})
        return {
          tick: (n = 1, payload) => bar.increment(n, {extra: formatPayload(payload)}),
          stop: () => bar.stop(),
        }
      }
      // Piped: a line only for work still running after PIPED_EVERY_MS, then every PIPED_EVERY_MS. Short
      // bars print nothing, so a log holds the caller's own summary (one line per epoch), not ten per bar.
      let done = 0
      const started = Date.now()
      let last = started
      return {
        tick(n = 1, payload) {
          done += n
          const now = Date.now()
          if (now - last < PIPED_EVERY_MS || done >= total) return
          last = now
          write(`${label}: ${done}/${total} (${Math.floor((100 * done) / Math.max(total, 1))}%) ${((now - started) / 1000).toFixed(0)}s ${formatPayload(payload)}`.trimEnd())
        },
        stop() {},
      }
    },
  }
}
