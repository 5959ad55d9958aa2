// rec guardrail check: evaluates every experiment's guardrail once and applies rollbacks and reroutes (for cron or CI).
import {Flags} from '@oclif/core'

import {type CheckResult, checkGuardrails} from '../../lib/experiments/check-guardrails.js'
import {RecCommand} from '../_cli/rec-command.js'
import {conversionFlags, conversionOf, nowFlag} from '../_cli/stats-flags.js'

export default class GuardrailCheck extends RecCommand {
  static override summary = "Evaluate the experiments' guardrails on the store and roll back treatment arms whose CTR or conversion dropped."

  static override description = [
    "For each experiment with a guardrail (min-impressions, ctr-drop-ratio, conversion-drop-ratio, days) and each treatment arm (every arm after the first, the control): over the last `days` x 24 h, when both arms have at least min-impressions and the treatment's CTR < control CTR x (1 - ctr-drop-ratio) or its conversion rate < control's x (1 - conversion-drop-ratio), every registry alias the arm serves is rolled back (recorded in the registry with the reason and figures) and the arm's users are routed to the control from the next request. Below min-impressions it never acts, and says so.",
    'Idempotent: an arm already rerouted is not evaluated again. Exits 0 with one verdict per treatment arm (--json: {verdicts, counts}); exit 2 only for bad input.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> guardrail check --state state/ --registry registry/ --experiments config/experiments.yaml',
    '<%= config.bin %> guardrail check --state state/ -r registry/ --experiments config/experiments.yaml --json',
  ]

  static override flags = {
    state: Flags.string({description: 'State directory of `rec serve` (holds the store).', required: true}),
    registry: Flags.string({char: 'r', description: 'Registry directory of the arms\' aliases.', env: 'REC_REGISTRY', required: true}),
    experiments: Flags.string({description: 'The experiments file (YAML).', required: true}),
    now: nowFlag,
    ...conversionFlags,
  }

  async run(): Promise<CheckResult> {
    const {flags} = await this.parse(GuardrailCheck)
    const result = await checkGuardrails({...flags, conversion: conversionOf(flags)})
    for (const v of result.verdicts) {
      const done = v.applied ? `; ${v.applied.models.map((m) => `${m.kind} ${m.ref}: ${m.outcome}${m.from === undefined ? '' : ` ${m.from} -> ${m.to}`}`).join(', ') || 'no models'}; users rerouted to ${v.applied.reroute.toArm}` : ''
      this.say(`${v.experiment}/${v.arm}: ${v.action} (${v.status}): ${v.reason}${done}`)
    }
    if (result.verdicts.length === 0) this.say('no treatment arms to evaluate')
    return result
  }
}
