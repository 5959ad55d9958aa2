import {describe, expect, it} from 'vitest'

import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {RecomputeQueue} from '../../src/lib/serving/top-n-recompute.js'

describe('top-N recompute queue', () => {
  const queue = (minIntervalMs = 1000) => {
    const clock = {now: 0}
    const ran: bigint[] = []
    const errors: string[] = []
    const q = new RecomputeQueue({
      minIntervalMs,
      now: () => clock.now,
      run: async (userId) => {
        ran.push(userId)
        if (userId === 13n) throw new Error('boom')
      },
      onError: (error, userId) => errors.push(`${userId}: ${(error as Error).message}`),
    })
    return {q, clock, ran, errors}
  }

  it('runs each queued user once (dedup), oldest first', async () => {
    const {q, ran} = queue()
    for (const user of [1n, 2n, 1n, 3n, 2n]) q.add(user)
    expect(q.pending).toBe(3)
    await q.drain()
    expect(ran).toEqual([1n, 2n, 3n])
    expect(q.pending).toBe(0)
    await q.close()
  })

  it('holds a user recomputed within the interval until it ends, then runs it once', async () => {
    const {q, clock, ran} = queue(1000)
    q.add(1n)
    await q.drain()
    clock.now = 400
    q.add(1n)
    q.add(1n)
    q.add(2n)
    await q.drain()
    expect(ran).toEqual([1n, 2n]) // 2 was never recomputed; 1 waits until t = 1000
    clock.now = 999
    await q.drain()
    expect(ran).toEqual([1n, 2n])
    clock.now = 1000
    await q.drain()
    expect(ran).toEqual([1n, 2n, 1n])
    await q.close()
  })

  it('a failing recompute is reported and the queue carries on; close drops what is queued', async () => {
    const {q, clock, ran, errors} = queue()
    q.add(13n)
    q.add(14n)
    await q.drain()
    expect(ran).toEqual([13n, 14n])
    expect(errors).toEqual(['13: boom'])
    clock.now = 5000
    q.add(15n)
    await q.close()
    await q.drain()
    q.add(16n)
    expect(ran).toEqual([13n, 14n])
    expect(q.pending).toBe(0)
  })

  it('runs on its own timer: add() returns at once and the recompute follows', async () => {
    const ran: bigint[] = []
    const q = new RecomputeQueue({minIntervalMs: 60_000, now: Date.now, run: async (userId) => void ran.push(userId)})
    q.add(7n)
    expect(ran).toEqual([])
    for (let i = 0; i < 50 && ran.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(ran).toEqual([7n])
    await q.close()
  })
})

describe('mixer config top-n', () => {
  it('reads min-interval as a duration or ms, recompute-on as known events', () => {
    expect(MixerConfigSchema.parse({})['top-n']).toEqual({'recompute-on': ['like', 'repost', 'share', 'reply', 'follow_author', 'hide', 'report'], 'min-interval': 60_000, k: 100})
    expect(MixerConfigSchema.parse({'top-n': {'min-interval': '5m', 'recompute-on': ['like']}})['top-n']).toMatchObject({'min-interval': 300_000, 'recompute-on': ['like']})
    // a parsed config parses again (overrides re-validate it; pipeline workers get it cloned)
    const parsed = MixerConfigSchema.parse({'top-n': {'min-interval': '90s'}})
    expect(MixerConfigSchema.parse(structuredClone(parsed))['top-n']['min-interval']).toBe(90_000)
    expect(MixerConfigSchema.safeParse({'top-n': {'min-interval': '1 minute'}}).error?.issues[0].message).toMatch(/"1 minute" is not a duration such as 30m, 24h or 7d/)
    expect(MixerConfigSchema.safeParse({'top-n': {'recompute-on': ['liked']}}).success).toBe(false)
    expect(MixerConfigSchema.safeParse({'top-n': {every: '1m'}}).success).toBe(false)
  })
})
