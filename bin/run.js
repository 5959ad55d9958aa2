#!/usr/bin/env node
// Runs rec. A mistyped command is reported like any bad input (one `rec: error:` line, the closest command, exit 2).
import {flush, handle, run} from '@oclif/core'

import {reportUnknownCommand} from '../dist/commands/_cli/unknown-command.js'

const argv = process.argv.slice(2)
try {
  await run(argv, import.meta.url)
  await flush()
} catch (error) {
  if (!(await reportUnknownCommand(error, import.meta.url, argv))) await handle(error)
}
