import {migrateStore, type MigrateResult} from '../../lib/store/migrate.js'
import {RecCommand} from '../_cli/rec-command.js'
import {serverStoreFlags} from '../_cli/store-flags.js'

export default class StoreMigrate extends RecCommand {
  static override summary = 'Apply pending schema migrations to a store (PostgreSQL or a SQLite state directory).'
  static override description =
    'rec serve applies pending migrations at start (replicas that start together take turns under a lock); run this first when a deploy should fail before any replica restarts. Idempotent: an up-to-date store is left as it is.'

  static override examples = [
    '<%= config.bin %> store migrate --store postgres://rec@db.internal/rec',
    'REC_DATABASE_URL=postgres://rec@db.internal/rec <%= config.bin %> store migrate --json',
    '<%= config.bin %> store migrate --state state/',
  ]

  static override flags = {
    ...serverStoreFlags,
  }

  async run(): Promise<MigrateResult> {
    const {flags} = await this.parse(StoreMigrate)
    const result = await migrateStore(flags)
    this.say(result.from === result.to ? `${result.store} is up to date (schema version ${result.to})` : `${result.store}: schema version ${result.from} -> ${result.to}`)
    return result
  }
}
