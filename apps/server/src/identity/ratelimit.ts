import { TooManyRequestsError } from '@sreworks/kernel';

/**
 * Login throttle: at most `max` failed attempts per key (ip and ip+username) in `windowMs`.
 * In memory: one process is the default deployment; replicas behind a proxy each throttle.
 */
export class LoginThrottle {
  private fails = new Map<string, number[]>();
  constructor(private readonly max = 10, private readonly windowMs = 5 * 60_000) {}

  check(keys: string[]): void {
    const now = Date.now();
    for (const k of keys) {
      const list = (this.fails.get(k) ?? []).filter((t) => now - t < this.windowMs);
      this.fails.set(k, list);
      if (list.length >= this.max) {
        const retry = Math.ceil((list[0]! + this.windowMs - now) / 1000);
        throw new TooManyRequestsError(`too many failed logins; try again in ${retry} s`, retry, 'AUTH_THROTTLED');
      }
    }
  }
  fail(keys: string[]): void {
    const now = Date.now();
    for (const k of keys) this.fails.set(k, [...(this.fails.get(k) ?? []), now]);
    if (this.fails.size > 50_000) this.fails.clear();
  }
  succeed(keys: string[]): void {
    for (const k of keys) this.fails.delete(k);
  }
}
