// The CLI's Reporter: cli-progress bars on a TTY, plain log lines (every ~10%) when piped; all on stderr.
import cliProgress from 'cli-progress'

import type {ProgressHandle, Reporter} from '../../lib/reporter.js'

function formatPayload(payload: Record<string, string | number> | undefined): string {
  if (!payload) return ''
  return Object.entries(payload)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toPrecision(4)) : v}`)
    .join(' ')
}

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
      let done = 0
      let nextReport = total / 10
      const started = Date.now()
      return {
        tick(n = 1, payload) {
          done += n
          if (done >= nextReport || done >= total) {
            const secs = (Date.now() - started) / 1000
            write(`${label}: ${done}/${total} (${Math.floor((100 * done) / Math.max(total, 1))}%) ${secs.toFixed(1)}s ${formatPayload(payload)}`.trimEnd())
            nextReport = done + total / 10
          }
        },
        stop() {},
      }
    },
  }
}
