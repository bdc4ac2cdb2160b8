/**
 * Decoding of Kubernetes protobuf request bodies for the few built-in kinds kubectl's typed clients send that way
 * (`kubectl create configmap|secret|namespace`): the `k8s\0` envelope (runtime.Unknown) around the object's message.
 * Responses stay JSON (clients accept it). Other kinds are a 415, as from a server without protobuf for them.
 */
import { errors } from '../errors';
import type { JsonObject } from '../types';

type FieldType =
  'string' | 'bytes' | 'int' | 'bool' | 'time' | 'strings' | 'map' | 'bytesMap' | Descriptor | [Descriptor];
interface Descriptor {
  [field: number]: [string, FieldType];
}

const TIME: Descriptor = { 1: ['seconds', 'int'], 2: ['nanos', 'int'] };
const OWNER: Descriptor = {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool'],
  7: ['blockOwnerDeletion', 'bool'],
};
const OBJECT_META: Descriptor = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int'],
  10: ['deletionGracePeriodSeconds', 'int'],
  11: ['labels', 'map'],
  12: ['annotations', 'map'],
  13: ['ownerReferences', [OWNER]],
  14: ['finalizers', 'strings'],
};
const KINDS: Record<string, Descriptor> = {
  'v1/ConfigMap': {
    1: ['metadata', OBJECT_META],
    2: ['data', 'map'],
    3: ['binaryData', 'bytesMap'],
    4: ['immutable', 'bool'],
  },
  'v1/Secret': {
    1: ['metadata', OBJECT_META],
    2: ['data', 'bytesMap'],
    3: ['type', 'string'],
    4: ['stringData', 'map'],
    5: ['immutable', 'bool'],
  },
  'v1/Namespace': { 1: ['metadata', OBJECT_META], 2: ['spec', { 1: ['finalizers', 'strings'] }] },
};
const UNKNOWN: Descriptor = {
  1: ['typeMeta', { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] }],
  2: ['raw', 'bytes'],
};

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw errors.badRequest('truncated protobuf');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  bytes(): Buffer {
    const n = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw errors.badRequest('unsupported protobuf wire type');
  }
}

function list<T>(out: JsonObject, name: string): T[] {
  if (!Array.isArray(out[name])) out[name] = [];
  return out[name] as T[];
}

function decodeMessage(buf: Buffer, desc: Descriptor): JsonObject {
  const r = new Reader(buf);
  const out: JsonObject = {};
  while (!r.done) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    const spec = desc[field];
    if (!spec) {
      r.skip(wire);
      continue;
    }
    const [name, type] = spec;
    if (type === 'int') out[name] = r.varint();
    else if (type === 'bool') out[name] = r.varint() !== 0;
    else {
      const b = r.bytes();
      if (type === 'string') out[name] = b.toString('utf8');
      else if (type === 'bytes') out[name] = b;
      else if (type === 'strings') list<string>(out, name).push(b.toString('utf8'));
      else if (type === 'map' || type === 'bytesMap') {
        const entry = decodeMessage(b, { 1: ['k', 'string'], 2: ['v', type === 'map' ? 'string' : 'bytes'] });
        const map = (out[name] as JsonObject | undefined) ?? (out[name] = {});
        (map as JsonObject)[String(entry.k ?? '')] =
          type === 'map' ? (entry.v ?? '') : Buffer.from((entry.v as Buffer) ?? []).toString('base64');
      } else if (type === 'time') {
        const t = decodeMessage(b, TIME);
        out[name] = new Date(Number(t.seconds ?? 0) * 1000).toISOString().replace('.000Z', 'Z');
      } else if (Array.isArray(type)) {
        list<JsonObject>(out, name).push(decodeMessage(b, type[0]));
      } else out[name] = decodeMessage(b, type);
    }
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export function decodeProtobufObject(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw errors.badRequest('protobuf body without the k8s envelope');
  const unknown = decodeMessage(body.subarray(4), UNKNOWN);
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const key = `${typeMeta.apiVersion}/${typeMeta.kind}`;
  const desc = KINDS[key];
  if (!desc) {
    throw errors.unsupportedMediaType('application/vnd.kubernetes.protobuf', ['application/json', 'application/yaml']);
  }
  const obj = decodeMessage((unknown.raw as Buffer | undefined) ?? Buffer.alloc(0), desc);
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...obj };
}
