/** What a pure "which event" function decides: the rest (object reference, component, writing) is the recorder's. */
import type { EventType } from '@kruise-agents/kube-runtime';

export interface EventSpec {
  type: EventType;
  reason: string;
  message: string;
}

/** The reporting components, one per controller, as the reference's recorders are named. */
export const EventComponents = {
  Sandbox: 'sandbox-controller',
  SandboxSet: 'sandboxset-controller',
  SandboxClaim: 'sandboxclaim-controller',
} as const;
