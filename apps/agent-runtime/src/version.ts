/**
 * The envd version this runtime reports (to the gateway, which returns it as `envdVersion`). 0.6.4 is the highest
 * SDK feature gate (watchDir allowNetworkMounts) and everything it unlocks is implemented: closeStdin (0.5.2),
 * octet-stream and gzip uploads (0.5.7), file metadata (0.6.2), watchDir includeEntry (0.6.3). No higher, so a
 * future SDK gate is not switched on for a feature that does not exist here.
 */
export const ENVD_VERSION = '0.6.4';
