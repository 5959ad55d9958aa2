import {Args, Flags} from '@oclif/core'

import {mergeCheckpoints, type MergeResult} from '../lib/checkpoint/merge.js'
import {parseMergeWeights} from '../lib/checkpoint/merge-weights.js'
import {RecError} from '../lib/errors.js'
import {RecCommand} from './_cli/rec-command.js'

export default class Merge extends RecCommand {
  static override summary = 'Average checkpoints tensor by tensor into a new checkpoint.'
  static override description = `Writes the weighted average of every float tensor that has the same name and shape in all inputs; where a tensor is missing from an input or has another shape, the first input's (the anchor's) tensor is kept. Weights are normalised to sum 1 (--weights 2,1,1 is --weights 0.5,0.25,0.25); without --weights all inputs weigh the same. All inputs must be of one kind and share vocabularies (the vocabFingerprint in their manifests) unless --allow-vocab-mismatch: then id and category embedding tables are averaged row by row, matched by id through vocab/*.parquet, and a row counts only the inputs whose vocabulary has its id. The output keeps the anchor's config and vocabularies, lists the inputs and weights as parents, and carries no metrics (evaluate it). A table lists what was averaged and what was kept.`

  static override examples = [
    '<%= config.bin %> merge ckpt/a ckpt/b --out ckpt/ab',
    '<%= config.bin %> merge ckpt/a ckpt/b ckpt/c --weights 0.5,0.25,0.25 --out ckpt/abc',
    '<%= config.bin %> merge ckpt/old ckpt/new --allow-vocab-mismatch --out ckpt/soup --force --json',
  ]

  static override strict = false
  static override args = {
    checkpoints: Args.directory({description: 'Checkpoint directories (two or more); the first is the anchor.', required: true}),
  }

  static override flags = {
    out: Flags.string({char: 'o', description: 'Checkpoint directory to write.', required: true}),
    weights: Flags.string({char: 'w', description: 'Comma-separated weight per checkpoint (normalised to sum 1).'}),
    'allow-vocab-mismatch': Flags.boolean({description: 'Merge checkpoints with different vocabularies, aligning embedding rows by id.', default: false}),
    force: Flags.boolean({description: 'Replace an existing output directory.', default: false}),
  }

  async run(): Promise<MergeResult> {
    const {argv, flags} = await this.parse(Merge)
    const inputs = argv as string[]
    const unknown = inputs.find((arg) => arg.startsWith('-'))
    if (unknown) throw new RecError('INVALID_ARGUMENT', `unknown flag ${unknown}`, {hint: 'see rec merge --help'})
    const result = await mergeCheckpoints({
      inputs,
      weights: flags.weights === undefined ? undefined : parseMergeWeights(flags.weights),
      out: flags.out,
      force: flags.force,
      allowVocabMismatch: flags['allow-vocab-mismatch'],
    })
    const width = Math.max(6, ...result.tensors.map((t) => t.name.length))
    this.say(`weights (normalised to sum 1): ${inputs.map((dir, i) => `${dir} ${result.weights[i].toFixed(4)}`).join(', ')}`)
    this.say(`${'tensor'.padEnd(width)}  ${'shape'.padEnd(14)}  result`)
    for (const t of result.tensors) this.say(`${t.name.padEnd(width)}  ${`[${t.shape.join(', ')}]`.padEnd(14)}  ${t.action}${t.reason ? ` (anchor's: ${t.reason})` : ''}`)
    const count = (action: string) => result.tensors.filter((t) => t.action === action).length
    this.say(`${count('averaged')} averaged, ${count('aligned')} aligned by id, ${count('kept')} kept from the anchor${result.ignored.length ? `, ${result.ignored.length} not in the anchor ignored` : ''}; wrote ${result.out}`)
    return result
  }
}
