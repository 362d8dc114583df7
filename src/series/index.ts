// Time series: reading, scaling, sliding windows, window errors back to steps, thresholds,
// intervals, baselines (rolling z-score, Sub-PCA) and evaluation against labelled windows (NAB).

export {
  readSeries,
  loadSeries,
  type ReadSeriesOptions,
  type MissingRule,
  type GapRule,
  type DuplicateRule,
} from './read_series.js';
export { stepTime, type Series, type SeriesRepairs } from './series.js';
export { parseDateTime, formatTime, formatDuration, type TimeKind } from './timestamps.js';
export { usualStep } from './sampling.js';
export {
  fitSeriesScaling,
  scaleSeries,
  unscaleValues,
  checkSeriesScaling,
  type SeriesScaling,
  type SeriesScalingMethod,
} from './scaling.js';
export { slidingWindows, windowSteps, type SeriesWindows, type WindowOptions } from './windows.js';
export { windowErrors, type WindowErrorOptions } from './window_errors.js';
export { stepScores, stepFlags, type StepFlagRule } from './step_scores.js';
export { seriesThreshold, type SeriesThresholdRule } from './threshold.js';
export { seriesIntervals, type SeriesInterval, type IntervalOptions } from './intervals.js';
export { detectSeriesAnomalies, type SeriesDetection, type SeriesDetectionOptions } from './detect.js';
export { rollingZScores, type RollingZScoreOptions } from './rolling_zscore.js';
export { subPcaScores, type SubPcaOptions, type SubPcaResult } from './sub_pca.js';
export { labelsFromWindows, evaluateStepScores, type TimeWindow, type PointMetrics } from './labels.js';
export {
  loadNabSeries,
  nabSeriesFromText,
  nabSeriesNames,
  readNabWindows,
  NAB_READ_OPTIONS,
  type NabSeries,
  type NabWindows,
} from './nab.js';
