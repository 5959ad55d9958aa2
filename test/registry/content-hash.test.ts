// Content hash: deterministic, location-independent, sensitive to every byte and every file name.
import {cpSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {hashCheckpointDir} from '../../src/lib/registry/content-hash.js'
import {tempDir} from '../helpers/cli.js'
import {makeCheckpoint} from './make-checkpoint.js'

describe('hashCheckpointDir', () => {
  it('hashes every file, sorted, and ignores where the directory lives', async () => {
    const root = tempDir()
    const a = makeCheckpoint(join(root, 'a'))
    const first = await hashCheckpointDir(a)
    expect(first.hash).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(first.files).toBe(3)
    cpSync(a, join(root, 'copy'), {recursive: true})
    expect(await hashCheckpointDir(join(root, 'copy'))).toEqual(first)
  })

  it('changes when a byte, a file name or an extra file changes', async () => {
    const root = tempDir()
    const base = (await hashCheckpointDir(makeCheckpoint(join(root, 'a')))).hash
    const edited = makeCheckpoint(join(root, 'b'))
    writeFileSync(join(edited, 'vocab', 'items.parquet'), Buffer.from('PAR1-b-PAR1'))
    const renamed = makeCheckpoint(join(root, 'c'))
    renameSync(join(renamed, 'vocab', 'items.parquet'), join(renamed, 'vocab', 'users.parquet'))
    const extra = makeCheckpoint(join(root, 'd'))
    writeFileSync(join(extra, 'vocab', 'notes.txt'), '')
    const hashes = [base, ...(await Promise.all([edited, renamed, extra].map(async (d) => (await hashCheckpointDir(d)).hash)))]
    expect(new Set(hashes).size).toBe(4)
  })

  it('throws NOT_FOUND for a missing directory', async () => {
    await expect(hashCheckpointDir(join(tempDir(), 'none'))).rejects.toMatchObject({code: 'NOT_FOUND'})
  })
})
