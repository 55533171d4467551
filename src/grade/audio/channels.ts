/**
 * Which loudspeaker each channel of a file feeds, and the BS.1770-4 weight that follows from it.
 *
 * Sources, most specific first: the `fmt ` channel mask (WAVE_FORMAT_EXTENSIBLE), the ADM `chna`
 * track formats of the common definitions (ITU-R BS.2094), iXML TRACK_LIST names, and last the
 * channel count read as the ITU-R BS.775 / SMPTE order (L R C LFE Ls Rs).
 */
import { speakersOfMask } from '../../formats/bwf/fmt.js';
import type { BwfFile } from '../../formats/bwf/read.js';

/** A loudspeaker position, by the names mixers use. `M` is mono; `?` is unknown (weight 1). */
export type ChannelRole = 'M' | 'L' | 'R' | 'C' | 'LFE' | 'Ls' | 'Rs' | 'Lrs' | 'Rrs' | 'Lss' | 'Rss' | 'Lc' | 'Rc' | 'Cs' | 'Ltf' | 'Rtf' | 'Ctf' | 'Ltr' | 'Rtr' | 'Ctr' | 'Tc' | '?';

/** Where the roles came from. */
export type ChannelRoleSource = 'mask' | 'chna' | 'ixml' | 'count';

/** The roles of a file's channels, in channel order. */
export interface ChannelLayout {
  readonly roles: readonly ChannelRole[];
  readonly source: ChannelRoleSource;
}

/**
 * BS.1770-4 §2.2 Table 3 weights: 1.0 for front channels (and anything overhead or unknown), 1.41
 * for channels at 60°–120° azimuth below 30° elevation (side and rear surrounds), 0 for LFE
 * (excluded from the measurement).
 */
export function channelWeight(role: ChannelRole): number {
  switch (role) {
    case 'LFE':
      return 0;
    case 'Ls':
    case 'Rs':
    case 'Lrs':
    case 'Rrs':
    case 'Lss':
    case 'Rss':
    case 'Cs':
      return 1.41;
    default:
      return 1;
  }
}

/** Roles by channel count when nothing else says (BS.775 3/2 order; SMPTE ST 428-3 for 6 and 8). */
export function rolesByCount(count: number): ChannelRole[] {
  switch (count) {
    case 1:
      return ['M'];
    case 2:
      return ['L', 'R'];
    case 3:
      return ['L', 'R', 'C'];
    case 4:
      return ['L', 'R', 'Ls', 'Rs'];
    case 5:
      return ['L', 'R', 'C', 'Ls', 'Rs'];
    case 6:
      return ['L', 'R', 'C', 'LFE', 'Ls', 'Rs'];
    case 8:
      return ['L', 'R', 'C', 'LFE', 'Lss', 'Rss', 'Lrs', 'Rrs'];
    default:
      return Array.from({ length: count }, () => '?' as ChannelRole);
  }
}

/** Role of a WAVE speaker bit name (`FL`, `BL`…); back speakers are the surrounds (5.1 mask 0x3F) unless side ones exist (7.1: sides Ls/Rs, backs Lrs/Rrs). */
function roleOfSpeaker(name: string, hasSides: boolean): ChannelRole {
  switch (name) {
    case 'FL': return 'L';
    case 'FR': return 'R';
    case 'FC': return 'C';
    case 'LFE': return 'LFE';
    case 'BL': return hasSides ? 'Lrs' : 'Ls';
    case 'BR': return hasSides ? 'Rrs' : 'Rs';
    case 'FLC': return 'Lc';
    case 'FRC': return 'Rc';
    case 'BC': return 'Cs';
    case 'SL': return 'Ls';
    case 'SR': return 'Rs';
    case 'TC': return 'Tc';
    case 'TFL': return 'Ltf';
    case 'TFC': return 'Ctf';
    case 'TFR': return 'Rtf';
    case 'TBL': return 'Ltr';
    case 'TBC': return 'Ctr';
    case 'TBR': return 'Rtr';
    default: return '?';
  }
}

/** ADM common-definition track formats AT_0001000n (BS.2094): the first six speakers. */
const ADM_ROLES: Readonly<Record<string, ChannelRole>> = { '1': 'L', '2': 'R', '3': 'C', '4': 'LFE', '5': 'Ls', '6': 'Rs' };

/** A channel or track name read as a role (`L`, `Left`, `Lfe`, `SL`, `L-5.1`…), or undefined. */
export function roleOfName(name: string): ChannelRole | undefined {
  const s = name.trim().toLowerCase().replace(/[-_ ](5\.1|7\.1|2\.0|lcr|st|stereo)$/, '').replace(/\s+/g, '');
  const table: Record<string, ChannelRole> = {
    m: 'M', mono: 'M', l: 'L', left: 'L', fl: 'L', r: 'R', right: 'R', fr: 'R', c: 'C', center: 'C', centre: 'C', fc: 'C',
    lfe: 'LFE', sub: 'LFE', boom: 'LFE', ls: 'Ls', leftsurround: 'Ls', sl: 'Ls', rs: 'Rs', rightsurround: 'Rs', sr: 'Rs',
    lss: 'Lss', rss: 'Rss', lrs: 'Lrs', rrs: 'Rrs', bl: 'Lrs', br: 'Rrs', lsr: 'Lrs', rsr: 'Rrs', lc: 'Lc', rc: 'Rc', cs: 'Cs',
  };
  return table[s];
}

/** The channel layout of a file read with `readBwf`. */
export function channelLayout(file: BwfFile): ChannelLayout {
  const count = file.format?.channels ?? 0;
  const mask = file.format?.channelMask;
  if (mask !== undefined && mask !== 0) {
    const speakers = speakersOfMask(mask);
    if (speakers.length === count) {
      const hasSides = speakers.includes('SL');
      return { roles: speakers.map((s) => roleOfSpeaker(s, hasSides)), source: 'mask' };
    }
  }
  if (file.chna && file.chna.entries.length > 0) {
    const roles: ChannelRole[] = Array.from({ length: count }, () => '?');
    let known = 0;
    for (const e of file.chna.entries) {
      const m = /^AT_0001([0-9a-f]{4})_/i.exec(e.audioTrackFormatRef);
      const role = m ? ADM_ROLES[String(parseInt(m[1] as string, 16))] : undefined;
      if (role && e.trackIndex >= 1 && e.trackIndex <= count) {
        roles[e.trackIndex - 1] = role;
        known++;
      }
    }
    if (known === count) return { roles, source: 'chna' };
  }
  const tracks = file.ixml?.tracks ?? [];
  if (tracks.length === count && count > 1) {
    const byIndex = [...tracks].sort((a, b) => (a.interleaveIndex ?? 0) - (b.interleaveIndex ?? 0));
    const roles = byIndex.map((t) => roleOfName(t.name ?? '') ?? roleOfName(t.function ?? ''));
    if (roles.every((r) => r !== undefined)) return { roles: roles as ChannelRole[], source: 'ixml' };
  }
  return { roles: rolesByCount(count), source: 'count' };
}
