// Polls registry.json and reports when an alias moves, for a server that follows an alias.
import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import {type ResolvedAlias, resolveAlias} from './resolve-alias.js'
import {REGISTRY_FILE} from './schema.js'

export interface WatchOptions {
  /** Poll period; default 1000 ms (one stat per poll; the registry is only parsed when the file changed). */
  intervalMs?: number
  /** Called with the alias's target on the first successful poll and each time it moves to another version. */
  onChange: (resolved: ResolvedAlias) => void | Promise<void>
  /** A failed read or content check; the last good target stays in use and polling goes on. */
  onError?: (error: unknown) => void
}

export interface AliasWatcher {
  close(): void
}

/**
 * Polls rather than fs.watch: registry.json is replaced by rename, which inotify reports on the
 * directory inconsistently across platforms, and a stat per second costs nothing. A change in
 * content that fails its hash check is reported once per registry revision, not once per poll.
 */
export function watchAlias(registryDir: string, alias: string, options: WatchOptions): AliasWatcher {
  const intervalMs = options.intervalMs ?? 1000
  let closed = false
  let timer: NodeJS.Timeout | undefined
  let lastStamp = ''
  let lastVersion: number | undefined

  const poll = async () => {
    try {
      const st = await stat(join(registryDir, REGISTRY_FILE))
      const stamp = `${st.ino}:${st.mtimeMs}:${st.size}`
      if (stamp === lastStamp) return
      lastStamp = stamp
      const unverified = await resolveAlias(registryDir, alias, {verify: false})
      if (unverified.version === lastVersion) return
      const resolved = await resolveAlias(registryDir, alias)
      lastVersion = resolved.version
      if (!closed) await options.onChange(resolved)
    } catch (error) {
      options.onError?.(error)
    }
  }

  const loop = async () => {
    await poll()
    if (!closed) {
      timer = setTimeout(loop, intervalMs)
      timer.unref()
    }
  }
  void loop()
  return {
    close() {
      closed = true
      if (timer) clearTimeout(timer)
    },
  }
}
