/**
 * One-off timing of fitLogistic and chooseL2 at scorecard scale: 1,000,000 rows x 15 blocks (100 level
 * columns) + 10 numeric columns, labels drawn from a known logistic model. Prints the figures on stdout.
 *
 *   npx tsx scripts/reference/logistic-bench.ts [rows]
 */
import { chooseL2, type Design, fitLogistic } from "../../src/stats/logistic.ts";
import { seededRandom } from "../../src/stats/random.ts";

const rows = Number(process.argv[2] ?? 1_000_000);
const random = seededRandom(7);
const levels = [3, 4, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 10, 10]; // 100 columns
const categorical: Int32Array[] = [];
const truth: number[] = [];
let column = 0;
for (const k of levels) {
  const block = new Int32Array(rows);
  // uneven level shares (like real criteria): level j drawn with weight 1 / (j + 1)
  const cum = Array.from({ length: k }, (_, j) => 1 / (j + 1));
  const total = cum.reduce((a, b) => a + b, 0);
  for (let j = 1; j < k; j++) cum[j] = (cum[j] as number) + (cum[j - 1] as number);
  for (let i = 0; i < rows; i++) {
    const u = random() * total;
    let j = 0;
    while (j < k - 1 && u > (cum[j] as number)) j++;
    block[i] = column + j;
  }
  for (let j = 0; j < k; j++) truth.push((random() - 0.5) * 1.2);
  categorical.push(block);
  column += k;
}
const numeric: Design["numeric"] = [];
for (let j = 0; j < 10; j++) {
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) values[i] = -Math.log(1 - random()) * (j + 1); // decayed counts: exponential
  numeric.push({ column: column++, values });
  truth.push((random() - 0.5) * 0.2);
}
const design: Design = { rows, columns: column, categorical, numeric };
const labels = new Uint8Array(rows);
for (let i = 0; i < rows; i++) {
  let eta = -3;
  for (const block of categorical) eta += truth[block[i] as number] as number;
  for (const { column: c, values } of numeric) eta += (truth[c] as number) * (values[i] as number);
  labels[i] = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
}
const events = labels.reduce((s, y) => s + y, 0);
console.log(`design: ${rows} rows, ${categorical.length} blocks, ${column} columns, ${events} events`);

let t = performance.now();
let cpu = process.cpuUsage();
const fit = fitLogistic(design, labels, { l2: 10 });
const fitSeconds = (performance.now() - t) / 1000;
const fitCpu = process.cpuUsage(cpu).user / 1e6;
console.log(
  `fitLogistic l2=10: ${fitSeconds.toFixed(2)} s wall, ${fitCpu.toFixed(2)} s CPU, ${fit.iterations} Newton steps, converged ${fit.converged}`,
);

t = performance.now();
cpu = process.cpuUsage();
const cv = chooseL2(design, labels, { seed: 1, maxRows: 200_000 });
const cvSeconds = (performance.now() - t) / 1000;
const cvCpu = process.cpuUsage(cpu).user / 1e6;
console.log(
  `chooseL2 maxRows=200000: ${cvSeconds.toFixed(2)} s wall, ${cvCpu.toFixed(2)} s CPU, on ${cv.rows} rows (sampled ${cv.sampled}), ${cv.folds} folds x ${cv.grid.length} penalties, best ${cv.best.toPrecision(4)}`,
);
for (const g of cv.grid)
  console.log(`  l2 ${g.l2.toPrecision(4).padStart(10)}  cv log loss ${g.cvLogLoss.toFixed(6)}`);
