/**
 * **Weight of evidence** of a group (a bin or a level) against the whole population, with
 * optbinning's sign: WoE = ln(%non-events / %events) = ln((nonEvents / totalNonEvents) / (events /
 * totalEvents)). A group richer in events than the population has a negative WoE. Siddiqi, Credit Risk
 * Scorecards (Wiley, 2006), chapter 6; optbinning's BinningTable computes
 * log(1 / event_rate - 1) + log(totalEvents / totalNonEvents), the same quantity.
 *
 * Smoothing: the group gets `2 x smoothing` pseudo-leads split at the overall event rate (a Beta prior
 * centred on the base rate), i.e. nonEvents + 2s·NE/(E+NE) and events + 2s·E/(E+NE). A group with no
 * events (or no non-events) then has a finite WoE, shrunk towards 0, and a group at the overall rate,
 * like the only group of a constant column, has WoE 0 exactly. At balanced classes this is the usual
 * 0.5 added to each count (Haldane's correction). With smoothing 0 a group with an empty cell gets WoE
 * 0, as in optbinning.
 *
 * Cost O(1). Returns 0 when the population has no events or no non-events (there is no evidence
 * either way). Throws a RangeError on a negative or non-finite count, or events above totalEvents.
 *
 * @example woe(20, 80, 100, 900, 0) // -0.8109302162163288 = ln((80/900) / (20/100))
 */
export function woe(
  events: number,
  nonEvents: number,
  totalEvents: number,
  totalNonEvents: number,
  smoothing = 0.5,
): number {
  for (const [name, v] of [
    ["events", events],
    ["nonEvents", nonEvents],
    ["totalEvents", totalEvents],
    ["totalNonEvents", totalNonEvents],
    ["smoothing", smoothing],
  ] as const)
    if (!(Number.isFinite(v) && v >= 0))
      throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
  if (events > totalEvents || nonEvents > totalNonEvents)
    throw new RangeError(
      `a group cannot hold more than the total (${events} of ${totalEvents} events, ${nonEvents} of ${totalNonEvents} non-events)`,
    );
  if (totalEvents === 0 || totalNonEvents === 0) return 0;
  const total = totalEvents + totalNonEvents;
  const ne = nonEvents + (2 * smoothing * totalNonEvents) / total;
  const e = events + (2 * smoothing * totalEvents) / total;
  if (ne === 0 || e === 0) return 0;
  return Math.log(ne / e) - Math.log(totalNonEvents / totalEvents);
}

/**
 * One group's term of the **information value**: (%non-events - %events) x WoE (Siddiqi 2006,
 * chapter 6; in optbinning the Jeffrey divergence term). The shares are the raw counts' shares; the WoE
 * is smoothed as in `woe`, which never flips its sign, so every term is >= 0. Cost O(1); throws as
 * `woe` does.
 *
 * @example ivTerm(20, 80, 100, 900, 0) // 0.09309... = (80/900 - 20/100) x ln((80/900) / (20/100))
 */
export function ivTerm(
  events: number,
  nonEvents: number,
  totalEvents: number,
  totalNonEvents: number,
  smoothing = 0.5,
): number {
  const w = woe(events, nonEvents, totalEvents, totalNonEvents, smoothing);
  if (w === 0) return 0;
  return (nonEvents / totalNonEvents - events / totalEvents) * w;
}

/**
 * **Information value** of a grouping: the sum of ivTerm over its groups (bins, levels and the missing
 * group alike), the totals being the sums over the groups. Rules of thumb (Siddiqi 2006): under 0.02
 * not predictive, 0.02-0.1 weak, 0.1-0.3 medium, above 0.3 strong.
 *
 * Cost O(groups). Throws a RangeError when a group has events > leads or a count that is negative or
 * not finite.
 *
 * @example informationValue([{ leads: 100, events: 20 }, { leads: 900, events: 80 }], 0) // 0.10690...
 */
export function informationValue(groups: { leads: number; events: number }[], smoothing = 0.5): number {
  let totalEvents = 0;
  let totalNonEvents = 0;
  groups.forEach((g, j) => {
    checkCounts(g, `groups[${j}]`);
    totalEvents += g.events;
    totalNonEvents += g.leads - g.events;
  });
  let iv = 0;
  for (const g of groups) iv += ivTerm(g.events, g.leads - g.events, totalEvents, totalNonEvents, smoothing);
  return iv;
}

/** Throws a RangeError naming `where` unless 0 <= events <= leads, both finite. */
export function checkCounts(g: { leads: number; events: number }, where: string): void {
  if (!(Number.isFinite(g.leads) && g.leads >= 0))
    throw new RangeError(`${where}: leads ${g.leads} is not a finite number >= 0`);
  if (!(Number.isFinite(g.events) && g.events >= 0 && g.events <= g.leads))
    throw new RangeError(`${where}: events ${g.events} is not between 0 and leads (${g.leads})`);
}

/** A group's row of a binning table: its counts, event rate, WoE and IV term against the totals. */
export function describeGroup(
  g: { leads: number; events: number },
  totalEvents: number,
  totalNonEvents: number,
): { leads: number; events: number; rate: number; woe: number; iv: number } {
  const nonEvents = g.leads - g.events;
  return {
    leads: g.leads,
    events: g.events,
    rate: g.leads > 0 ? g.events / g.leads : 0,
    woe: woe(g.events, nonEvents, totalEvents, totalNonEvents),
    iv: ivTerm(g.events, nonEvents, totalEvents, totalNonEvents),
  };
}
