// Entries kept from one run to the next, as validation keeps its article and picture checks: a run starts from what
// the last one kept, and when it ends keeps exactly the entries it used or added, so a memo stays the archive's size.

/** The entries of one run, and of the run before it. */
export class RunEntries<V> {
  #kept: Map<string, V>;
  #used = new Map<string, V>();
  /** Whether this run has entries the last one did not keep. */
  #added = false;

  /** Starts from `kept`, the entries the last run kept (as read from a memo file). */
  constructor(kept: Map<string, V> = new Map()) {
    this.#kept = kept;
  }

  /** How many entries the last run kept. */
  get keptCount(): number {
    return this.#kept.size;
  }

  /**
   * The entry of `key` the last run kept (or {@link offer} gave), if there is one and `current` says it still holds;
   * this run keeps it too.
   */
  use(key: string, current: (value: V) => boolean = () => true): V | undefined {
    const value = this.#kept.get(key);
    if (value === undefined || !current(value)) return undefined;
    this.#used.set(key, value);
    return value;
  }

  /** Keeps `value` under `key`: a new entry of this run. */
  add(key: string, value: V): void {
    this.#used.set(key, value);
    this.#added = true;
  }

  /** Gives {@link use} an entry made elsewhere (another thread's check), as if the last run had kept it. */
  offer(key: string, value: V): void {
    this.#kept.set(key, value);
    this.#added = true;
  }

  /**
   * Ends the run: the next one starts from the entries this one used or added. Returns them when they differ from the
   * entries the run started from (to be written), or undefined when the memo file is right as it is.
   */
  endRun(): Map<string, V> | undefined {
    const unchanged = !this.#added && this.#used.size === this.#kept.size;
    this.#kept = this.#used;
    this.#used = new Map();
    this.#added = false;
    return unchanged ? undefined : this.#kept;
  }
}
