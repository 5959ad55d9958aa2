// Per-arm stats of one experiment: impressions, CTR and conversion with Wilson 95% intervals, each arm against the control, per day.
import {RecError} from '../errors.js'
import type {Slot} from './attribute.js'
import {type ConversionSpec, describeConversion} from './conversion.js'
import {dailyRates, NONE_LABEL} from './global-stats.js'
import {countSlots, type DiffFigures, type RateFigures, type Rates, rateFigures, diffFigures} from './rates.js'
import {type StatsWindow, windowDays, type WindowJson, windowJson} from './window.js'

export interface ArmStats extends RateFigures {
  arm: string
  /** Null for the control itself; otherwise this arm's rate minus the control's (ctr; conversion = conversions per click). */
  vs_control: {ctr: DiffFigures | null; conversion: DiffFigures | null} | null
}

export interface ExperimentStats {
  experiment: string
  control: string
  window: WindowJson
  conversion: {events: string[]; window_hours: number}
  arms: ArmStats[]
  /** One row per UTC day; per arm in the order of `arms`. */
  daily: {date: string; arms: ({arm: string} & Rates)[]}[]
}

export interface ExperimentStatsOptions {
  experiment: string
  /** The configured arms in order (the first is the control); arms served but not listed follow them. Absent: arms as first served. */
  arms?: readonly string[]
  /** Overrides the control: default the first configured arm, else an arm named "control", else the first served. */
  control?: string
  window: StatsWindow
  conversion: ConversionSpec
}

/** Experiment ids found on `slots`' impressions, sorted. */
export function servedExperiments(slots: readonly Slot[]): string[] {
  return [...new Set(slots.flatMap((s) => (s.impression.experiment === undefined ? [] : [s.impression.experiment])))].sort()
}

/** Stats of the slots whose impression carries `experiment`; other slots are ignored. NOT_FOUND for a control that is not an arm. */
export function experimentStats(slots: readonly Slot[], options: ExperimentStatsOptions): ExperimentStats {
  const mine = slots.filter((s) => s.impression.experiment === options.experiment)
  const byArm = new Map<string, Slot[]>((options.arms ?? []).map((arm) => [arm, []]))
  for (const slot of mine) {
    const arm = slot.impression.arm ?? NONE_LABEL
    const list = byArm.get(arm)
    if (list) list.push(slot)
    else byArm.set(arm, [slot])
  }
  const arms = [...byArm.keys()]
  const control = options.control ?? (options.arms?.length ? options.arms[0] : arms.includes('control') ? 'control' : arms[0])
  if (control === undefined) throw new RecError('EMPTY', `experiment ${options.experiment} has no arms and no impressions in the window`)
  if (!byArm.has(control)) throw new RecError('NOT_FOUND', `control arm "${control}" is not an arm of experiment ${options.experiment}`, {hint: `arms: ${arms.join(', ') || 'none served'}`})
  const counts = new Map(arms.map((arm) => [arm, countSlots(byArm.get(arm)!)]))
  const days = windowDays(options.window, mine.map((s) => s.impression.ts))
  const daily = new Map(arms.map((arm) => [arm, dailyRates(byArm.get(arm)!, days)]))
  return {
    experiment: options.experiment,
    control,
    window: windowJson(options.window),
    conversion: describeConversion(options.conversion),
    arms: arms.map((arm) => ({arm, ...rateFigures(counts.get(arm)!), vs_control: arm === control ? null : diffFigures(counts.get(control)!, counts.get(arm)!)})),
    daily: days.map((date, i) => ({date, arms: arms.map((arm) => {
      const {date: _, ...row} = daily.get(arm)![i]
      return {arm, ...row}
    })})),
  }
}
