/**
 * The FCPXML document grammar (versions 1.8 to 1.13) as data: for every element, what it may
 * contain and which attributes it takes. Final Cut Pro rejects a whole import whose document does
 * not validate against the DTD of its version (spec/xml.md 2.1); {@link validate} in
 * `validate.ts` checks a document against this table.
 *
 * Written for dubstage from the facts of Apple's published DTDs (versions 1.8, 1.9, 1.10, 1.11 and
 * 1.13 were compared element by element; 1.12 is taken to accept what 1.13 accepts — the additions
 * after 1.11, such as `adjust-stereo-3D`, `hidden-clip-marker`, `heroEye` and `nameOverride`, are
 * allowed from 1.12 on). The version differences kept here: 1.8 assets carry `src` and may hold a
 * `bookmark`, 1.9 on they hold `media-rep`s; `locator`, `object-tracker`, `adjust-cinematic` and
 * several attributes arrive with 1.10; `live-drawing`, `adjust-colorConform`,
 * `adjust-voiceIsolation` and `auxValue` with 1.11.
 * @packageDocumentation
 */

/** A content model over child element names (the grammar's regular expressions). */
export type Model =
  | { readonly k: 'el'; readonly name: string }
  | { readonly k: 'seq' | 'alt'; readonly items: readonly Model[] }
  | { readonly k: 'opt' | 'star' | 'plus'; readonly item: Model };

/** What an element may contain: nothing, text only, text mixed with some elements, or elements by a model. */
export type Content =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text' }
  | { readonly kind: 'mixed'; readonly names: readonly string[] }
  | { readonly kind: 'model'; readonly model: Model };

/** How an attribute value is checked: free text, a time (`N/Ds`, `Ns`), an id, an id reference, a 0/1 flag, or one of a list. */
export type AttrType = 'text' | 'time' | 'id' | 'idref' | 'flag' | readonly string[];

/** One declared attribute. */
export interface AttrDecl {
  readonly type: AttrType;
  readonly required: boolean;
  /** The only value allowed (the root's `version`). */
  readonly fixed?: string;
}

/** One declared element. */
export interface ElementDecl {
  readonly content: Content;
  readonly attributes: ReadonlyMap<string, AttrDecl>;
}

// Model builders.
const el = (name: string): Model => ({ k: 'el', name });
const m = (x: Model | string): Model => (typeof x === 'string' ? el(x) : x);
const seq = (...items: (Model | string | undefined)[]): Model => ({ k: 'seq', items: items.filter((x): x is Model | string => x !== undefined).map(m) });
const alt = (...items: (Model | string | undefined)[]): Model => ({ k: 'alt', items: items.filter((x): x is Model | string => x !== undefined).map(m) });
const opt = (x: Model | string): Model => ({ k: 'opt', item: m(x) });
const star = (x: Model | string): Model => ({ k: 'star', item: m(x) });
const plus = (x: Model | string): Model => ({ k: 'plus', item: m(x) });
const model = (x: Model): Content => ({ kind: 'model', model: x });
const EMPTY: Content = { kind: 'empty' };
const TEXT: Content = { kind: 'text' };

const FADE_TYPES = ['linear', 'easeIn', 'easeOut', 'easeInOut'];
const SRC_ENABLE = ['all', 'audio', 'video'];

/**
 * Attribute list notation used below (dubstage's own): space-separated entries `name[:type][!]`
 * where type is `T` (time), `ID`, `REF` (id reference), `01` (flag), or `a|b|c` (one of), and `!`
 * marks a required attribute. Entries in `extra` lists are added as given.
 */
function attrs(spec: string, extra: Record<string, AttrDecl> = {}): Map<string, AttrDecl> {
  const out = new Map<string, AttrDecl>();
  for (const entry of spec.split(/\s+/)) {
    if (entry === '') continue;
    const required = entry.endsWith('!');
    const body = required ? entry.slice(0, -1) : entry;
    const [name, t] = body.split(':') as [string, string | undefined];
    const type: AttrType = t === undefined ? 'text' : t === 'T' ? 'time' : t === 'ID' ? 'id' : t === 'REF' ? 'idref' : t === '01' ? 'flag' : t.split('|');
    out.set(name, { type, required });
  }
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out;
}

const cache = new Map<number, ReadonlyMap<string, ElementDecl>>();

/**
 * The grammar of FCPXML `1.<minor>` (minor 8…13; lower minors get the 1.8 grammar, higher ones
 * the 1.13 grammar). Built once per minor.
 */
export function grammar(minor: number): ReadonlyMap<string, ElementDecl> {
  const v = Math.max(8, Math.min(13, minor));
  let g = cache.get(v);
  if (!g) {
    g = build(v);
    cache.set(v, g);
  }
  return g;
}

function build(v: number): Map<string, ElementDecl> {
  const since = <T>(minor: number, x: T): T | undefined => (v >= minor ? x : undefined);
  const s = (minor: number, text: string): string => (v >= minor ? text : '');
  const g = new Map<string, ElementDecl>();
  const def = (name: string, content: Content, attributes: Map<string, AttrDecl> = new Map()): void => {
    g.set(name, { content, attributes });
  };

  // Shared groups.
  const collectionItem = ['collection-folder', 'keyword-collection', 'smart-collection'];
  const eventItem = alt('clip', 'audition', 'mc-clip', 'ref-clip', 'sync-clip', 'asset-clip', ...collectionItem, 'project');
  const liveDrawing = since(11, 'live-drawing');
  const anchorItem = alt('audio', 'video', 'clip', 'title', 'caption', 'mc-clip', 'ref-clip', 'sync-clip', 'asset-clip', 'audition', 'spine', liveDrawing);
  const clipItem = alt('audio', 'video', 'clip', 'title', 'mc-clip', 'ref-clip', 'sync-clip', 'asset-clip', 'audition', 'gap', liveDrawing);
  const markerItem = alt('marker', 'chapter-marker', 'rating', 'keyword', 'analysis-marker', since(12, 'hidden-clip-marker'));
  const videoFilter = alt('filter-video', 'filter-video-mask');
  const timing = seq(opt('conform-rate'), opt('timeMap'));
  const intrinsicVideo = seq(
    since(10, opt('object-tracker')),
    opt('adjust-crop'),
    opt('adjust-corners'),
    opt('adjust-conform'),
    opt('adjust-transform'),
    opt('adjust-blend'),
    opt('adjust-stabilization'),
    opt('adjust-rollingShutter'),
    opt('adjust-360-transform'),
    opt('adjust-reorient'),
    opt('adjust-orientation'),
    since(10, opt('adjust-cinematic')),
    since(11, opt('adjust-colorConform')),
    since(12, opt('adjust-stereo-3D')),
  );
  const intrinsicAudio = seq(opt('adjust-volume'), opt('adjust-panner'));
  const intrinsic = seq(intrinsicVideo, intrinsicAudio);
  const audioEnhancements = seq(opt('adjust-loudness'), opt('adjust-noiseReduction'), opt('adjust-humReduction'), opt(alt('adjust-EQ', 'adjust-matchEQ')), since(11, opt('adjust-voiceIsolation')));
  const AO = 'lane offset:T';
  const CLIP = `${AO} name start:T duration:T! enabled:01`;
  const CLIP_OPTIONAL_DURATION = `${AO} name start:T duration:T enabled:01`;
  const MEDIA = 'format:REF! duration:T tcStart:T tcFormat:DF|NDF';
  const AUDIO_HZ = 'audioRate:32k|44.1k|48k|88.2k|96k|176.4k|192k';
  const frameSampling = `frameSampling:floor|nearest-neighbor|frame-blending|optical-flow-classic|optical-flow${v >= 12 ? '|optical-flow-frc' : ''}`;

  // Document, library, events, projects.
  def('fcpxml', model(seq(opt('import-options'), opt('resources'), alt('library', star('event'), star(eventItem)))), attrs('', { version: { type: 'text', required: false, fixed: `1.${v}` } }));
  def('import-options', model(star('option')));
  def('option', EMPTY, attrs('key! value!'));
  def('library', model(star(alt('event', 'smart-collection'))), attrs('location colorProcessing:standard|wide|wide-hdr'));
  def('event', model(star(eventItem)), attrs('name uid'));
  def('project', model(el('sequence')), attrs('name uid id:ID modDate'));

  // Resources.
  def('resources', model(star(alt('asset', 'effect', 'format', 'media', since(10, 'locator')))));
  def('media', model(opt(alt('multicam', 'sequence'))), attrs('id:ID! name uid projectRef:REF modDate'));
  def('format', EMPTY, attrs(`id:ID! name frameDuration:T fieldOrder width height paspH paspV colorSpace projection stereoscopic ${s(12, 'heroEye')}`));
  def(
    'asset',
    model(v >= 9 ? seq(plus('media-rep'), opt('metadata')) : seq(opt('bookmark'), opt('metadata'))),
    attrs(
      `id:ID! name uid start:T duration:T hasVideo format:REF hasAudio ${s(9, 'videoSources')} audioSources audioChannels audioRate customLUTOverride colorSpaceOverride projectionOverride stereoscopicOverride ${s(10, 'auxVideoFlags')} ${s(12, 'heroEyeOverride')} ${v < 9 ? 'src!' : ''}`,
    ),
  );
  if (v >= 9) def('media-rep', model(opt('bookmark')), attrs('kind:original-media|proxy-media sig src! suggestedFilename'));
  def('metadata', model(star('md')));
  def('md', model(opt('array')), attrs('key! value editable:01 type:string|boolean|integer|float|date|timecode displayName description source'));
  def('effect', EMPTY, attrs('id:ID! name uid! src'));
  if (v >= 10) def('locator', model(opt('bookmark')), attrs('id:ID! url!'));

  // Animation and parameters.
  def('fadeIn', EMPTY, attrs(`type:${FADE_TYPES.join('|')} duration:T!`));
  def('fadeOut', EMPTY, attrs(`type:${FADE_TYPES.join('|')} duration:T!`));
  def('keyframeAnimation', model(star('keyframe')));
  def('keyframe', EMPTY, attrs(`time:T! value! ${s(11, 'auxValue')} interp:linear|ease|easeIn|easeOut curve:linear|smooth`));
  def('mute', model(seq(opt('fadeIn'), opt('fadeOut'))), attrs('start:T duration:T'));
  def('param', model(seq(opt('fadeIn'), opt('fadeOut'), opt('keyframeAnimation'), star('param'))), attrs(`name! key value ${s(11, 'auxValue')} enabled:01`));
  def('data', TEXT, attrs('key'));

  // Video adjustments.
  def('crop-rect', model(star('param')), attrs('left top right bottom'));
  def('trim-rect', model(star('param')), attrs('left top right bottom'));
  def('pan-rect', EMPTY, attrs('left top right bottom'));
  def('adjust-crop', model(seq(opt('crop-rect'), opt('trim-rect'), opt(seq('pan-rect', 'pan-rect')))), attrs('mode:trim|crop|pan! enabled:01'));
  def('adjust-corners', model(star('param')), attrs('enabled:01 botLeft topLeft topRight botRight'));
  def('adjust-conform', EMPTY, attrs('type:fit|fill|none'));
  def('adjust-transform', model(star('param')), attrs(`enabled:01 position scale rotation anchor ${s(10, 'tracking:REF')}`));
  def('adjust-blend', model(seq(star('param'), opt('reserved'))), attrs('amount mode'));
  def('adjust-stabilization', model(star('param')), attrs(`${s(10, 'enabled:01')} type:automatic|inertiaCam|smoothCam${v === 9 ? '|alignment-360' : ''}`));
  def('adjust-rollingShutter', EMPTY, attrs(`${s(10, 'enabled:01')} amount:none|low|medium|high|extraHigh`));
  def(
    'adjust-360-transform',
    model(star('param')),
    attrs(`enabled:01 coordinates:spherical|cartesian! latitude longitude distance xPosition yPosition zPosition xOrientation yOrientation zOrientation autoOrient:01 convergence interaxial ${s(9, 'scale')}`),
  );
  def('adjust-reorient', model(star('param')), attrs('enabled:01 tilt pan roll convergence'));
  def('adjust-orientation', model(star('param')), attrs(`enabled:01 tilt pan roll fieldOfView ${s(9, 'mapping:normal|tinyPlanet')}`));
  if (v >= 10) def('adjust-cinematic', model(star('param')), attrs('enabled:01 dataLocator:REF aperture'));
  if (v >= 11) {
    def(
      'adjust-colorConform',
      EMPTY,
      attrs('enabled:01 autoOrManual:automatic|manual conformType:conformNone|conformAuto|conformHLGtoSDR|conformPQtoSDR|conformHLGtoPQ|conformPQtoHLG|conformSDRtoHLG75|conformSDRtoHLG100|conformSDRtoPQ peakNitsOfPQSource! peakNitsOfSDRToPQSource!'),
    );
  }
  if (v >= 12) def('adjust-stereo-3D', model(star('param')), attrs('enabled:01 convergence autoScale:01 swapEyes:01 depth'));
  if (v >= 10) {
    def('tracking-shape', EMPTY, attrs('id:ID! name offsetEnabled:01 analysisMethod:automatic|combined|machineLearning|pointCloud dataLocator:REF'));
    def('object-tracker', model(plus('tracking-shape')));
  }

  // Audio adjustments.
  def('adjust-loudness', EMPTY, attrs('amount! uniformity!'));
  def('adjust-noiseReduction', EMPTY, attrs('amount!'));
  def('adjust-humReduction', EMPTY, attrs('frequency:50|60!'));
  def('adjust-EQ', model(star('param')), attrs('mode:flat|voice_enhance|music_enhance|loudness|hum_reduction|bass_boost|bass_reduce|treble_boost|treble_reduce!'));
  def('adjust-matchEQ', model(el('data')));
  if (v >= 11) def('adjust-voiceIsolation', EMPTY, attrs('amount!'));
  def('adjust-volume', model(star('param')), attrs('amount'));
  def('adjust-panner', model(star('param')), attrs('mode amount original_decoded_mix ambient_direct_mix surround_width left_right_mix front_back_mix LFE_balance rotation stereo_spread attenuate_collapse_mix center_balance'));
  const channelSource = model(seq(audioEnhancements, intrinsicAudio, star('filter-audio'), star('mute')));
  def('audio-channel-source', channelSource, attrs('srcCh! outCh role start:T duration:T enabled:01 active:01'));
  def('audio-role-source', channelSource, attrs('role! start:T duration:T enabled:01 active:01'));

  // Story elements.
  def('audition', model(plus(alt('audio', 'video', 'title', 'ref-clip', 'asset-clip', 'clip', 'sync-clip', liveDrawing))), attrs(`${AO} modDate`));
  def('spine', model(star(alt(clipItem, 'transition'))), attrs(`${AO} name format:REF`));
  def('sequence', model(seq(opt('note'), 'spine', opt('metadata'))), attrs(`${MEDIA} audioLayout:mono|stereo|surround ${AUDIO_HZ} renderFormat keywords`));
  def('multicam', model(seq(star('mc-angle'), opt('metadata'))), attrs(`${MEDIA} renderFormat`));
  def('mc-angle', model(star(alt(clipItem, 'transition'))), attrs('name angleID!'));
  def(
    'mc-clip',
    model(seq(opt('note'), timing, intrinsicAudio, star('mc-source'), star(anchorItem), star(markerItem), star('filter-audio'), opt('metadata'))),
    attrs(`ref:REF! ${CLIP} srcEnable:${SRC_ENABLE.join('|')} audioStart:T audioDuration:T modDate`),
  );
  def('mc-source', model(seq(star('audio-role-source'), intrinsicVideo, star(videoFilter))), attrs('angleID! srcEnable:all|audio|video|none'));
  const containerBody = (sources: string): Model =>
    seq(opt('note'), timing, intrinsic, star(alt('spine', clipItem, 'caption')), star(markerItem), star(sources), star(videoFilter), star('filter-audio'), opt('metadata'));
  def('clip', model(containerBody('audio-channel-source')), attrs(`${CLIP} format:REF audioStart:T audioDuration:T tcStart:T tcFormat:DF|NDF modDate`));
  def('sync-clip', model(containerBody('sync-source')), attrs(`${CLIP} format:REF audioStart:T audioDuration:T tcStart:T tcFormat:DF|NDF modDate`));
  def('sync-source', model(star('audio-role-source')), attrs('sourceID:storyline|connected!'));
  const referenceBody = (sources: string): Model => seq(opt('note'), timing, intrinsic, star(anchorItem), star(markerItem), star(sources), star(videoFilter), star('filter-audio'), opt('metadata'));
  def('ref-clip', model(referenceBody('audio-role-source')), attrs(`ref:REF! ${CLIP} srcEnable:${SRC_ENABLE.join('|')} audioStart:T audioDuration:T useAudioSubroles:01 modDate`));
  def(
    'asset-clip',
    model(referenceBody('audio-channel-source')),
    attrs(`ref:REF! ${CLIP_OPTIONAL_DURATION} srcEnable:${SRC_ENABLE.join('|')} audioStart:T audioDuration:T format:REF tcStart:T tcFormat:DF|NDF modDate audioRole videoRole`),
  );
  def('audio', model(seq(opt('note'), timing, opt('adjust-volume'), star(anchorItem), star(markerItem), star('filter-audio'))), attrs(`ref:REF! ${CLIP} srcID role srcCh outCh`));
  def('video', model(seq(star('param'), opt('note'), timing, intrinsicVideo, star(anchorItem), star(markerItem), star(videoFilter), opt('reserved'))), attrs(`ref:REF! ${CLIP} srcID role`));
  if (v >= 11) {
    const liveIntrinsic = seq(opt('adjust-crop'), opt('adjust-corners'), opt('adjust-conform'), opt('adjust-transform'), opt('adjust-blend'), opt('adjust-360-transform'), opt('adjust-colorConform'), since(12, opt('adjust-stereo-3D')));
    def('live-drawing', model(seq(star('param'), opt('note'), liveIntrinsic, star(anchorItem), star(markerItem), star(videoFilter))), attrs(`${CLIP} role dataLocator:REF animationType`));
  }
  def('caption', model(seq(star('text'), star('text-style-def'), opt('note'))), attrs(`${CLIP} role`));
  def('gap', model(seq(opt('note'), star(anchorItem), star(markerItem), opt('metadata'))), attrs('name offset:T start:T duration:T! enabled:01'));
  def(
    'title',
    model(seq(star('param'), star('text'), star('text-style-def'), opt('note'), intrinsicVideo, star(anchorItem), star(markerItem), star(videoFilter), opt('metadata'))),
    attrs(`ref:REF! ${CLIP} role`),
  );
  def('text', { kind: 'mixed', names: ['text-style'] }, attrs('display-style:pop-on|paint-on|roll-up roll-up-height position placement:left|right|top|bottom alignment:left|center|right'));
  def('text-style-def', model(el('text-style')), attrs('id:ID! name'));
  def(
    'text-style',
    { kind: 'mixed', names: ['param'] },
    attrs('ref:REF font fontSize fontFace fontColor backgroundColor bold:01 italic:01 strokeColor strokeWidth baseline shadowColor shadowOffset shadowBlurRadius kerning alignment:left|center|right|justified lineSpacing tabStops baselineOffset underline:01'),
  );
  def('transition', model(seq(opt('filter-video'), opt('filter-audio'), star(markerItem), opt('metadata'), opt('reserved'))), attrs('name offset:T duration:T!'));

  // Filters, retiming.
  def('filter-video', model(seq(v >= 9 ? star('data') : opt('data'), star('param'))), attrs(`ref:REF! name ${s(12, 'nameOverride')} enabled:01`));
  def('filter-video-mask', model(seq(plus(alt('mask-shape', 'mask-isolation')), 'filter-video', opt('filter-video'))), attrs('enabled:01 inverted:01'));
  def('mask-shape', model(star('param')), attrs(`name enabled:01 blendMode:add|subtract|multiply ${s(10, 'tracking:REF')}`));
  def('mask-isolation', model(seq('data', star('param'))), attrs(`name enabled:01 blendMode:add|subtract|multiply ${s(9, 'type:3D|HSL')}`));
  def('filter-audio', model(seq(opt('data'), star('param'))), attrs(`ref:REF! name ${s(12, 'nameOverride')} enabled:01 presetID`));
  def('conform-rate', EMPTY, attrs(`scaleEnabled:01 srcFrameRate:23.98|24|25|29.97|30|60|47.95|48|50|59.94${v >= 12 ? '|90|100|119.88|120' : ''} ${frameSampling}`));
  def('timeMap', model(star('timept')), attrs(`${frameSampling} preservesPitch:01`));
  // `value` is declared as free text but holds a source time; it is checked as a time.
  def('timept', EMPTY, attrs('time:T! value:T! interp:smooth2|linear|smooth inTime:T outTime:T'));

  // Markers, keywords, notes.
  def('marker', EMPTY, attrs('start:T! duration:T value! completed note'));
  def('chapter-marker', EMPTY, attrs('start:T! duration:T value! note posterOffset:T'));
  def('rating', EMPTY, attrs('name start:T duration:T value:favorite|reject! note'));
  def('keyword', EMPTY, attrs('start:T duration:T value! note'));
  def('analysis-marker', model(plus(alt('shot-type', 'stabilization-type'))), attrs('start:T duration:T'));
  if (v >= 12) def('hidden-clip-marker', EMPTY);
  def('keyword-collection', EMPTY, attrs('name!'));
  def('collection-folder', model(star(alt(...collectionItem))), attrs('name!'));
  def('note', TEXT);
  def('bookmark', TEXT);
  def('reserved', TEXT);
  def('array', model(star('string')));
  def('string', TEXT);

  // Smart collections (library-level search rules).
  const ANY_ALL = 'rule:includesAny|includesAll|doesNotIncludeAny|doesNotIncludeAll';
  const textRules = `includes|doesNotInclude|is|isNot${v >= 12 ? '|startsWith|endsWith' : ''}`;
  const propertyKeys = `reel|scene|take|audioOutputChannels|frameSize|videoFrameRate|audioSampleRate|cameraName|cameraAngle${v >= 9 ? '|projection|stereoscopic' : ''}${v >= 10 ? '|cinematic' : ''}`;
  const propertyRules = `includes|doesNotInclude|is|isNot${v >= 9 ? '|isSet|isNotSet' : ''}${v >= 12 ? '|startsWith|endsWith' : ''}`;
  const rules: [string, string, Content?][] = [
    ['match-text', `enabled:01 rule:${textRules} value! ${s(10, 'scope:all|notes|names|markers')}`],
    ['match-ratings', 'enabled:01 value:favorites|rejected!'],
    ['match-media', 'enabled:01 rule:is|isNot type:videoWithAudio|videoOnly|audioOnly|stills!'],
    ['match-clip', 'enabled:01 rule:is|isNot type:audition|synchronized|compound|multicam|layeredGraphic|project!'],
    ['match-stabilization', `enabled:01 ${ANY_ALL}`, model(star('stabilization-type'))],
    ['match-keywords', `enabled:01 ${ANY_ALL}`, model(star('keyword-name'))],
    ['match-shot', `enabled:01 ${ANY_ALL}`, model(star('shot-type'))],
    ['match-property', `enabled:01 key:${propertyKeys}! rule:${propertyRules} value${v < 9 ? '!' : ''}`],
    ['match-time', 'enabled:01 type:contentCreated|dateImported! rule:is|isBefore|isAfter! value!'],
    ['match-timeRange', 'enabled:01 type:contentCreated|dateImported! rule:isInLast|isNotInLast! value! units:hour|day|week|month|year'],
    ['match-roles', `enabled:01 ${ANY_ALL}`, model(star('role'))],
  ];
  if (v >= 9) rules.push(['match-usage', 'enabled:01 rule:used|unused']);
  if (v >= 10) rules.push(['match-representation', 'enabled:01 type:original|optimized|proxy! rule:isAvailable|isMissing'], ['match-markers', 'enabled:01 type:all|standard|allTodo|complete|incomplete']);
  for (const [name, a, content] of rules) def(name, content ?? EMPTY, attrs(a));
  def('smart-collection', model(star(alt(...rules.map((r) => r[0])))), attrs('name! match:any|all!'));
  def('keyword-name', EMPTY, attrs('value!'));
  def('shot-type', EMPTY, attrs('value:onePerson|twoPersons|group|closeUp|mediumShot|wideShot!'));
  def('stabilization-type', EMPTY, attrs('value:excessiveShake!'));
  def('role', EMPTY, attrs('name!'));
  return g;
}
