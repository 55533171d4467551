/**
 * Built-in knowledge of the AAF baseline model: property PIDs with their names and value types,
 * class AUIDs, and the type AUIDs that `Indirect` values name (`shared/spec/aaf.md` §3, §7).
 *
 * Dynamic (extension) PIDs, 0x8000 and up, are file-specific and resolved through the file's own
 * MetaDictionary instead (see `objects.ts`).
 */

/** How a property's value bytes decode. References are told by the stored form, not here. */
export type AafValueType =
  | 'UInt8' | 'UInt16' | 'UInt32' | 'UInt64' | 'Int8' | 'Int16' | 'Int32' | 'Int64'
  | 'Boolean' | 'Rational' | 'TimeStamp' | 'AUID' | 'MobID' | 'String' | 'Indirect'
  | 'Version' | 'ProductVersion' | 'Bytes' | 'UInt32Array' | 'AUIDArray' | 'StringArray'
  | 'RGBColor' | 'Reference';

/** A baseline property: its name and how its data decodes. */
export interface BuiltinProperty {
  readonly name: string;
  readonly type: AafValueType;
}

const P = (name: string, type: AafValueType): BuiltinProperty => ({ name, type });

/** Baseline properties by PID (aaf.md §3 and the meta classes). */
export const BUILTIN_PROPERTIES: ReadonlyMap<number, BuiltinProperty> = new Map<number, BuiltinProperty>([
  // Root storage
  [0x0001, P('MetaDictionary', 'Reference')],
  [0x0002, P('Header', 'Reference')],
  // MetaDictionary and meta definitions
  [0x0003, P('ClassDefinitions', 'Reference')],
  [0x0004, P('TypeDefinitions', 'Reference')],
  [0x0005, P('Identification', 'AUID')],
  [0x0006, P('Name', 'String')],
  [0x0007, P('Description', 'String')],
  [0x0008, P('ParentClass', 'Reference')],
  [0x0009, P('Properties', 'Reference')],
  [0x000a, P('IsConcrete', 'Boolean')],
  [0x000b, P('Type', 'Reference')],
  [0x000c, P('IsOptional', 'Boolean')],
  [0x000d, P('LocalIdentification', 'UInt16')],
  [0x000e, P('IsUniqueIdentifier', 'Boolean')],
  [0x000f, P('Size', 'UInt8')],
  [0x0010, P('IsSigned', 'Boolean')],
  [0x0011, P('ReferencedType', 'Reference')],
  [0x0012, P('TargetSet', 'AUIDArray')],
  [0x0013, P('ElementType', 'Reference')],
  [0x0014, P('ElementNames', 'StringArray')],
  [0x0015, P('ElementValues', 'Bytes')],
  [0x0016, P('ElementType', 'Reference')],
  [0x0017, P('ElementCount', 'UInt32')],
  [0x0018, P('ElementType', 'Reference')],
  [0x0019, P('MemberTypes', 'Reference')],
  [0x001a, P('MemberNames', 'StringArray')],
  [0x001b, P('RenamedType', 'Reference')],
  [0x001c, P('ElementType', 'Reference')],
  [0x001d, P('ElementType', 'Reference')],
  [0x001e, P('ElementType', 'Reference')],
  [0x001f, P('ElementNames', 'StringArray')],
  [0x0020, P('ElementValues', 'AUIDArray')],
  // InterchangeObject
  [0x0101, P('ObjClass', 'AUID')],
  [0x0102, P('Generation', 'AUID')],
  // Component
  [0x0201, P('DataDefinition', 'Reference')],
  [0x0202, P('Length', 'Int64')],
  [0x0203, P('KLVData', 'Reference')],
  [0x0204, P('UserComments', 'Reference')],
  [0x0205, P('Attributes', 'Reference')],
  // EssenceGroup
  [0x0501, P('Choices', 'Reference')],
  [0x0502, P('StillFrame', 'Reference')],
  // Event, CommentMarker
  [0x0601, P('Position', 'Int64')],
  [0x0602, P('Comment', 'String')],
  [0x0901, P('Annotation', 'Reference')],
  // OperationGroup
  [0x0b01, P('Operation', 'Reference')],
  [0x0b02, P('InputSegments', 'Reference')],
  [0x0b03, P('Parameters', 'Reference')],
  [0x0b04, P('BypassOverride', 'UInt32')],
  [0x0b05, P('Rendering', 'Reference')],
  // NestedScope, ScopeReference
  [0x0c01, P('Slots', 'Reference')],
  [0x0e01, P('RelativeScope', 'UInt32')],
  [0x0e02, P('RelativeSlot', 'UInt32')],
  // Selector
  [0x0f01, P('Selected', 'Reference')],
  [0x0f02, P('Alternates', 'Reference')],
  // Sequence
  [0x1001, P('Components', 'Reference')],
  // SourceReference, SourceClip
  [0x1101, P('SourceID', 'MobID')],
  [0x1102, P('SourceMobSlotID', 'UInt32')],
  [0x1103, P('ChannelIDs', 'UInt32Array')],
  [0x1104, P('MonoSourceSlotIDs', 'UInt32Array')],
  [0x1201, P('StartTime', 'Int64')],
  [0x1202, P('FadeInLength', 'Int64')],
  [0x1203, P('FadeInType', 'UInt8')],
  [0x1204, P('FadeOutLength', 'Int64')],
  [0x1205, P('FadeOutType', 'UInt8')],
  // Timecode
  [0x1501, P('Start', 'Int64')],
  [0x1502, P('FPS', 'UInt16')],
  [0x1503, P('Drop', 'Boolean')],
  // Transition
  [0x1801, P('OperationGroup', 'Reference')],
  [0x1802, P('CutPoint', 'Int64')],
  // ContentStorage
  [0x1901, P('Mobs', 'Reference')],
  [0x1902, P('EssenceData', 'Reference')],
  // ControlPoint
  [0x1a02, P('Value', 'Indirect')],
  [0x1a03, P('Time', 'Rational')],
  [0x1a04, P('EditHint', 'UInt8')],
  // DefinitionObject
  [0x1b01, P('Identification', 'AUID')],
  [0x1b02, P('Name', 'String')],
  [0x1b03, P('Description', 'String')],
  // OperationDefinition
  [0x1e01, P('DataDefinition', 'Reference')],
  [0x1e02, P('IsTimeWarp', 'Boolean')],
  [0x1e03, P('DegradeTo', 'Reference')],
  [0x1e06, P('OperationCategory', 'AUID')],
  [0x1e07, P('NumberInputs', 'Int32')],
  [0x1e08, P('Bypass', 'UInt32')],
  [0x1e09, P('ParametersDefined', 'Reference')],
  // ParameterDefinition
  [0x1f01, P('Type', 'Reference')],
  [0x1f03, P('DisplayUnits', 'String')],
  // CodecDefinition, ContainerDefinition
  [0x2301, P('FileDescriptorClass', 'Reference')],
  [0x2302, P('DataDefinitions', 'Reference')],
  [0x2401, P('EssenceIsIdentified', 'Boolean')],
  // Dictionary
  [0x2603, P('OperationDefinitions', 'Reference')],
  [0x2604, P('ParameterDefinitions', 'Reference')],
  [0x2605, P('DataDefinitions', 'Reference')],
  [0x2606, P('PluginDefinitions', 'Reference')],
  [0x2607, P('CodecDefinitions', 'Reference')],
  [0x2608, P('ContainerDefinitions', 'Reference')],
  [0x2609, P('InterpolationDefinitions', 'Reference')],
  [0x260a, P('KLVDataDefinitions', 'Reference')],
  [0x260b, P('TaggedValueDefinitions', 'Reference')],
  // EssenceData
  [0x2701, P('MobID', 'MobID')],
  [0x2702, P('Data', 'Bytes')],
  [0x2b01, P('SampleIndex', 'Bytes')],
  // EssenceDescriptor, FileDescriptor
  [0x2f01, P('Locator', 'Reference')],
  [0x3001, P('SampleRate', 'Rational')],
  [0x3002, P('Length', 'Int64')],
  [0x3004, P('ContainerFormat', 'Reference')],
  [0x3005, P('CodecDefinition', 'Reference')],
  [0x3006, P('LinkedSlotID', 'UInt32')],
  // AIFC, WAVE
  [0x3101, P('Summary', 'Bytes')],
  [0x3801, P('Summary', 'Bytes')],
  // TapeDescriptor
  [0x3a01, P('FormFactor', 'UInt8')],
  [0x3a02, P('VideoSignal', 'UInt8')],
  [0x3a03, P('TapeFormat', 'UInt8')],
  [0x3a04, P('Length', 'UInt32')],
  [0x3a05, P('ManufacturerID', 'String')],
  [0x3a06, P('Model', 'String')],
  [0x3a07, P('TapeBatchNumber', 'String')],
  [0x3a08, P('TapeStock', 'String')],
  // Header
  [0x3b01, P('ByteOrder', 'Int16')],
  [0x3b02, P('LastModified', 'TimeStamp')],
  [0x3b03, P('Content', 'Reference')],
  [0x3b04, P('Dictionary', 'Reference')],
  [0x3b05, P('Version', 'Version')],
  [0x3b06, P('IdentificationList', 'Reference')],
  [0x3b07, P('ObjectModelVersion', 'UInt32')],
  [0x3b08, P('PrimaryMob', 'Reference')],
  [0x3b09, P('OperationalPattern', 'AUID')],
  [0x3b0a, P('EssenceContainers', 'AUIDArray')],
  [0x3b0b, P('DescriptiveSchemes', 'AUIDArray')],
  // Identification
  [0x3c01, P('CompanyName', 'String')],
  [0x3c02, P('ProductName', 'String')],
  [0x3c03, P('ProductVersion', 'ProductVersion')],
  [0x3c04, P('ProductVersionString', 'String')],
  [0x3c05, P('ProductID', 'AUID')],
  [0x3c06, P('Date', 'TimeStamp')],
  [0x3c07, P('ToolkitVersion', 'ProductVersion')],
  [0x3c08, P('Platform', 'String')],
  [0x3c09, P('GenerationAUID', 'AUID')],
  // SoundDescriptor, PCMDescriptor
  [0x3d01, P('QuantizationBits', 'UInt32')],
  [0x3d02, P('Locked', 'Boolean')],
  [0x3d03, P('AudioSamplingRate', 'Rational')],
  [0x3d04, P('AudioRefLevel', 'Int8')],
  [0x3d05, P('ElectroSpatial', 'UInt8')],
  [0x3d06, P('Compression', 'AUID')],
  [0x3d07, P('Channels', 'UInt32')],
  [0x3d09, P('AverageBPS', 'UInt32')],
  [0x3d0a, P('BlockAlign', 'UInt16')],
  [0x3d0b, P('SequenceOffset', 'UInt8')],
  [0x3d0c, P('DialNorm', 'Int8')],
  [0x3d21, P('BextCodingHistory', 'String')],
  [0x3d32, P('ChannelAssignment', 'AUID')],
  [0x3d33, P('UnknownBWFChunks', 'Reference')],
  // MultipleDescriptor
  [0x3f01, P('FileDescriptors', 'Reference')],
  // Locators
  [0x4001, P('URLString', 'String')],
  [0x4101, P('Name', 'String')],
  // Mob
  [0x4401, P('MobID', 'MobID')],
  [0x4402, P('Name', 'String')],
  [0x4403, P('Slots', 'Reference')],
  [0x4404, P('LastModified', 'TimeStamp')],
  [0x4405, P('CreationTime', 'TimeStamp')],
  [0x4406, P('UserComments', 'Reference')],
  [0x4407, P('KLVData', 'Reference')],
  [0x4408, P('UsageCode', 'AUID')],
  [0x4409, P('Attributes', 'Reference')],
  // CompositionMob
  [0x4501, P('DefaultFadeLength', 'Int64')],
  [0x4502, P('DefFadeType', 'UInt8')],
  [0x4503, P('DefFadeEditUnit', 'Rational')],
  [0x4504, P('Rendering', 'MobID')],
  // SourceMob
  [0x4701, P('EssenceDescription', 'Reference')],
  // MobSlot, EventMobSlot, TimelineMobSlot
  [0x4801, P('SlotID', 'UInt32')],
  [0x4802, P('SlotName', 'String')],
  [0x4803, P('Segment', 'Reference')],
  [0x4804, P('PhysicalTrackNumber', 'UInt32')],
  [0x4901, P('EditRate', 'Rational')],
  [0x4902, P('EventSlotOrigin', 'Int64')],
  [0x4b01, P('EditRate', 'Rational')],
  [0x4b02, P('Origin', 'Int64')],
  [0x4b03, P('MarkIn', 'Int64')],
  [0x4b04, P('MarkOut', 'Int64')],
  [0x4b05, P('UserPos', 'Int64')],
  // Parameter, ConstantValue, VaryingValue
  [0x4c01, P('Definition', 'AUID')],
  [0x4d01, P('Value', 'Indirect')],
  [0x4e01, P('Interpolation', 'Reference')],
  [0x4e02, P('PointList', 'Reference')],
  // RIFFChunk
  [0x4f01, P('ChunkID', 'UInt32')],
  [0x4f02, P('ChunkLength', 'UInt32')],
  [0x4f03, P('ChunkData', 'Bytes')],
  // TaggedValue
  [0x5001, P('Name', 'String')],
  [0x5003, P('Value', 'Indirect')],
  // DescriptiveMarker
  [0x6101, P('Description', 'Reference')],
  [0x6102, P('DescribedSlots', 'UInt32Array')],
]);

const SMPTE_TYPE = (prefix: string) => `${prefix}-0000-0000-060e-2b3401040101`;

/** Type AUIDs that Indirect values and dynamic property definitions name (aaf.md §7). */
export const BUILTIN_TYPES: ReadonlyMap<string, AafValueType> = new Map<string, AafValueType>([
  [SMPTE_TYPE('01010100'), 'UInt8'],
  [SMPTE_TYPE('01010200'), 'UInt16'],
  [SMPTE_TYPE('01010300'), 'UInt32'],
  [SMPTE_TYPE('01010400'), 'UInt64'],
  [SMPTE_TYPE('01010500'), 'Int8'],
  [SMPTE_TYPE('01010600'), 'Int16'],
  [SMPTE_TYPE('01010700'), 'Int32'],
  [SMPTE_TYPE('01010800'), 'Int64'],
  [SMPTE_TYPE('01040100'), 'Boolean'],
  [SMPTE_TYPE('03010100'), 'Rational'],
  [SMPTE_TYPE('03010700'), 'TimeStamp'],
  [SMPTE_TYPE('01030100'), 'AUID'],
  [SMPTE_TYPE('01030200'), 'MobID'],
  [SMPTE_TYPE('01100200'), 'String'],
  [SMPTE_TYPE('04100400'), 'Indirect'],
]);

/** Class names of baseline class AUIDs `0d010101-0101-XX00-060e-2b3402060101` by XX (aaf.md §3). */
const BASELINE_CLASSES: Record<number, string> = {
  0x01: 'InterchangeObject', 0x02: 'Component', 0x03: 'Segment', 0x05: 'EssenceGroup', 0x06: 'Event',
  0x08: 'CommentMarker', 0x09: 'Filler', 0x0a: 'OperationGroup', 0x0b: 'NestedScope', 0x0d: 'ScopeReference',
  0x0e: 'Selector', 0x0f: 'Sequence', 0x10: 'SourceReference', 0x11: 'SourceClip', 0x14: 'Timecode',
  0x17: 'Transition', 0x18: 'ContentStorage', 0x19: 'ControlPoint', 0x1a: 'DefinitionObject',
  0x1b: 'DataDefinition', 0x1c: 'OperationDefinition', 0x1d: 'ParameterDefinition', 0x1e: 'PluginDefinition',
  0x1f: 'CodecDefinition', 0x20: 'ContainerDefinition', 0x21: 'InterpolationDefinition', 0x22: 'Dictionary',
  0x23: 'EssenceData', 0x24: 'EssenceDescriptor', 0x25: 'FileDescriptor', 0x26: 'AIFCDescriptor',
  0x27: 'DigitalImageDescriptor', 0x28: 'CDCIDescriptor', 0x29: 'RGBADescriptor', 0x2b: 'TIFFDescriptor',
  0x2c: 'WAVEDescriptor', 0x2d: 'FilmDescriptor', 0x2e: 'TapeDescriptor', 0x2f: 'Header', 0x30: 'Identification',
  0x31: 'Locator', 0x32: 'NetworkLocator', 0x33: 'TextLocator', 0x34: 'Mob', 0x35: 'CompositionMob',
  0x36: 'MasterMob', 0x37: 'SourceMob', 0x38: 'MobSlot', 0x39: 'EventMobSlot', 0x3a: 'StaticMobSlot',
  0x3b: 'TimelineMobSlot', 0x3c: 'Parameter', 0x3d: 'ConstantValue', 0x3e: 'VaryingValue', 0x3f: 'TaggedValue',
  0x40: 'KLVData', 0x41: 'DescriptiveMarker', 0x42: 'SoundDescriptor', 0x43: 'DataEssenceDescriptor',
  0x44: 'MultipleDescriptor', 0x45: 'DescriptiveClip', 0x47: 'AES3PCMDescriptor', 0x48: 'PCMDescriptor',
  0x49: 'PhysicalDescriptor', 0x4a: 'ImportDescriptor', 0x4b: 'RecordingDescriptor', 0x4c: 'TaggedValueDefinition',
  0x4d: 'KLVDataDefinition', 0x4e: 'AuxiliaryDescriptor', 0x4f: 'RIFFChunk', 0x50: 'BWFImportDescriptor',
};

/** Meta classes of the MetaDictionary (`0d010101-02XX-0000-060e-2b3402060101`). */
const META_CLASSES: Record<number, string> = {
  0x01: 'ClassDefinition', 0x02: 'PropertyDefinition', 0x03: 'TypeDefinition', 0x04: 'TypeDefinitionInteger',
  0x05: 'TypeDefinitionStrongObjectReference', 0x06: 'TypeDefinitionWeakObjectReference',
  0x07: 'TypeDefinitionEnumeration', 0x08: 'TypeDefinitionFixedArray', 0x09: 'TypeDefinitionVariableArray',
  0x0a: 'TypeDefinitionSet', 0x0b: 'TypeDefinitionString', 0x0c: 'TypeDefinitionStream',
  0x0d: 'TypeDefinitionRecord', 0x0e: 'TypeDefinitionRename', 0x20: 'TypeDefinitionExtendibleEnumeration',
  0x21: 'TypeDefinitionIndirect', 0x22: 'TypeDefinitionOpaque', 0x23: 'TypeDefinitionCharacter',
  0x24: 'MetaDefinition', 0x25: 'MetaDictionary',
};

/** The AAF Root class (the root storage's CLSID). */
export const ROOT_CLASS = 'b3b398a5-1c90-11d4-8053-080036210804';

/** The baseline or meta class name of a class AUID, when it is one. */
export function builtinClassName(auid: string): string | undefined {
  if (auid === ROOT_CLASS) return 'Root';
  const m = /^0d010101-0(1|2)([0-9a-f]{2})-([0-9a-f]{2})00-060e-2b3402060101$/.exec(auid);
  if (!m) return undefined;
  if (m[1] === '1' && m[2] === '01') return BASELINE_CLASSES[parseInt(m[3] as string, 16)];
  if (m[1] === '2' && m[3] === '00') return META_CLASSES[parseInt(m[2] as string, 16)];
  return undefined;
}
