/**
 * Calibration: the point-in-time training set, the fit, integer points, validation against the
 * definition in use on the same holdout, the draft definition and the model registry.
 */
export { type CalibrateOptions, type CalibrateResult, calibrate } from "./calibrate.ts";
export { formatCalibration, formatModels } from "./format.ts";
export { approveVersion, listModels, type ModelRow, parseApprover } from "./registry.ts";
export type { CalibrationReport } from "./report.ts";
