// AUC, PR-AUC, precision at recall, logloss, RCE and ECE against known cases and pairwise definitions.
import {describe, expect, it} from 'vitest'

import {rocAuc} from '../../src/lib/metrics/auc.js'
import {expectedCalibrationError} from '../../src/lib/metrics/calibration.js'
import {evaluateClassification} from '../../src/lib/metrics/classification.js'
import {logLoss, relativeCrossEntropy} from '../../src/lib/metrics/logloss.js'
import {averagePrecision, precisionAtRecall} from '../../src/lib/metrics/pr-curve.js'
import {Rng} from '../../src/lib/random/rng.js'

/** Pairwise AUC straight from the definition. */
function bruteAuc(labels: number[], scores: number[], weights: number[]): number {
  let num = 0
  let den = 0
  for (let i = 0; i < labels.length; i++) {
    for (let j = 0; j < labels.length; j++) {
      if (labels[i] !== 1 || labels[j] !== 0) continue
      const w = weights[i] * weights[j]
      den += w
      num += w * (scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0)
    }
  }
  return num / den
}

/** AP as the mean over positives of precision at the positive's score threshold (unweighted, ties entering together). */
function bruteAp(labels: number[], scores: number[]): number {
  let sum = 0
  let positives = 0
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue
    positives++
    const above = scores.map((s, j) => j).filter((j) => scores[j] >= scores[i])
    sum += above.filter((j) => labels[j] === 1).length / above.length
  }
  return sum / positives
}

describe('AUC', () => {
  it('is 1 for a perfect order, 0 reversed, 0.5 for all ties', () => {
    const labels = [0, 0, 1, 1]
    expect(rocAuc({labels, scores: [0.1, 0.2, 0.8, 0.9]})).toBe(1)
    expect(rocAuc({labels, scores: [0.9, 0.8, 0.2, 0.1]})).toBe(0)
    expect(rocAuc({labels, scores: [0.5, 0.5, 0.5, 0.5]})).toBe(0.5)
  })

  it('counts ties as half and honours weights, on random data', () => {
    const rng = new Rng(2)
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + rng.int(60)
      const labels = Array.from({length: n}, (_, i) => (i < 2 ? i : rng.int(2)))
      const scores = Array.from({length: n}, () => rng.int(6) / 5)
      const weights = Array.from({length: n}, () => (trial % 2 ? 1 : rng.next() * 3))
      expect(rocAuc({labels, scores, weights})).toBeCloseTo(bruteAuc(labels, scores, weights), 10)
    }
  })

  it('rejects one class, NaN scores and bad labels', () => {
    expect(() => rocAuc({labels: [1, 1], scores: [0.1, 0.2]})).toThrow(/needs both classes/)
    expect(() => rocAuc({labels: [0, 1], scores: [NaN, 0.2]})).toThrow(/score NaN at example 0/)
    expect(() => rocAuc({labels: [0, 2], scores: [0.1, 0.2]})).toThrow(/label 2 at example 1 must be 0 or 1/)
  })
})

describe('PR curve', () => {
  it('average precision matches the per-positive definition, with ties', () => {
    const rng = new Rng(4)
    for (let trial = 0; trial < 20; trial++) {
      const n = 3 + rng.int(40)
      const labels = Array.from({length: n}, (_, i) => (i === 0 ? 1 : rng.int(2)))
      const scores = Array.from({length: n}, () => rng.int(5))
      expect(averagePrecision({labels, scores})).toBeCloseTo(bruteAp(labels, scores), 10)
    }
    expect(averagePrecision({labels: [1, 1, 0], scores: [3, 2, 1]})).toBe(1)
  })

  it('precision at recall picks the best threshold reaching the recall', () => {
    // Descending: 1 1 0 1 0 1 -> at recall 0.75 (3 of 4) precision 3/4; at recall 1, 4/6.
    const input = {labels: [1, 1, 0, 1, 0, 1], scores: [6, 5, 4, 3, 2, 1]}
    expect(precisionAtRecall(input, 0.75)).toEqual({threshold: 3, precision: 0.75, recall: 0.75})
    expect(precisionAtRecall(input, 0.9).precision).toBeCloseTo(4 / 6, 12)
    expect(precisionAtRecall(input, 0.5).precision).toBe(1)
  })
})

describe('logloss, RCE and calibration', () => {
  it('logloss by hand, with clipping', () => {
    expect(logLoss({labels: [1, 0], scores: [0.8, 0.4]})).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12)
    expect(logLoss({labels: [1], scores: [0]})).toBeCloseTo(-Math.log(1e-7), 6)
  })

  it('RCE is 0 for the base rate, 100 for a perfect model, negative when worse', () => {
    const labels = [1, 0, 0, 0, 1, 0, 0, 0]
    expect(relativeCrossEntropy({labels, scores: labels.map(() => 0.25)})).toBeCloseTo(0, 10)
    expect(relativeCrossEntropy({labels, scores: labels})).toBeCloseTo(100, 3)
    expect(relativeCrossEntropy({labels, scores: labels.map(() => 0.6)})).toBeLessThan(0)
    expect(() => relativeCrossEntropy({labels: [0, 0], scores: [0.1, 0.2]})).toThrow(/needs both classes/)
  })

  it('ECE by hand over 10 bins', () => {
    // Bin 0.1-0.2: p 0.15, 0.15 with labels 0, 1 -> |0.5 - 0.15| * 2/4; bin 0.9-1: p 0.95, 1.0 with labels 1, 1 -> |1 - 0.975| * 2/4.
    const ece = expectedCalibrationError({labels: [0, 1, 1, 1], scores: [0.15, 0.15, 0.95, 1]})
    expect(ece).toBeCloseTo(0.35 * 0.5 + 0.025 * 0.5, 12)
    expect(() => expectedCalibrationError({labels: [0, 1, 1, 1], scores: [0.15, 0.15, 0.95, 1.2]})).toThrow(/probability 1.2 at example 3 is outside \[0, 1\]/)
  })

  it('evaluateClassification bundles every metric', () => {
    const report = evaluateClassification({labels: [0, 0, 1, 1], scores: [0.1, 0.4, 0.35, 0.8]})
    expect(report.auc).toBe(0.75)
    expect(report.baseRate).toBe(0.5)
    expect(report.precisionAtRecall).toEqual({recall: 0.9, precision: 2 / 3, threshold: 0.35})
    expect(report.rce).toBeGreaterThan(0)
  })
})
