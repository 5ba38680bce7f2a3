import { seededRandom } from "../../src/stats/random.ts";

/**
 * The random test case shared with Python: scripts/reference/mulberry32.py random_case(seed, n)
 * builds the same rows from the same mulberry32 stream, and scripts/reference/stats_reference.py
 * prints the scikit-learn/scipy values the tests expect for it.
 */
export function randomCase(seed: number, n: number) {
  const random = seededRandom(seed);
  const points = new Float64Array(n);
  const pointsB = new Float64Array(n);
  const probabilities = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.floor(random() * 200);
    labels[i] = random() < 0.05 + p / 400 ? 1 : 0;
    probabilities[i] = 0.02 + p / 400 + random() * 0.05;
    pointsB[i] = p + Math.floor(random() * 40);
    points[i] = p;
  }
  return { points, pointsB, probabilities, labels };
}
