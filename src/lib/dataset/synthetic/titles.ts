// Item titles of the synthetic world: words of the item's true topic mixed with noise words, from their own seeded stream.
import type {Rng} from '../../random/rng.js'
import {AliasTable} from './draws.js'

/** Twelve words per named topic of vocab.ts (same order); later topics get made-up words. */
const TOPIC_VOCAB: Record<string, string[]> = {
  news: ['breaking', 'report', 'headline', 'officials', 'statement', 'crisis', 'announced', 'investigation', 'witnesses', 'press', 'coverage', 'developing'],
  politics: ['election', 'senate', 'vote', 'campaign', 'policy', 'minister', 'parliament', 'debate', 'ballot', 'governor', 'bill', 'coalition'],
  sports: ['match', 'league', 'season', 'champion', 'coach', 'tournament', 'score', 'victory', 'athletes', 'stadium', 'playoff', 'record'],
  football: ['goal', 'striker', 'penalty', 'midfielder', 'derby', 'keeper', 'transfer', 'offside', 'pitch', 'premier', 'kickoff', 'defender'],
  basketball: ['dunk', 'rebound', 'nba', 'point', 'guard', 'court', 'buzzer', 'draft', 'triple', 'assist', 'hoops', 'finals'],
  music: ['album', 'song', 'concert', 'band', 'singer', 'tour', 'lyrics', 'guitar', 'chart', 'single', 'festival', 'remix'],
  movies: ['film', 'director', 'trailer', 'premiere', 'cast', 'sequel', 'oscar', 'screenplay', 'boxoffice', 'cinema', 'actor', 'studio'],
  tv: ['episode', 'series', 'finale', 'showrunner', 'streaming', 'sitcom', 'pilot', 'renewed', 'network', 'binge', 'spoilers', 'anthology'],
  gaming: ['console', 'gameplay', 'esports', 'patch', 'multiplayer', 'speedrun', 'quest', 'controller', 'indie', 'raid', 'loot', 'leaderboard'],
  tech: ['startup', 'software', 'smartphone', 'chip', 'cloud', 'gadget', 'launch', 'developer', 'app', 'silicon', 'browser', 'hardware'],
  science: ['research', 'study', 'physics', 'experiment', 'telescope', 'species', 'discovery', 'researchers', 'molecule', 'fossil', 'climate', 'laboratory'],
  ai: ['model', 'neural', 'training', 'chatbot', 'dataset', 'inference', 'robots', 'algorithm', 'transformer', 'benchmark', 'alignment', 'gpu'],
  finance: ['stocks', 'market', 'earnings', 'investors', 'inflation', 'bank', 'rates', 'dividend', 'bonds', 'economy', 'recession', 'portfolio'],
  crypto: ['bitcoin', 'blockchain', 'token', 'wallet', 'ethereum', 'mining', 'exchange', 'defi', 'altcoin', 'ledger', 'halving', 'stablecoin'],
  fashion: ['runway', 'designer', 'outfit', 'collection', 'couture', 'style', 'sneakers', 'trend', 'vintage', 'model', 'denim', 'accessories'],
  food: ['recipe', 'chef', 'restaurant', 'dinner', 'baking', 'flavor', 'vegan', 'dessert', 'kitchen', 'spicy', 'brunch', 'ingredients'],
  travel: ['flight', 'destination', 'hotel', 'beach', 'itinerary', 'passport', 'island', 'backpacking', 'airport', 'roadtrip', 'resort', 'tourists'],
  fitness: ['workout', 'gym', 'training', 'cardio', 'strength', 'marathon', 'yoga', 'reps', 'squat', 'endurance', 'stretching', 'coach'],
  health: ['doctors', 'hospital', 'vaccine', 'symptoms', 'patients', 'therapy', 'nutrition', 'wellness', 'clinic', 'disease', 'sleep', 'treatment'],
  art: ['painting', 'gallery', 'exhibition', 'artist', 'sculpture', 'canvas', 'museum', 'mural', 'portrait', 'sketch', 'curator', 'installation'],
  books: ['novel', 'author', 'chapter', 'bestseller', 'memoir', 'library', 'publisher', 'fiction', 'poetry', 'paperback', 'reading', 'literary'],
  pets: ['puppy', 'kitten', 'dog', 'cat', 'adoption', 'shelter', 'vet', 'breed', 'leash', 'paws', 'rescue', 'grooming'],
  memes: ['meme', 'lol', 'viral', 'relatable', 'template', 'cursed', 'wholesome', 'reaction', 'copypasta', 'trending', 'caption', 'irony'],
  education: ['students', 'teachers', 'school', 'university', 'exam', 'curriculum', 'classroom', 'degree', 'tuition', 'lecture', 'scholarship', 'campus'],
}

/** Words of no topic, shared by all: the noise a title vocabulary has. */
const NOISE_WORDS = [
  'new', 'today', 'why', 'how', 'best', 'week', 'update', 'first', 'big', 'inside', 'look', 'more',
  'people', 'year', 'top', 'really', 'thread', 'thoughts', 'finally', 'just', 'here', 'what', 'again', 'open',
]

/** Share of a title's words drawn from its topic; the rest are noise words. */
const TOPIC_SHARE = 0.6
const MIN_WORDS = 4
const MAX_WORDS = 9
/** Zipf weights (rank+1)^-0.7: a few words of each topic are common, as in real text. */
const ZIPF_S = 0.7
/** Redraws of a word already in the title before it is kept anyway. */
const REDRAWS = 3

const SYLLABLES = ['ka', 'lo', 'mi', 'ru', 'te', 'zo', 'ven', 'dar', 'sil', 'pum', 'qua', 'nex', 'bri', 'tol', 'fen', 'gro']

/** Made-up words for a topic beyond the named ones; a function of the topic index alone (no randomness). */
function madeUpWords(topic: number): string[] {
  return Array.from({length: 12}, (_, w) => {
    let x = Math.imul(topic + 1, 0x9e3779b1) ^ Math.imul(w + 1, 0x85ebca6b)
    let word = ''
    for (let s = 0; s < 3; s++) {
      x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0
      word += SYLLABLES[x % SYLLABLES.length]
    }
    return word
  })
}

/** The words of topic `name` (index `topic`): its own list for named topics, made-up words otherwise. */
export function topicVocabulary(name: string, topic: number): string[] {
  return TOPIC_VOCAB[name] ?? madeUpWords(topic)
}

/**
 * One title per item: 4 to 9 words, each from the item's true topic (60%, Zipf-weighted) or the
 * noise words, a word already in the title redrawn up to 3 times. Draws only from `rng`, so titles never shift another column's draws.
 */
export function generateTitles(trueTopic: Int32Array, topics: readonly string[], rng: Rng): string[] {
  const vocab = topics.map((name, z) => topicVocabulary(name, z))
  const tables = vocab.map((words) => new AliasTable(words.map((_, r) => 1 / Math.pow(r + 1, ZIPF_S))))
  const titles = new Array<string>(trueTopic.length)
  const words: string[] = []
  for (let i = 0; i < trueTopic.length; i++) {
    const z = trueTopic[i]
    const n = MIN_WORDS + rng.int(MAX_WORDS - MIN_WORDS + 1)
    words.length = 0
    for (let w = 0; w < n; w++) {
      let word = ''
      for (let attempt = 0; attempt <= REDRAWS && (attempt === 0 || words.includes(word)); attempt++) {
        word = rng.next() < TOPIC_SHARE ? vocab[z][tables[z].sample(rng)] : NOISE_WORDS[rng.int(NOISE_WORDS.length)]
      }
      words.push(word)
    }
    titles[i] = words.join(' ')
  }
  return titles
}
