import {Args, Flags} from '@oclif/core'

import {RecError} from '../../lib/errors.js'
import {queryIndex, type QueryResult} from '../../lib/index/checkpoint-index.js'
import {RecCommand} from '../_cli/rec-command.js'

function parseId(flag: string, value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined
  if (!/^-?\d+$/.test(value.trim())) throw new RecError('INVALID_ARGUMENT', `--${flag}: "${value}" is not an integer id`)
  return BigInt(value.trim())
}

export default class IndexQuery extends RecCommand {
  static override summary = 'Top-k items of an index for a user (through the user tower) or similar to an item.'

  static override examples = [
    '<%= config.bin %> index query index/ml100k --ckpt ckpt/ml100k --user-id 42 --k 10',
    '<%= config.bin %> index query index/ml100k --item-id 50 --json',
  ]

  static override args = {index: Args.directory({description: 'Index directory.', required: true})}

  static override flags = {
    ckpt: Flags.directory({char: 'c', description: 'Retrieval checkpoint (needed for --user-id).'}),
    dataset: Flags.directory({char: 'd', description: 'Dataset for user histories (default: the checkpoint\'s).'}),
    'user-id': Flags.string({description: 'Recommend for this user id.', exclusive: ['item-id']}),
    'item-id': Flags.string({description: 'Items most similar to this item id.', exclusive: ['user-id']}),
    k: Flags.integer({min: 1, max: 10_000, default: 10, description: 'Results to return.'}),
    'include-seen': Flags.boolean({description: 'Keep items the user already engaged with.', default: false}),
  }

  async run(): Promise<QueryResult> {
    const {args, flags} = await this.parse(IndexQuery)
    const result = await queryIndex({
      index: args.index,
      ckpt: flags.ckpt,
      dataset: flags.dataset,
      userId: parseId('user-id', flags['user-id']),
      itemId: parseId('item-id', flags['item-id']),
      k: flags.k,
      excludeSeen: !flags['include-seen'],
    })
    for (const [i, item] of result.items.entries()) this.say(`${String(i + 1).padStart(3)}  item ${item.itemId}  score ${item.score.toFixed(4)}`)
    return result
  }
}
