// Prometheus text exposition: counters and latency histograms with labels, written by hand (no client library).
const BUCKETS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500]

type Labels = Record<string, string>

const SPECIAL = /[\\"\n]/

/** `{k="v",...}`; values without a character to escape skip the three replaces. */
function labelText(labels: Labels): string {
  let text = ''
  for (const k in labels) {
    const v = labels[k]
    text += `${text ? ',' : '{'}${k}="${SPECIAL.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v}"`
  }
  return text && `${text}}`
}

interface Histogram {
  labels: Labels
  counts: number[]
  sum: number
  count: number
}

function record(h: Histogram, ms: number): void {
  for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]) h.counts[i]++
  h.sum += ms
  h.count++
}

export class Metrics {
  private readonly counters = new Map<string, Map<string, {labels: Labels; value: number}>>()
  private readonly histograms = new Map<string, Map<string, Histogram>>()
  private readonly help = new Map<string, string>()
  private readonly gauges: (() => string)[] = []

  describe(name: string, help: string): void {
    this.help.set(name, help)
  }

  inc(name: string, labels: Labels, by = 1): void {
    this.counterSeries(name, labels).value += by
  }

  observe(name: string, labels: Labels, ms: number): void {
    record(this.histogramSeries(name, labels), ms)
  }

  /** One labelled counter series, resolved once: a caller that keeps it pays no label formatting per event. */
  counter(name: string, labels: Labels): {inc(by?: number): void} {
    const series = this.counterSeries(name, labels)
    return {inc: (by = 1) => void (series.value += by)}
  }

  /** One labelled histogram series, resolved once (see counter). */
  histogram(name: string, labels: Labels): {observe(ms: number): void} {
    const series = this.histogramSeries(name, labels)
    return {observe: (ms) => record(series, ms)}
  }

  private counterSeries(name: string, labels: Labels): {labels: Labels; value: number} {
    let series = this.counters.get(name)
    if (!series) this.counters.set(name, (series = new Map()))
    const key = labelText(labels)
    let entry = series.get(key)
    if (!entry) series.set(key, (entry = {labels, value: 0}))
    return entry
  }

  private histogramSeries(name: string, labels: Labels): Histogram {
    let series = this.histograms.get(name)
    if (!series) this.histograms.set(name, (series = new Map()))
    const key = labelText(labels)
    let h = series.get(key)
    if (!h) series.set(key, (h = {labels, counts: new Array(BUCKETS_MS.length).fill(0), sum: 0, count: 0}))
    return h
  }

  /** A gauge family rendered at scrape time (e.g. model versions). */
  gauge(render: () => string): void {
    this.gauges.push(render)
  }

  render(): string {
    const lines: string[] = []
    const head = (name: string, type: string) => {
      if (this.help.has(name)) lines.push(`# HELP ${name} ${this.help.get(name)}`)
      lines.push(`# TYPE ${name} ${type}`)
    }
    for (const [name, series] of this.counters) {
      head(name, 'counter')
      for (const {labels, value} of series.values()) lines.push(`${name}${labelText(labels)} ${value}`)
    }
    for (const [name, series] of this.histograms) {
      head(name, 'histogram')
      for (const h of series.values()) {
        BUCKETS_MS.forEach((le, i) => lines.push(`${name}_bucket${labelText({...h.labels, le: String(le)})} ${h.counts[i]}`))
        lines.push(`${name}_bucket${labelText({...h.labels, le: '+Inf'})} ${h.count}`)
        lines.push(`${name}_sum${labelText(h.labels)} ${h.sum}`)
        lines.push(`${name}_count${labelText(h.labels)} ${h.count}`)
      }
    }
    for (const render of this.gauges) lines.push(render())
    return lines.join('\n') + '\n'
  }
}

export {labelText}
