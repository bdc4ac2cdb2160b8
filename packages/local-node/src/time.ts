/** Kubernetes timestamps have whole seconds (metav1.Time); comparing statuses needs the same precision. */
export function rfc3339(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
