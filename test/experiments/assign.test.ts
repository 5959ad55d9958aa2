// The router: forced arms, reroutes from the next request on, and the reroutes it refuses.
import {describe, expect, it} from 'vitest'

import {ExperimentRouter} from '../../src/lib/experiments/assign.js'

const home = {id: 'home', salt: 's1', arms: [{name: 'control', percent: 40}, {name: 'treatment', percent: 30}, {name: 'bold', percent: 30}]}
const ids = Array.from({length: 2000}, (_, i) => BigInt(i))

describe('ExperimentRouter', () => {
  it('routes each user to the assigned arm; a forced arm wins; an unknown arm is named', () => {
    const router = new ExperimentRouter(home)
    expect(router.control).toBe('control')
    for (const id of ids.slice(0, 50)) expect(router.route(id)).toEqual(router.assign(id))
    const user = ids.find((id) => router.assign(id).arm === 'control')!
    expect(router.route(user, 'bold')).toEqual({...router.assign(user), arm: 'bold', forced: true})
    expect(() => router.route(user, 'nope')).toThrow('arm "nope" is not an arm of experiment home (arms: control, treatment, bold)')
  })

  it('a reroute sends an arm\'s users to another arm from the next call, says where they came from, and can be lifted', () => {
    const router = new ExperimentRouter(home)
    const treated = ids.filter((id) => router.assign(id).arm === 'treatment')
    expect(treated.length).toBeGreaterThan(400)
    router.reroute('home', 'treatment', 'control')
    for (const id of treated) expect(router.route(id)).toMatchObject({arm: 'control', reroutedFrom: 'treatment', bucket: router.assign(id).bucket})
    // other arms, the assignment itself and forced arms are untouched
    for (const id of ids.filter((id) => router.assign(id).arm === 'bold')) expect(router.route(id)).toEqual(router.assign(id))
    expect(router.assign(treated[0]).arm).toBe('treatment')
    expect(router.route(treated[0], 'treatment')).toMatchObject({arm: 'treatment', forced: true})
    expect(router.reroutes()).toEqual([{experiment: 'home', from: 'treatment', to: 'control', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)}])
    router.reroute('home', 'treatment', 'treatment')
    expect(router.reroutes()).toEqual([])
    expect(router.route(treated[0])).toEqual(router.assign(treated[0]))
  })

  it('refuses reroutes of another experiment, of unknown arms, and chains', () => {
    const router = new ExperimentRouter(home)
    expect(() => router.reroute('search', 'treatment', 'control')).toThrow('experiment "search" is not served here (serving: home)')
    expect(() => router.reroute('home', 'ghost', 'control')).toThrow('fromArm "ghost" is not an arm of experiment home')
    expect(() => router.reroute('home', 'treatment', 'ghost')).toThrow('toArm "ghost" is not an arm of experiment home')
    router.reroute('home', 'treatment', 'control')
    expect(() => router.reroute('home', 'bold', 'treatment')).toThrow('arm treatment is itself rerouted to control')
    expect(() => router.reroute('home', 'control', 'bold')).toThrow('arm treatment is rerouted to control')
    router.reroute('home', 'bold', 'control')
    expect(router.reroutes().map((r) => `${r.from}->${r.to}`)).toEqual(['treatment->control', 'bold->control'])
  })
})
