// A mistyped command: rec's one error line naming the closest command, in place of oclif's "command X not found".
import {Config} from '@oclif/core'

import {writeFailure} from './error-output.js'

/** Edits (insert, delete, substitute, swap two neighbours) between a and b. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/**
 * The command id closest to what was typed, or undefined when none is near (more than a third of
 * its letters, at least 2, would change). `typed` is oclif's id ("trian:retrieval"); its words past
 * the length of a candidate are arguments ("data:inspectt:world" is close to "data:inspect").
 */
export function closestCommand(typed: string, ids: readonly string[]): string | undefined {
  const words = typed.split(':')
  let best: {id: string; distance: number} | undefined
  for (const id of ids) {
    const n = id.split(':').length
    if (n > words.length) continue
    const distance = editDistance(words.slice(0, n).join(':'), id)
    if (distance <= Math.max(2, Math.floor(id.length / 3)) && (!best || distance < best.distance)) best = {id, distance}
  }
  return best?.id
}

/** True (exit code set) when `error` is oclif's "command X not found", now reported as rec reports any bad input. */
export async function reportUnknownCommand(error: unknown, root: string, argv: readonly string[]): Promise<boolean> {
  const match = /^command (\S+) not found$/.exec((error as Error)?.message ?? '')
  if (!match) return false
  const config = await Config.load(root)
  const show = (id: string) => id.replaceAll(':', config.topicSeparator)
  const typed = match[1]
  const suggestion = closestCommand(typed, config.commandIDs)
  // with a suggestion, the words past its length are arguments, not part of the command
  const words = suggestion ? typed.split(':').slice(0, suggestion.split(':').length).join(':') : typed
  const message = `unknown command "${show(words)}"${suggestion ? `; did you mean "${config.bin} ${show(suggestion)}"?` : ''} (${config.bin} --help lists the commands)`
  const json = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--json')
  process.exitCode = writeFailure({code: 'INVALID_ARGUMENT', message}, {json})
  return true
}
