import { RationalTime } from './rational-time.js';

/**
 * A half-open interval of time, `[start, start + duration)`, as OpenTimelineIO defines it.
 * The duration is never negative.
 */
export class TimeRange {
  readonly start: RationalTime;
  readonly duration: RationalTime;

  private constructor(start: RationalTime, duration: RationalTime) {
    this.start = start;
    this.duration = duration;
  }

  /** `[start, start + duration)`. @throws RangeError for a negative duration. */
  static of(start: RationalTime, duration: RationalTime): TimeRange {
    if (duration.isNegative()) throw new RangeError(`TimeRange: negative duration ${duration}`);
    return new TimeRange(start, duration);
  }

  /** `[start, endExclusive)`. @throws RangeError when end is before start. */
  static fromStartEnd(start: RationalTime, endExclusive: RationalTime): TimeRange {
    return TimeRange.of(start, endExclusive.minus(start));
  }

  /** The first instant after the range. */
  get endExclusive(): RationalTime {
    return this.start.plus(this.duration);
  }

  isEmpty(): boolean {
    return this.duration.isZero();
  }

  /** True when `t` lies in `[start, end)`. */
  contains(t: RationalTime): boolean {
    return t.compare(this.start) >= 0 && t.compare(this.endExclusive) < 0;
  }

  /** True when `other` lies entirely within this range. */
  containsRange(other: TimeRange): boolean {
    return other.start.compare(this.start) >= 0 && other.endExclusive.compare(this.endExclusive) <= 0;
  }

  /** True when the two ranges share some time (touching ends do not overlap). */
  overlaps(other: TimeRange): boolean {
    return this.start.compare(other.endExclusive) < 0 && other.start.compare(this.endExclusive) < 0;
  }

  /** The shared part, or undefined when the ranges do not overlap. */
  intersection(other: TimeRange): TimeRange | undefined {
    if (!this.overlaps(other)) return undefined;
    return TimeRange.fromStartEnd(
      RationalTime.max(this.start, other.start),
      RationalTime.min(this.endExclusive, other.endExclusive),
    );
  }

  /** The smallest range holding both. */
  union(other: TimeRange): TimeRange {
    return TimeRange.fromStartEnd(
      RationalTime.min(this.start, other.start),
      RationalTime.max(this.endExclusive, other.endExclusive),
    );
  }

  /** The same length, moved by `delta`. */
  shiftedBy(delta: RationalTime): TimeRange {
    return new TimeRange(this.start.plus(delta), this.duration);
  }

  withStart(start: RationalTime): TimeRange {
    return new TimeRange(start, this.duration);
  }

  withDuration(duration: RationalTime): TimeRange {
    return TimeRange.of(this.start, duration);
  }

  equals(o: TimeRange): boolean {
    return this.start.equals(o.start) && this.duration.equals(o.duration);
  }

  /** Orders by start, then by duration. */
  static compare(a: TimeRange, b: TimeRange): -1 | 0 | 1 {
    return a.start.compare(b.start) || a.duration.compare(b.duration);
  }

  toString(): string {
    return `[${this.start}, ${this.endExclusive})`;
  }

  toJSON(): { start: string; duration: string } {
    return { start: this.start.toString(), duration: this.duration.toString() };
  }

  /** @throws TypeError */
  valueOf(): never {
    throw new TypeError('TimeRange: not a number');
  }
}
