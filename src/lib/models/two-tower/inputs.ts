// Vocabularies and encoded entity features of a two-tower model, fitted on a dataset or restored from a checkpoint.
import type {Vocabularies} from '../../checkpoint/vocab-files.js'
import {getColumn} from '../../dataset/columns.js'
import type {Dataset} from '../../dataset/store.js'
import {encodeEntities, type EntityFeatures, type FeatureState, fitFeatureState} from '../../features/entity-features.js'
import {CategoryVocab, IdVocab, vocabFingerprint} from '../../features/vocab.js'

export interface TwoTowerInputs {
  users: IdVocab
  items: IdVocab
  userState: FeatureState
  itemState: FeatureState
  userFeatures: EntityFeatures
  itemFeatures: EntityFeatures
}

/** Vocabularies from the users and items tables: every known entity gets a row, whether or not it trains. */
export function fitInputs(dataset: Dataset): TwoTowerInputs {
  const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
  const items = IdVocab.fromValues(getColumn(dataset.items, 'item_id', 'int64').values)
  const userState = fitFeatureState(dataset.users, dataset.manifest.features.users)
  const itemState = fitFeatureState(dataset.items, dataset.manifest.features.items)
  return encodeInputs(dataset, users, items, userState, itemState)
}

function encodeInputs(dataset: Dataset, users: IdVocab, items: IdVocab, userState: FeatureState, itemState: FeatureState): TwoTowerInputs {
  return {
    users,
    items,
    userState,
    itemState,
    userFeatures: encodeEntities(dataset.users, 'user_id', users, userState),
    itemFeatures: encodeEntities(dataset.items, 'item_id', items, itemState),
  }
}

/** The checkpoint's vocabularies applied to a dataset's tables (ids unknown to the checkpoint map to OOV). */
export function restoreInputs(dataset: Dataset, vocabs: Vocabularies, numeric: {user: FeatureState['numeric']; item: FeatureState['numeric']}): TwoTowerInputs {
  const categories = (prefix: string) =>
    Object.fromEntries(
      Object.entries(vocabs.categories)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, vocab]) => [name.slice(prefix.length), vocab.values]),
    )
  return encodeInputs(dataset, vocabs.ids.users, vocabs.ids.items, {categories: categories('users.'), numeric: numeric.user}, {categories: categories('items.'), numeric: numeric.item})
}

/** What a checkpoint stores of the inputs: vocabularies (vocab/) and numeric statistics (manifest). */
export function inputsToVocabularies(inputs: TwoTowerInputs): Vocabularies {
  const categories: Record<string, CategoryVocab> = {}
  for (const [name, values] of Object.entries(inputs.userState.categories)) categories[`users.${name}`] = new CategoryVocab(values)
  for (const [name, values] of Object.entries(inputs.itemState.categories)) categories[`items.${name}`] = new CategoryVocab(values)
  return {ids: {users: inputs.users, items: inputs.items}, categories}
}

export function inputsFingerprint(inputs: TwoTowerInputs): string {
  const vocabs = inputsToVocabularies(inputs)
  return vocabFingerprint(vocabs.ids, vocabs.categories)
}
