// rec data window: the interactions with from <= ts < until of a dataset, re-split, as a new dataset.
import {RecError} from '../errors.js'
import {getColumn, tableLength, takeRows} from './columns.js'
import type {DatasetManifest, SplitSpec, WindowSpec} from './manifest.js'
import {checkOutput, writeResplit} from './resplit.js'
import {timeOrder, type SplitRequest} from './split.js'
import {toSplitRequest} from './split-options.js'
import {readDataset} from './store.js'
import {checkBoundOrder, resolveBound, type TimeBound} from './window-bounds.js'

export interface WindowOptions {
  /** Inclusive lower bound; absent = from the first interaction. */
  from?: TimeBound
  /** Exclusive upper bound; absent = through the last interaction. */
  until?: TimeBound
  /** How to split the window; absent = the source dataset's split method and fractions. */
  split?: SplitRequest
  out: string
  force?: boolean
}

export interface WindowResult {
  manifest: DatasetManifest
  /** The resolved bounds in epoch ms; undefined = open. */
  fromMs?: number
  untilMs?: number
  interactions: {kept: number; total: number}
  /** Undefined when the source has no follows table. */
  follows?: {kept: number; total: number}
}

/** The source's own split, for a window re-split the same way. */
function requestOf(spec: SplitSpec): SplitRequest {
  return toSplitRequest(spec.method, spec.valFrac, spec.testFrac)
}

/** An epoch-ms bound for messages; a quantile past the last interaction resolves to +Infinity. */
const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : ms > 0 ? '+inf' : '-inf')

/**
 * Writes to `out` the interactions of `dir` with from <= ts < until, re-split by `split`, with the
 * window and the source's fingerprint in the manifest, so that a model fitted on an early window
 * can feed a ranker trained on a later one without having seen its events
 * (training/ranking/retrieval-window.ts). Users and items are kept whole: they are attributes, not
 * events; an item published after `until` has no interactions in the window anyway, and equal
 * tables give both windows the same id vocabularies and feature specs. Follows are events with a
 * time: those from `until` on are dropped (the window is the log as it stood at `until`; serving
 * reads follows without a time), those before `from` are kept (a follow made earlier still holds
 * during the window, and cross features read it as of each interaction's time).
 * Throws INVALID_ARGUMENT (from >= until) and EMPTY (no interactions, or a split left empty).
 */
export async function windowDataset(dir: string, options: WindowOptions): Promise<WindowResult> {
  checkBoundOrder(options.from, options.until)
  checkOutput(dir, options.out, options.force ?? false)
  const dataset = await readDataset(dir)
  const ts = getColumn(dataset.interactions, 'ts', 'timestamp_ms').values
  const order = timeOrder(ts)
  const fromMs = options.from ? resolveBound(options.from, ts, order) : Number.NEGATIVE_INFINITY
  const untilMs = options.until ? resolveBound(options.until, ts, order) : Number.POSITIVE_INFINITY
  if (options.from && options.until && fromMs >= untilMs) {
    throw new RecError('INVALID_ARGUMENT', `--from ${options.from.text} (${iso(fromMs)}) is not before --until ${options.until.text} (${iso(untilMs)}) in ${dir}: the window would be empty`)
  }
  const keep = Array.from(order).filter((i) => ts[i] >= fromMs && ts[i] < untilMs)
  if (keep.length === 0) {
    const span = ts.length > 0 ? `its ${ts.length} interactions span ${iso(ts[order[0]])} .. ${iso(ts[order[ts.length - 1]])}` : 'it has no interactions'
    throw new RecError('EMPTY', `no interactions of ${dir} fall in the window ${iso(fromMs)} <= ts < ${iso(untilMs)}: ${span}`)
  }
  let follows = dataset.follows
  if (follows) {
    const followTs = getColumn(follows, 'ts', 'timestamp_ms').values
    follows = takeRows(follows, Array.from(followTs.keys()).filter((i) => followTs[i] < untilMs))
  }
  const window: WindowSpec = {
    source: {name: dataset.manifest.name, fingerprint: dataset.manifest.fingerprint},
    ...(options.from && {from: options.from.text, fromMs}),
    ...(options.until && {until: options.until.text}),
    ...(Number.isFinite(untilMs) && {untilMs}),
  }
  const windowed = {...dataset, manifest: {...dataset.manifest, window}, interactions: takeRows(dataset.interactions, keep), follows}
  const subject = `the window [${options.from?.text ?? 'start'}, ${options.until?.text ?? 'end'}) of ${dir}`
  const manifest = await writeResplit(dir, windowed, options.split ?? requestOf(dataset.manifest.split), {out: options.out, force: options.force, subject})
  return {
    manifest,
    fromMs: window.fromMs,
    untilMs: window.untilMs,
    interactions: {kept: keep.length, total: ts.length},
    follows: dataset.follows ? {kept: manifest.counts.follows, total: tableLength(dataset.follows)} : undefined,
  }
}
