// Where the server's log lines go: JSON on stdout (default) or one human line per event on stderr.
import pino, {type DestinationStream} from 'pino'

export const LOG_FORMATS = ['json', 'pretty'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

export interface LogDestination {
  stream: DestinationStream
  /** Writes whatever is still queued; called once at shutdown. */
  flush(): void
}

const LEVELS: Record<number, string> = {10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal'}
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'req', 'res'])

/** `12:00:01.234 GET /v1/recommendations?user_id=1 200 3.1 ms`, or `12:00:01.234 warn <msg> key=value ...`. */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line.trimEnd()
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : ''
  const level = LEVELS[entry.level as number] ?? String(entry.level)
  const head = [time, level === 'info' ? '' : level].filter(Boolean).join(' ')
  if (entry.msg === 'request') return `${head} ${entry.method} ${entry.url} ${entry.status} ${entry.ms} ms`
  const err = entry.err as {message?: string} | undefined
  const extra = Object.entries(entry)
    .filter(([key]) => !OMIT.has(key) && key !== 'err')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  return [head, entry.msg, ...extra, err?.message ? `(${err.message})` : ''].filter(Boolean).join(' ')
}

/**
 * json: stdout through an asynchronous SonicBoom with no minimum length, so a line is handed to the
 * OS as soon as the previous write finished (prompt on a pipe; lines arriving meanwhile share one
 * write, so a burst does not cost a syscall per line). pretty: stderr, where the CLI's human text goes.
 */
export function createLogDestination(format: LogFormat = 'json'): LogDestination {
  if (format === 'pretty') {
    return {stream: {write: (line: string) => void process.stderr.write(formatLogLine(line) + '\n')}, flush() {}}
  }
  const destination = pino.destination({dest: 1, sync: false, minLength: 0})
  return {stream: destination, flush: () => destination.flushSync()}
}
