// How long-running library work reports progress without printing: the caller supplies a Reporter.

/** A bar for one unit of work with a known total. */
export interface ProgressHandle {
  /** Advance by `n` units; `payload` carries extra fields such as loss or examples/s. */
  tick(n?: number, payload?: Record<string, string | number>): void
  stop(): void
}

/** The library's only channel to a human. The CLI draws bars on a TTY and plain lines otherwise. */
export interface Reporter {
  info(message: string): void
  warn(message: string): void
  progress(label: string, total: number): ProgressHandle
}

const noopHandle: ProgressHandle = {tick() {}, stop() {}}

/** Discards everything: the default for library calls and tests. */
export const silentReporter: Reporter = {
  info() {},
  warn() {},
  progress: () => noopHandle,
}
