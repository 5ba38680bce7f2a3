// Types of cube.js, for the tests that import it (the pages themselves are plain JavaScript).

export interface Period {
  key: string;
  label: string;
  from: string;
  to: string;
}

export function periodOf<P extends { key: string }>(periods: readonly P[], key: string): P | undefined;
export function filterRows<R>(
  rows: readonly R[],
  o: {
    period: { from: string; to: string } | undefined | null;
    channel?: string | null;
    quarterKey?: string;
  },
): R[];
export function sum(rows: readonly object[], fields: readonly string[]): Record<string, number>;
export function groupSum<R extends object>(
  rows: readonly R[],
  key: string | ((r: R) => unknown),
  fields: readonly string[],
): ({ key: unknown } & Record<string, number>)[];
export function medianOf<M extends { period: string; channel: string | null; key: string }>(
  medians: readonly M[],
  o: { period: string; channel?: string | null; key: string },
): M | null;
