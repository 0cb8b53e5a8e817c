/** Business time. Everything that decides by time reads it from here, never from SQL now(). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests can set or move forward; it keeps ticking from where it was set. */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
  advanceMinutes(minutes: number): void {
    this.offsetMs += minutes * 60_000;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}
