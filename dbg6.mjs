import {readDataset} from '/work/main/dist/lib/dataset/store.js'
import {fitInputs} from '/work/main/dist/lib/models/two-tower/inputs.js'
import {selectPositives} from '/work/main/dist/lib/features/positives.js'
import {buildHistory} from '/work/main/dist/lib/features/history.js'
import {buildRetrievalExamples, itemLogFrequency} from '/work/main/dist/lib/training/retrieval-examples.js'
import {createTwoTower, prepareUsers, prepareItems} from '/work/main/dist/lib/models/two-tower/model.js'
import {RetrievalConfigSchema} from '/work/main/dist/lib/models/two-tower/config.js'
import {initBackend} from '/work/main/dist/lib/engine/backend.js'
import {DenseAdam} from '/work/main/dist/lib/engine/dense-adam.js'
import {Rng} from '/work/main/dist/lib/random/rng.js'
import {epochOrder, makeBatch} from '/work/main/dist/lib/training/retrieval-batches.js'
import {retrievalStep} from '/work/main/dist/lib/training/retrieval-step.js'
const ds = await readDataset('/tmp/ml100k')
const inputs = fitInputs(ds)
const pos = selectPositives(ds.interactions, inputs.users, inputs.items, {events: {rating: 1}})
const h = buildHistory(pos, inputs.users.size, [0])
const ex = buildRetrievalExamples(pos, h)
const feats = process.argv[2] === '1'
const cfg = RetrievalConfigSchema.parse({'user-features': feats, 'item-features': feats})
await initBackend('wasm')
const rng = new Rng(1)
const model = createTwoTower(cfg, inputs.users.size, inputs.items.size, inputs.userFeatures, inputs.itemFeatures, rng)
const adam = new DenseAdam({learningRate: 0.01})
const order = epochOrder(ex.user.length, rng)
const plan = {batchSize: 1024, historyLength: 50, nItems: inputs.items.size, randomNegatives: 0, logFrequency: itemLogFrequency(ex, inputs.items.size)}
let t = {batch: 0, step: 0, prep: 0}
for (let i = 0; i < 30; i++) {
  let t0 = performance.now(); const batch = makeBatch(ex, order, (i * 1024) % 90000, plan, rng); t.batch += performance.now() - t0
  t0 = performance.now(); prepareUsers(model, batch.users, batch.windows); prepareItems(model, batch.columns); t.prep += performance.now() - t0
  t0 = performance.now(); retrievalStep(model, batch, adam); t.step += performance.now() - t0
}
console.log('per step ms', Object.fromEntries(Object.entries(t).map(([k,v])=>[k,(v/30).toFixed(1)])), 'ex/s', Math.round(1024*30/(t.step/1000)))
