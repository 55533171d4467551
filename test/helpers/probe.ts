import { spawnSync } from 'node:child_process';

/** True when `cmd` runs (`cmd -version` / `--Version` exits 0). */
function available(cmd: string, arg: string): boolean {
  const r = spawnSync(cmd, [arg], { stdio: 'ignore' });
  return r.status === 0;
}

/** ffprobe (Debian package ffmpeg) is on PATH; tests using it skip with a message otherwise. */
export const HAVE_FFPROBE = available('ffprobe', '-version');
/** mediainfo (Debian package mediainfo) is on PATH. */
export const HAVE_MEDIAINFO = available('mediainfo', '--Version');

if (!HAVE_FFPROBE) process.stderr.write('skipping ffprobe cross-checks: ffprobe is not installed (apt-get install ffmpeg)\n');
if (!HAVE_MEDIAINFO) process.stderr.write('skipping mediainfo cross-checks: mediainfo is not installed (apt-get install mediainfo)\n');

/** What ffprobe says about the first audio stream and the format tags of a file. */
export interface FfprobeFacts {
  readonly stream: Record<string, unknown>;
  readonly tags: Record<string, string>;
}

/** Runs `ffprobe -show_format -show_streams -of json`. */
export function ffprobe(path: string): FfprobeFacts {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ffprobe failed on ${path}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { streams: Record<string, unknown>[]; format: { tags?: Record<string, string> } };
  return { stream: j.streams[0] ?? {}, tags: j.format.tags ?? {} };
}

/** Runs `mediainfo --Output=JSON` and returns the General and Audio tracks (with `extra` merged in). */
export function mediainfo(path: string): { general: Record<string, string>; audio: Record<string, string> } {
  const r = spawnSync('mediainfo', ['--Output=JSON', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`mediainfo failed on ${path}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { media: { track: (Record<string, unknown> & { '@type': string; extra?: Record<string, string> })[] } };
  const flat = (t: (Record<string, unknown> & { extra?: Record<string, string> }) | undefined): Record<string, string> => {
    if (!t) return {};
    const { extra, ...rest } = t;
    return { ...(rest as Record<string, string>), ...(extra ?? {}) };
  };
  return { general: flat(j.media.track.find((t) => t['@type'] === 'General')), audio: flat(j.media.track.find((t) => t['@type'] === 'Audio')) };
}
