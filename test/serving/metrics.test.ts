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

  it('a series handle adds to the same series as inc and observe', () => {
    const metrics = new Metrics()
    const counter = metrics.counter('c_total', {source: 'A'})
    counter.inc()
    counter.inc(4)
    metrics.inc('c_total', {source: 'A'})
    const histogram = metrics.histogram('h_ms', {stage: 's'})
    histogram.observe(1)
    metrics.observe('h_ms', {stage: 's'}, 30)
    const text = metrics.render()
    expect(text).toContain('c_total{source="A"} 6\n')
    expect(text).toContain('h_ms_count{stage="s"} 2\n')
    expect(text).toContain('h_ms_sum{stage="s"} 31\n')
  })
})
