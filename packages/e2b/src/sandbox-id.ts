/**
 * Sandbox IDs. An ID is handed out at claim time, stored in the sandbox's `agents.kruise.io/sandbox-id` label and
 * appears in host names (`<port>-<id>.<domain>`), so it must be a DNS label: short, lowercase, no dots. Sandboxes
 * without the label (claimed by a SandboxClaim, say) answer to the legacy form `<namespace>--<name>`.
 */
import { Annotations, Labels, type Sandbox } from '@kruise-agents/api';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** 16 base32 characters: 80 random bits. */
export const SANDBOX_ID_LENGTH = 16;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A fresh sandbox ID from `randomBytes` (node's crypto.randomBytes, or a seeded source in tests). */
export function newSandboxId(randomBytes: (size: number) => Uint8Array): string {
  const bytes = randomBytes(SANDBOX_ID_LENGTH);
  let id = '';
  for (let i = 0; i < SANDBOX_ID_LENGTH; i++) id += ALPHABET[bytes[i]! & 31];
  // A leading digit is valid in a DNS label, but a letter keeps IDs from ever looking like a port number.
  return /^[0-9]/.test(id) ? `s${id.slice(1)}` : id;
}

/** True for a string that can be a sandbox ID (a DNS label). */
export function isValidSandboxId(id: string): boolean {
  return DNS_LABEL.test(id);
}

export function legacySandboxId(namespace: string, name: string): string {
  return `${namespace}--${name}`;
}

const ISSUED_ID = new RegExp(`^[a-z][a-z2-7]{${SANDBOX_ID_LENGTH - 1}}$`);

/**
 * The ID a sandbox answers to: its label; else, for a claimed sandbox whose lock is an ID this scheme issued, the
 * lock (the gateway claims with the new ID as the lock value, so the claim's one write also names the sandbox and the
 * label follows later); else the legacy `<namespace>--<name>`.
 */
export function sandboxIdOf(sandbox: Pick<Sandbox, 'metadata'>): string {
  const label = sandbox.metadata.labels?.[Labels.SandboxId];
  if (label) return label;
  const lock = sandbox.metadata.annotations?.[Annotations.Lock];
  if (lock && ISSUED_ID.test(lock) && sandbox.metadata.labels?.[Labels.SandboxClaimed] === 'true') return lock;
  return legacySandboxId(sandbox.metadata.namespace ?? 'default', sandbox.metadata.name ?? '');
}

/** Splits a legacy ID back into namespace and name; undefined for a short ID. */
export function parseLegacySandboxId(id: string): { namespace: string; name: string } | undefined {
  const at = id.indexOf('--');
  if (at <= 0 || at + 2 >= id.length) return undefined;
  return { namespace: id.slice(0, at), name: id.slice(at + 2) };
}
