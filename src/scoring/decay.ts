import type { Decay } from "./schema.ts";

/**
 * Share of an event's points left after `ageDays` days: the JavaScript twin of decayExpr in
 * ./sql-fragments.ts, used to explain decay in words and as the reference the SQL is tested against.
 *
 * - Half-life h (exponential decay): 0.5^(age / h). After one half-life half is left, after two a
 *   quarter; the points never quite reach zero, which is why engagement also has a window.
 * - Linear fade over L days: max(0, 1 - age / L). Straight down to nothing at L days.
 * - none: 1 at every age.
 *
 * Cost O(1). Throws on a negative or non-finite age (an event after the as-of moment is a bug
 * upstream: it must never reach scoring).
 *
 * @example decayFactor({ half_life_days: 30 }, 45) // 0.3535533905932738 = 2^-1.5
 */
export function decayFactor(decay: Decay, ageDays: number): number {
  if (!Number.isFinite(ageDays) || ageDays < 0)
    throw new RangeError(`age must be a finite number >= 0, got ${ageDays}`);
  if (decay === "none") return 1;
  if ("half_life_days" in decay) return 0.5 ** (ageDays / decay.half_life_days);
  return Math.max(0, 1 - ageDays / decay.fade_out_days);
}
