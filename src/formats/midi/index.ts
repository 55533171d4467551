/**
 * Standard MIDI Files with markers: {@link writeMarkerMidi} turns a timeline's markers into the
 * file Pro Tools imports as memory locations; {@link readMarkerMidi} reads markers back.
 */
export * from './markers.js';
