/**
 * The names the local node and its users (the operator, tests, kubectl) agree on. The operator pauses a sandbox with
 * pauseStrategy Freeze by setting the Frozen annotation on its pod; the node reports what it did in the pod's status.
 */

import { PodFreeze } from '@kruise-agents/api';

/** Pod annotation, set by the operator: "true" freezes every process of the pod (memory kept); removing it thaws. */
export const FROZEN_ANNOTATION = PodFreeze.Annotation;

export const PodConditions = {
  /** True while the pod's processes are stopped by the node (Ready is False with reason Frozen meanwhile). */
  Frozen: PodFreeze.Condition,
  /**
   * How the node isolates the pod: True with reason Bubblewrap, False with reason None (plain processes) or Virtual
   * (no process at all).
   */
  Isolated: 'Isolated',
} as const;

/** Condition reasons the node writes. */
export const Reasons = {
  Frozen: 'Frozen',
  Bubblewrap: 'Bubblewrap',
  None: 'None',
  Virtual: 'Virtual',
} as const;

export type Isolation = 'bubblewrap' | 'none' | 'virtual';

/** Ports the agent-runtime listens on in every sandbox, as in a cluster. */
export const ENVD_PORT = 49983;
export const CODE_INTERPRETER_PORT = 49999;

/** Label on the Node object the local node registers (where the API server serves nodes). */
export const LOCAL_NODE_LABEL = 'agents.kruise.io/local-node';
