/**
 * Penalised logistic regression on a sparse scorecard design: the design, the fit, the linear
 * predictor and the choice of the penalty by cross-validation.
 */

export { chooseL2 } from "./logistic-cv.ts";
export type { Design } from "./logistic-design.ts";
export { fitLogistic } from "./logistic-fit.ts";
export type { FitResult } from "./logistic-newton.ts";
export type { FitOptions } from "./logistic-options.ts";
export { predictLogit } from "./logistic-predict.ts";
