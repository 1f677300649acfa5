// When the server process dies, restart it — but not forever: a server that keeps crashing (a broken jar,
// a JVM that cannot start, a bug hit on every start) would otherwise flash errors in a loop. No VS Code API.

export interface RestartDecision {
  restart: boolean;
  /** Why the server is not restarted again; present when `restart` is false. */
  reason?: string;
}

export class RestartPolicy {
  private crashes: number[] = [];

  /**
   * @param maxRestarts how many restarts are allowed within `windowMs`
   * @param windowMs crashes older than this are forgotten (a server that ran fine for a while gets new chances)
   * @param now the clock, replaceable in tests
   */
  constructor(
    readonly maxRestarts = 4,
    readonly windowMs = 3 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash and decides whether to start the server again. */
  onCrash(): RestartDecision {
    const time = this.now();
    this.crashes = this.crashes.filter((t) => time - t < this.windowMs);
    this.crashes.push(time);
    if (this.crashes.length <= this.maxRestarts) {
      return { restart: true };
    }
    const minutes = Math.round(this.windowMs / 60000);
    return {
      restart: false,
      reason:
        `The ColdSpy server stopped ${this.crashes.length} times in the last ${minutes} minute${minutes === 1 ? '' : 's'}, ` +
        'so it is not restarted again. The "ColdSpy" output channel shows why it stopped; ' +
        'after fixing the cause, run "ColdSpy: Restart Server".',
    };
  }

  /** A restart asked for by the user starts with a clean slate. */
  reset(): void {
    this.crashes = [];
  }

  /** Crashes counted in the current window (for the log). */
  get recentCrashes(): number {
    const time = this.now();
    return this.crashes.filter((t) => time - t < this.windowMs).length;
  }
}
