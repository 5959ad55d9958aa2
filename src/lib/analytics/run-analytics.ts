// The offline runner behind `rec analytics`: the server's global and experiment stats from a --state store, and its report folder.
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {RecError} from '../errors.js'
import {assertWritable, writeDirAtomic} from '../io/atomic.js'
import {openStore} from '../store/open-store.js'
import {type ConversionSpec, resolveConversion} from './conversion.js'
import {type ExperimentStats, experimentStats, servedExperiments} from './experiment-stats.js'
import {type GlobalStats, globalStats} from './global-stats.js'
import {renderAnalyticsHtml} from './html-page.js'
import {loadSlots} from './load-slots.js'
import {statsWindow} from './window.js'

export interface AnalyticsOptions {
  /** The state directory of `rec serve`. */
  state: string
  /** Only this experiment (NOT_FOUND when no impression of the window carries it); default every one served. */
  experiment?: string
  /** The control arm of --experiment; default an arm named "control", else the first served. */
  control?: string
  days?: number
  /** "Now" in ms: the window's end (default the current time). */
  now?: number
  conversion?: Partial<ConversionSpec>
  /** A directory to write analytics.json and analytics.html into (atomically). */
  out?: string
  force?: boolean
}

export interface AnalyticsReport {
  /** The store read ("sqlite:<path>"). */
  store: string
  global: GlobalStats
  experiments: ExperimentStats[]
}

export interface AnalyticsResult {
  report: AnalyticsReport
  written?: {json: string; html: string}
}

/** Validates every option before reading the store, then computes what /v1/stats/global and /admin/experiments/:id answer. */
export async function runAnalytics(options: AnalyticsOptions): Promise<AnalyticsResult> {
  const window = statsWindow({days: options.days, now: options.now ?? Date.now()})
  const conversion = resolveConversion(options.conversion)
  if (options.control !== undefined && options.experiment === undefined) throw new RecError('INVALID_ARGUMENT', '--control names an arm of --experiment: give --experiment ID too')
  if (options.out) assertWritable(options.out, options.force ?? false)
  const store = await openStore({state: options.state}, {mustExist: true})
  let report: AnalyticsReport
  try {
    const {slots} = await loadSlots(store, window, conversion)
    const served = servedExperiments(slots)
    if (options.experiment !== undefined && !served.includes(options.experiment)) {
      throw new RecError('NOT_FOUND', `no impression in the window carries experiment "${options.experiment}"`, {hint: served.length ? `experiments served: ${served.join(', ')}` : 'no experiment was served in the window'})
    }
    const ids = options.experiment === undefined ? served : [options.experiment]
    report = {
      store: store.description,
      global: globalStats(slots, window, conversion),
      experiments: ids.map((experiment) => experimentStats(slots, {experiment, control: options.control, window, conversion})),
    }
  } finally {
    await store.close()
  }
  if (!options.out) return {report}
  return {report, written: await writeAnalyticsDir(options.out, report, {force: options.force})}
}

/** analytics.json and analytics.html, written together: the directory appears whole or not at all. */
export async function writeAnalyticsDir(out: string, report: AnalyticsReport, options: {force?: boolean} = {}): Promise<{json: string; html: string}> {
  await writeDirAtomic(out, options.force ?? false, async (dir) => {
    await writeFile(join(dir, 'analytics.json'), JSON.stringify(report, null, 2) + '\n')
    await writeFile(join(dir, 'analytics.html'), renderAnalyticsHtml(report))
  })
  return {json: join(out, 'analytics.json'), html: join(out, 'analytics.html')}
}
