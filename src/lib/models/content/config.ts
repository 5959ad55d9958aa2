// The content (TF-IDF) model's config: one flat map whose keys are also the flag names of `rec train content`.
// A key with a .describe() is a flag too; a key with only a comment is YAML-only (see config/content.yaml for the reasons behind the defaults).
import {z} from 'zod'

export const ContentConfigSchema = z
  .object({
    // columns the dataset lacks are skipped (with a note); at least one listed column must exist
    'text-columns': z.array(z.string()).default(['title', 'description']).describe('Comma-separated item columns read as text (words).'),
    // each value is one token "column=value" (lists: one per element), so a genre or a topic is a term like a word
    'token-columns': z.array(z.string()).default(['topic', 'genres', 'categories', 'domain', 'author']).describe('Comma-separated categorical item columns whose values are tokens.'),
    /** Count multiplier of a column's tokens (default 1), e.g. {genres: 2}; below a count of 1 tf stays linear. */
    'column-weights': z.record(z.string(), z.number().positive()).default({}),
    'min-df': z.number().int().min(1).default(2).describe('Keep terms found in at least this many items.'),
    'max-df': z.number().gt(0).max(1).default(0.8).describe('Drop terms found in more than this share of items.'),
    'max-features': z.number().int().min(1).max(10_000_000).default(200_000).describe('Keep at most this many terms, the most frequent first.'),
    'sublinear-tf': z.boolean().default(true).describe('Use 1 + ln(count) instead of the count.'),
    'stop-words': z.enum(['english', 'none']).default('english').describe('Drop common English words from text columns.'),
    'half-life-days': z.number().min(0).default(30).describe("A positive's weight in the user profile halves per this many days before the user's newest one (0: no decay)."),
    /** Events that build profiles, and their weights; default: the dataset's positives. */
    positives: z.record(z.string(), z.number().positive()).optional(),
    'positive-min-weight': z.number().optional().describe('Interactions with a lower weight (rating) are not positives.'),
    /** K of the val metrics written into the manifest (those within the catalogue). */
    ks: z.array(z.number().int().positive()).default([10, 50]),
  })
  .strict()

export type ContentConfig = z.infer<typeof ContentConfigSchema>
