// The part of better-sqlite3's API the SQLite store uses (the package ships no types, and @types is not installed).
declare module 'better-sqlite3' {
  namespace Database {
    interface RunResult {
      changes: number
      lastInsertRowid: number | bigint
    }
    interface Statement {
      run(...params: unknown[]): RunResult
      get(...params: unknown[]): unknown
      all(...params: unknown[]): unknown[]
      /** Rows as their first column's value. */
      pluck(on?: boolean): this
      iterate(...params: unknown[]): IterableIterator<unknown>
    }
    interface Database {
      readonly open: boolean
      pragma(source: string, options?: {simple?: boolean}): unknown
      exec(source: string): this
      prepare(source: string): Statement
      transaction<F extends (...args: never[]) => unknown>(fn: F): F
      close(): this
    }
  }
  const Database: new (filename: string, options?: {readonly?: boolean}) => Database.Database
  export default Database
}
