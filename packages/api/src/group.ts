/** The API group and version of every kind in this package. */
export const GROUP = 'agents.kruise.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}` as const;
