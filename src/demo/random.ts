/**
 * Seeded pseudo-random numbers inside DuckDB: a draw is a hash of (seed, key, stream), so any row can be
 * generated on its own, in parallel, in any order, and always the same. Keys are row numbers (a lead, a
 * company, a month); streams are small integer constants, one per draw, so draws never share a hash.
 * The values depend on DuckDB's hash function: same DuckDB version, same bytes.
 */
export const RANDOM_MACROS = `
-- uniform in [0, 1): the top 53 bits of a chained hash. DuckDB's hash(a, b, c) combines its arguments
-- too weakly for this (draws from neighbouring streams correlate), so each key is mixed in by its own
-- round of hash(), which is a full 64-bit avalanche.
create or replace temp macro mix(h, x) as hash(xor(h, x::ubigint));
create or replace temp macro rnd(i, k) as
  (mix(mix(getvariable('seed_hash'), i), k) >> 11)::double / 9007199254740992.0;
create or replace temp macro rnd3(i, j, k) as
  (mix(mix(mix(getvariable('seed_hash'), i), j), k) >> 11)::double / 9007199254740992.0;
-- exponential with mean 1 (inverse transform; 1 - u is in (0, 1])
create or replace temp macro rexp(i, k) as -ln(1.0 - rnd(i, k));
create or replace temp macro rexp3(i, j, k) as -ln(1.0 - rnd3(i, j, k));
-- standard normal (Box-Muller; the second uniform comes from a far-away stream)
create or replace temp macro rnorm(i, k) as
  sqrt(-2.0 * ln(1.0 - rnd(i, k))) * cos(2.0 * pi() * rnd(i, k + 100000));
-- an element of a list chosen by a uniform u
create or replace temp macro choose(u, xs) as xs[1 + least(floor(u * len(xs))::integer, len(xs) - 1)];
create or replace temp macro sigmoid(x) as 1.0 / (1.0 + exp(-(x)));
-- whole seconds as an interval, so every timestamp stays on a whole second
create or replace temp macro secs(x) as to_seconds(floor(x)::bigint);
`;

/** Cumulative upper bounds of normalised weights, the last exactly 1 (for the pick macro). */
export function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let run = 0;
  const out = weights.map((w) => {
    run += w;
    return run / total;
  });
  if (out.length) out[out.length - 1] = 1;
  return out;
}

/**
 * SQL picking a 1-based index with the given weights for a uniform `u`: a CASE over the cumulative
 * bounds, which DuckDB evaluates about twenty times faster than a lambda over a list.
 */
export function pickCase(u: string, weights: readonly number[]): string {
  const cum = cumulative(weights);
  const whens = cum.slice(0, -1).map((c, j) => `when ${u} < ${c} then ${j + 1}`);
  return `(case ${whens.join(" ")} else ${cum.length} end)::integer`;
}
