// rec analytics: the server's CTR and conversion stats, overall and per experiment arm, offline from a --state store.
import {Flags} from '@oclif/core'

import {type AnalyticsReport, formatAnalytics, runAnalytics} from '../lib/analytics/index.js'
import {RecCommand} from './_cli/rec-command.js'
import {conversionFlags, conversionOf, daysFlag, nowFlag} from './_cli/stats-flags.js'

export default class Analytics extends RecCommand {
  static override summary = 'CTR and conversion of served feeds, overall and per experiment arm, from the store of rec serve.'

  static override description = [
    'The numbers GET /v1/stats/global and /admin/experiments/:id answer, computed offline from --state. An impression is a (request, item) slot of a served feed; a click is an impression with at least one attributed click event; CTR = clicked impressions / impressions; conversion rate = clicked impressions followed by a conversion event (--conversion-events, default like,share) by the same user on the same item within --conversion-window hours (72) after the click / clicked impressions. Days are UTC days of the impression.',
    'Per arm: Wilson 95% intervals, and against the control (an arm named "control", else the first served; or --control) the difference with its unpooled 95% interval and the pooled two-proportion z-test p-value. --out writes analytics.json and a self-contained analytics.html with per-day CTR charts per arm.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> analytics --state state/',
    '<%= config.bin %> analytics --state state/ --experiment home --days 14 --json',
    '<%= config.bin %> analytics --state state/ --days 7 --out reports/analytics --force',
    '<%= config.bin %> analytics --state state/ --conversion-events like,share,repost --conversion-window 24',
  ]

  static override flags = {
    state: Flags.string({description: 'State directory of `rec serve` (holds the store).', required: true}),
    experiment: Flags.string({description: 'Only this experiment (default every experiment served in the window).'}),
    control: Flags.string({description: 'The control arm of --experiment (default "control", else the first arm served).', dependsOn: ['experiment']}),
    days: daysFlag,
    now: nowFlag,
    ...conversionFlags,
    out: Flags.string({char: 'o', description: 'Directory to write analytics.json and analytics.html into.'}),
    force: Flags.boolean({default: false, description: 'Replace an existing --out directory.'}),
  }

  async run(): Promise<AnalyticsReport & {written?: {json: string; html: string}}> {
    const {flags} = await this.parse(Analytics)
    const {report, written} = await runAnalytics({...flags, conversion: conversionOf(flags)})
    for (const line of formatAnalytics(report)) this.say(line)
    if (written) this.say(`wrote ${written.json} and ${written.html}`)
    return {...report, ...(written ? {written} : {})}
  }
}
