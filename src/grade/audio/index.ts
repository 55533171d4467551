/**
 * Audio measurements for grading deliverables: BS.1770-4 / EBU R 128 loudness, true peak, sync
 * pops and stem null tests. Browser-safe; everything streams from a `SampleReader`
 * (`openSamples` in `formats/bwf`).
 * @packageDocumentation
 */
export { kWeighting, type Biquad } from './k-weighting.js';
export { TruePeakMeter, TRUE_PEAK_PHASES, GAIN_BOUND, toDb } from './true-peak.js';
export { LoudnessMeter, measureLoudness, measureLoudnessOf, energyToLufs, type LoudnessResult, type LoudnessOptions, type MeasureLoudnessOptions } from './loudness.js';
export { channelLayout, channelWeight, rolesByCount, roleOfName, type ChannelRole, type ChannelRoleSource, type ChannelLayout } from './channels.js';
export { detectPop, detectPopIn, type PopOptions, type PopResult, type PopProblem, type PopProblemCode } from './pops.js';
export { nullTest, type NullTestOptions, type NullTestResult, type NullChannel } from './null-test.js';
