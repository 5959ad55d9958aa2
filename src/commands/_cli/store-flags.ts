// The store of a running `rec serve`, for the commands that read or migrate it: --state DIR (SQLite) or --store URL (PostgreSQL).
import {Flags} from '@oclif/core'

export const serverStoreFlags = {
  state: Flags.directory({description: 'State directory of `rec serve` (SQLite).', exclusive: ['store']}),
  store: Flags.string({description: 'PostgreSQL URL of the shared store (default: REC_DATABASE_URL when --state is not given).', exclusive: ['state']}),
}
