/** A probe's outcome. `passed: null`: a measurement without a condition (recorded, judges nothing). */
export interface ProbeResult {
  readonly name: string;
  readonly type: 'health' | 'http' | 'sli' | 'sql';
  readonly passed: boolean | null;
  readonly observed: unknown;
  readonly expected: string;
  /** Why it failed, or what could not be measured. */
  readonly detail?: string;
  /** When it was taken, ms since run start. */
  readonly at: number;
}
