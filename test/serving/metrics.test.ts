import {describe, expect, it} from 'vitest'

import {Metrics} from '../../src/lib/serving/metrics.js'

describe('Metrics', () => {
  it('renders label values as given, escaping backslash, quote and newline', () => {
    const metrics = new Metrics()
    metrics.inc('requests_total', {route: '/v1/x', method: 'GET'})
    metrics.inc('requests_total', {route: '/v1/x', method: 'GET'}, 2)
    metrics.inc('requests_total', {route: 'a\\b"c\nd'})
    metrics.inc('plain_total', {})
    const text = metrics.render()
    expect(text).toContain('requests_total{route="/v1/x",method="GET"} 3\n')
    expect(text).toContain('requests_total{route="a\\\\b\\"c\\nd"} 1\n')
    expect(text).toContain('plain_total 1\n')
  })

  it('counts a histogram observation in every bucket at or above it', () => {
    const metrics = new Metrics()
    metrics.observe('latency_ms', {route: 'r'}, 3)
    const text = metrics.render()
    expect(text).toContain('latency_ms_bucket{route="r",le="2.5"} 0\n')
    expect(text).toContain('latency_ms_bucket{route="r",le="5"} 1\n')
    expect(text).toContain('latency_ms_bucket{route="r",le="+Inf"} 1\n')
    expect(text).toContain('latency_ms_count{route="r"} 1\n')
  })
})
