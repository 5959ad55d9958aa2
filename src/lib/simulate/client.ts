// The two calls a simulated user makes (GET a feed, POST its interactions), with every failure as one RecError line.
import {RecError} from '../errors.js'

/** What the simulator reads of a /v1/recommendations response. */
export interface FeedResponse {
  request_id: string
  experiment?: string
  arm?: string
  items: {item_id: string}[]
}

export interface InteractionBody {
  user_id: string
  item_id: string
  event: string
  position: number
  request_id: string
  dwell_ms?: number
}

async function call(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch (error) {
    const cause = (error as {cause?: {code?: string; message?: string}}).cause
    throw new RecError('UNAVAILABLE', `cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, {hint: 'is rec serve running there? check --base-url'})
  }
}

async function failure(url: string, response: Response): Promise<RecError> {
  const text = await response.text().catch(() => '')
  let message = text.slice(0, 200)
  try {
    message = (JSON.parse(text) as {message?: string}).message ?? message
  } catch {
    // not JSON: the text as it came
  }
  return new RecError('BAD_DATA', `${url.split('?')[0]} answered ${response.status}: ${message}`)
}

export class ServerClient {
  constructor(readonly baseUrl: string) {}

  /** GET /readyz: UNAVAILABLE when nothing listens or it is not ready. */
  async ready(): Promise<void> {
    const url = `${this.baseUrl}/readyz`
    const response = await call(url)
    await response.arrayBuffer()
    if (!response.ok) throw new RecError('UNAVAILABLE', `${this.baseUrl} is not ready (GET /readyz answered ${response.status})`)
  }

  async feed(userId: bigint, k: number): Promise<FeedResponse> {
    const url = `${this.baseUrl}/v1/recommendations?user_id=${userId}&k=${k}`
    const response = await call(url)
    if (!response.ok) throw await failure(url, response)
    return (await response.json()) as FeedResponse
  }

  async interact(batch: InteractionBody[]): Promise<void> {
    if (batch.length === 0) return
    const url = `${this.baseUrl}/v1/interactions`
    const response = await call(url, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(batch)})
    if (!response.ok) throw await failure(url, response)
    await response.arrayBuffer()
  }
}
