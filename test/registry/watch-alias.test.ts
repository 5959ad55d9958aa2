// watchAlias: reports the alias's target at start and after each move; a tampered target is an error.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {describe, expect, it} from 'vitest'

import {registerCheckpoint, setAlias, watchAlias} from '../../src/lib/registry/index.js'
import {updateRegistry} from '../../src/lib/registry/update-registry.js'
import {tempDir} from '../helpers/cli.js'
import {makeCheckpoint} from './make-checkpoint.js'

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(5)
  }
}

describe('watchAlias', () => {
  it('follows an alias across moves, ignores other writes, and reports a tampered target once', async () => {
    const root = tempDir()
    const reg = join(root, 'registry')
    const dirs = [1, 2, 3].map((i) => makeCheckpoint(join(root, `c${i}`), {tag: `w${i}`}))
    for (const dir of dirs) await registerCheckpoint(reg, dir)
    await setAlias(reg, 'staging', 1)
    const seen: number[] = []
    const errors: string[] = []
    const watcher = watchAlias(reg, 'staging', {intervalMs: 10, onChange: (r) => void seen.push(r.version), onError: (e) => void errors.push((e as Error).message)})
    try {
      await until(() => seen.length === 1)
      await setAlias(reg, 'staging', 2)
      await until(() => seen.length === 2)
      // Another alias moving rewrites the file but must not report staging again.
      await setAlias(reg, 'other', 3)
      await sleep(50)
      expect(seen).toEqual([1, 2])
      // staging moves to a checkpoint whose files changed (written directly: setAlias would refuse it).
      writeFileSync(join(dirs[2], 'weights.safetensors'), 'tampered')
      await updateRegistry(reg, (registry) => {
        registry.aliases.staging = {version: 3, history: [1, 2], updatedAt: new Date().toISOString()}
      })
      await until(() => errors.length === 1)
      expect(errors[0]).toContain(`checkpoint ${dirs[2]} of version 3 changed`)
      await sleep(50)
      expect(seen).toEqual([1, 2])
      expect(errors).toHaveLength(1)
    } finally {
      watcher.close()
    }
  })

  it('reports an alias that is not set yet through onError, then picks it up once set', async () => {
    const root = tempDir()
    const reg = join(root, 'registry')
    await registerCheckpoint(reg, makeCheckpoint(join(root, 'c1')))
    const seen: string[] = []
    const errors: string[] = []
    const watcher = watchAlias(reg, 'production', {intervalMs: 10, onChange: (r) => void seen.push(r.path), onError: (e) => void errors.push((e as Error).message)})
    try {
      await until(() => errors.length === 1)
      await setAlias(reg, 'production', 1)
      await until(() => seen.length === 1)
      expect(seen).toEqual([join(root, 'c1')])
      expect(errors[0]).toContain('alias "production" is not set')
    } finally {
      watcher.close()
    }
  })
})
