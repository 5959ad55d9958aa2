// What a person sees of an item on the feed page: title, author handle, topic and age, built once per model load
// from the items (and users) tables and served only when a feed asks for it (display=true).
import type {ColumnTable} from '../dataset/columns.js'
import {getColumn} from '../dataset/columns.js'
import {itemColumnInt64} from '../mixer/world-columns.js'
import type {ServingWorld} from '../mixer/world.js'

export interface ItemDisplayFields {
  /** The title column, else the start of a text column; null when the items have neither. */
  title: string | null
  /** "@handle": a users handle/username column, else "@user<id>"; null without author_id. */
  author: string | null
  author_id: string | null
  topic: string | null
  /** ISO time the item was created; null without created_at. */
  created_at: string | null
  /** created_at's age against the world clock (the dataset's "now"), ms; null without created_at. */
  age_ms: number | null
  /** The reason in a person's words: "item <id>" becomes the item's title (or its topic and author), "@<id>" the handle. */
  reason: string
}

const TEXT_CHARS = 90

export class ItemDisplay {
  private constructor(
    private readonly world: ServingWorld,
    private readonly author: BigInt64Array | undefined,
    private readonly handles: Map<bigint, string>,
    private readonly text: string[] | undefined,
  ) {}

  static build(world: ServingWorld, items: ColumnTable, users: ColumnTable): ItemDisplay {
    const size = world.items.size
    const rows = world.items.rows(getColumn(items, 'item_id', 'int64').values)
    const author = itemColumnInt64(items, 'author_id', rows, size)
    const handles = new Map<bigint, string>()
    const handleColumn = users.handle ?? users.username ?? users.screen_name
    if (author && handleColumn?.type === 'utf8' && users.user_id?.type === 'int64') {
      const ids = users.user_id.values
      for (let i = 0; i < ids.length; i++) if (handleColumn.values[i]) handles.set(ids[i], handleColumn.values[i].replace(/^@/, ''))
    }
    let text: string[] | undefined
    const textColumn = items.text ?? items.body
    if (!world.title && textColumn?.type === 'utf8') {
      text = new Array<string>(size).fill('')
      for (let i = 0; i < rows.length; i++) text[rows[i]] = shorten(textColumn.values[i] ?? '')
    }
    return new ItemDisplay(world, author, handles, text)
  }

  private handle(userId: bigint): string {
    return `@${this.handles.get(userId) ?? `user${userId}`}`
  }

  /** How a reason names another item: its title in quotes, else "a #topic post by @author". */
  private label(itemId: bigint): string | undefined {
    const row = this.world.items.row(itemId)
    if (row === 0) return undefined
    const title = this.world.title?.[row] || this.text?.[row]
    if (title) return `“${title}”`
    const code = this.world.topic?.[row] ?? -1
    const author = this.author && this.author[row] >= 0n ? this.author[row] : undefined
    const topic = code >= 0 ? this.world.topicNames[code] : undefined
    if (topic === undefined && author === undefined) return undefined
    return `a ${topic === undefined ? '' : `#${topic} `}post${author === undefined ? '' : ` by ${this.handle(author)}`}`
  }

  reason(text: string): string {
    return text.replace(/\bitem (\d{1,20})\b/g, (whole, id: string) => this.label(BigInt(id)) ?? whole).replace(/@(\d{1,20})\b/g, (_, id: string) => this.handle(BigInt(id)))
  }

  fields(itemId: bigint, reason = ''): ItemDisplayFields {
    const world = this.world
    const row = world.items.row(itemId)
    const authorId = row > 0 && this.author && this.author[row] >= 0n ? this.author[row] : undefined
    const topicCode = row > 0 ? (world.topic?.[row] ?? -1) : -1
    const created = row > 0 && world.createdAt ? world.createdAt[row] : undefined
    const title = (row > 0 && (world.title?.[row] || this.text?.[row])) || null
    return {
      title,
      author: authorId === undefined ? null : this.handle(authorId),
      author_id: authorId === undefined ? null : String(authorId),
      topic: topicCode >= 0 ? (world.topicNames[topicCode] ?? null) : null,
      created_at: created === undefined || !Number.isFinite(created) ? null : new Date(created).toISOString(),
      age_ms: created === undefined || !Number.isFinite(created) ? null : Math.max(0, world.clock - created),
      reason: this.reason(reason),
    }
  }
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= TEXT_CHARS ? flat : `${flat.slice(0, TEXT_CHARS - 1).trimEnd()}…`
}
