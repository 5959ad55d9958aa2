// `promote set`: points an alias at an explicit version.
import {getVersion} from './lookup.js'
import {type MoveOptions, type MoveResult, moveAlias} from './move-alias.js'

/** Points `alias` at `version` (NOT_FOUND if unknown), subject to the content check and guardrail. */
export async function setAlias(registryDir: string, alias: string, version: number, options: MoveOptions = {}): Promise<MoveResult> {
  return moveAlias(registryDir, alias, (registry) => getVersion(registry, version, registryDir), options)
}
