// The lock file: mutual exclusion, timeout with CONFLICT, and breaking a lock whose holder died.
import {spawnSync} from 'node:child_process'
import {existsSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {describe, expect, it} from 'vitest'

import {withFileLock} from '../../src/lib/registry/file-lock.js'
import {tempDir} from '../helpers/cli.js'

/** The pid of a process that has exited, so it is certainly not alive. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 0
}

describe('withFileLock', () => {
  it('never lets two holders overlap and removes the file afterwards', async () => {
    const path = join(tempDir(), 'x.lock')
    let inside = 0
    let maxInside = 0
    await Promise.all(
      Array.from({length: 8}, () =>
        withFileLock(path, async () => {
          inside++
          maxInside = Math.max(maxInside, inside)
          await sleep(5)
          inside--
        }),
      ),
    )
    expect(maxInside).toBe(1)
    expect(existsSync(path)).toBe(false)
  })

  it('gives up with CONFLICT naming the live holder after the timeout', async () => {
    const path = join(tempDir(), 'x.lock')
    writeFileSync(path, JSON.stringify({pid: process.pid, host: hostname(), token: 'held', createdAt: 'then'}))
    const started = Date.now()
    await expect(withFileLock(path, async () => 1, {timeoutMs: 150})).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`pid ${process.pid}`),
    })
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
    expect(existsSync(path)).toBe(true)
  })

  it('breaks a lock whose pid is dead', async () => {
    const path = join(tempDir(), 'x.lock')
    writeFileSync(path, JSON.stringify({pid: deadPid(), host: hostname(), token: 'stale', createdAt: 'then'}))
    expect(await withFileLock(path, async () => 'ran', {timeoutMs: 1000})).toBe('ran')
    expect(existsSync(path)).toBe(false)
  })

  it('respects a freshly created lock that is still empty', async () => {
    const path = join(tempDir(), 'x.lock')
    writeFileSync(path, '')
    await expect(withFileLock(path, async () => 1, {timeoutMs: 100})).rejects.toMatchObject({code: 'CONFLICT'})
  })
})
