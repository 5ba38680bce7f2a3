/**
 * **Equal-count groups that never split a tie**: given the lead count of each distinct value in
 * ascending order, the group (0-based, consecutive) of each distinct value, aiming at `groups`
 * groups of n / groups leads each. A distinct value goes to the group in which the middle of its
 * run of ranks falls, floor(groups * (leads before + count / 2) / n), and empty groups are closed
 * up. Without ties and with n a multiple of groups this is exactly the decile (quantile) split;
 * with heavy ties, or fewer distinct values than groups, there are fewer groups (the return says
 * how many). Used by reliability, hosmerLemeshow and scorePsi, so their bins agree.
 *
 * Cost O(cells). Throws a RangeError unless groups is an integer >= 1.
 *
 * @example equalCountGroups([1, 1, 1, 1], 2) // { group: Int32Array [0, 0, 1, 1], count: 2 }
 */
export function equalCountGroups(
  counts: ArrayLike<number>,
  groups: number,
): { group: Int32Array; count: number } {
  if (!(Number.isInteger(groups) && groups >= 1))
    throw new RangeError(`the number of bins/groups must be an integer >= 1, got ${groups}`);
  let n = 0;
  for (let c = 0; c < counts.length; c++) n += counts[c] as number;
  const group = new Int32Array(counts.length);
  let before = 0;
  let last = -1;
  let next = -1;
  for (let c = 0; c < counts.length; c++) {
    const k = counts[c] as number;
    const target = Math.min(groups - 1, Math.floor((groups * (before + k / 2)) / n));
    if (target !== last) {
      next++;
      last = target;
    }
    group[c] = next;
    before += k;
  }
  return { group, count: next + 1 };
}
