/**
 * Template revisions: a stable hash of what a SandboxSet stamps onto the sandboxes it creates, and of a Sandbox's own
 * pod template.
 *
 * The hash is FNV-1 (32-bit, the non-"a" variant) over a canonical JSON (object keys sorted, undefined dropped), written
 * in decimal and passed through Kubernetes' SafeEncodeString alphabet, so it never spells words and is a valid label
 * value. It is stable across processes and key orders. It is not byte-compatible with the Go controller's hashes
 * (those depend on Go struct field order); Kruise Agents only compares hashes it computed itself.
 */
import type { Sandbox, SandboxSet, SandboxTemplate } from '@kruise-agents/api';
import { CoreError } from './errors';

/** JSON with object keys sorted at every level and undefined members dropped, so equal values serialise equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1 32-bit over the UTF-8 bytes of `text` (hash × prime, then xor), as Go's hash/fnv New32. */
export function fnv32(text: string): number {
  let hash = FNV32_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash, FNV32_PRIME) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash >>> 0;
}

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' rand.SafeEncodeString: maps each character onto an alphabet without vowels (and without 0, 1, 3). */
export function safeEncode(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += SAFE_ALPHANUMS[byte % SAFE_ALPHANUMS.length];
  return out;
}

/** The revision string of any JSON value: safeEncode(decimal(fnv32(canonicalJson(value)))). */
export function hashRevision(value: unknown): string {
  return safeEncode(String(fnv32(canonicalJson(value))));
}

/** What a SandboxSet stamps onto each sandbox; the input of its updateRevision. */
export interface EffectiveTemplate {
  template: unknown;
  volumeClaimTemplates?: unknown;
  persistentContents?: unknown;
  runtimes?: unknown;
  pauseStrategy?: unknown;
}

/**
 * The SandboxSet's effective template: its own template, or (templateRef) the referenced SandboxTemplate's, plus the
 * SandboxSet's volumeClaimTemplates, persistentContents, runtimes and pauseStrategy.
 * Throws CoreError TemplateNotResolved when the set uses templateRef and `referenced` is missing or misnamed.
 */
export function effectiveTemplate(set: SandboxSet, referenced?: SandboxTemplate): EffectiveTemplate {
  const { spec } = set;
  let template: unknown = spec.template;
  if (spec.templateRef) {
    if (!referenced || referenced.metadata.name !== spec.templateRef.name) {
      throw new CoreError(
        'TemplateNotResolved',
        `SandboxSet ${set.metadata.namespace ?? ''}/${set.metadata.name ?? ''} references SandboxTemplate ` +
          `"${spec.templateRef.name}": pass that SandboxTemplate to compute its revision`,
      );
    }
    template = referenced.spec.template;
  }
  return {
    template,
    volumeClaimTemplates: spec.volumeClaimTemplates,
    persistentContents: spec.persistentContents,
    runtimes: spec.runtimes,
    pauseStrategy: spec.pauseStrategy,
  };
}

/** The SandboxSet's status.updateRevision; sandboxes whose template-hash label equals it are up to date. */
export function sandboxSetRevision(set: SandboxSet, referenced?: SandboxTemplate): string {
  return hashRevision(effectiveTemplate(set, referenced));
}

/**
 * A Sandbox's status.updateRevision and its pod's `pod-template-hash` label: the hash of spec.template, or of
 * spec.templateRef for a sandbox that references a SandboxTemplate. A change means the pod must be updated.
 */
export function sandboxTemplateHash(sandbox: Pick<Sandbox, 'spec'>): string {
  return hashRevision(sandbox.spec.templateRef ?? sandbox.spec.template ?? null);
}
