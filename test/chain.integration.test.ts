// The whole chain through the built `rec` binary, the way a Makefile would run it.
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {runCli, tempDir} from './helpers/cli.js'

function ok(args: string[]): unknown {
  const result = runCli([...args, '--json'])
  expect(result.code, `rec ${args.join(' ')}\n${result.stderr}`).toBe(0)
  return JSON.parse(result.stdout)
}

describe('rec chain', () => {
  it('gen-data -> inspect -> train retrieval -> eval -> index -> promote', () => {
    const dir = tempDir()
    const world = join(dir, 'world')
    const ckpt = join(dir, 'ckpt')
    const registry = join(dir, 'registry')

    ok(['gen-data', '--out', world, '--users', '200', '--items', '400', '--interactions', '20000', '--topics', '8', '--seed', '3'])
    const inspect = ok(['data', 'inspect', world]) as {problems: unknown[]}
    expect(inspect.problems).toEqual([])

    const trained = ok(['train', 'retrieval', '--dataset', world, '--config', 'config/synthetic-small.yaml', '--epochs', '2', '--batch-size', '128', '--out', ckpt]) as {
      metrics: Record<string, number>
    }
    expect(trained.metrics['val.ndcg@10']).toBeGreaterThanOrEqual(0)
    expect(existsSync(join(ckpt, 'weights.safetensors'))).toBe(true)

    const report = ok(['eval', '--dataset', world, '--ckpt', ckpt, '--split', 'test', '--k', '10,50']) as {protocol: unknown}
    expect(JSON.stringify(report.protocol)).toMatch(/full/)

    const index = join(dir, 'index')
    const built = ok(['index', 'build', '--ckpt', ckpt, '--out', index, '--exact-below', '0', '--recall-users', '100']) as {kind: string; recall: {value: number}}
    expect(built.kind).toBe('hnsw')
    expect(built.recall.value).toBeGreaterThan(0.9)
    const query = ok(['index', 'query', index, '--ckpt', ckpt, '--user-id', '1', '--k', '5']) as {items: {itemId: string; score: number}[]}
    expect(query.items).toHaveLength(5)
    const unknown = runCli(['index', 'query', index, '--item-id', '987654321'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/item id 987654321 is not in the index/)

    ok(['promote', 'register', ckpt, '--registry', registry])
    ok(['promote', 'best', '--kind', 'retrieval', '--metric', 'val.ndcg@10', '--alias', 'production', '--registry', registry])
    const resolved = runCli(['promote', 'resolve', 'production', '--registry', registry])
    expect(resolved.code).toBe(0)
    expect(resolved.stdout.trim()).toBe(ckpt)
  })
})
