/** The NDJSON lines of POST /execute, as @e2b/code-interpreter parses them (one JSON object per line, no blanks). */
export type OutputMessage =
  | { type: 'stdout' | 'stderr'; text: string; timestamp: string }
  | ({ type: 'result'; is_main_result: boolean } & Record<string, unknown>)
  | { type: 'error'; name: string; value: string; traceback: string }
  | { type: 'number_of_executions'; execution_count: number }
  | { type: 'end_of_execution' }
  | { type: 'unexpected_end_of_execution' };

/** What a kernel driver reports over its event pipe. */
export type KernelEvent =
  | { type: 'stdout' | 'stderr'; text: string }
  | ({ type: 'result'; is_main_result: boolean } & Record<string, unknown>)
  | { type: 'error'; name: string; value: string; traceback: string }
  | { type: 'done' }
  | { type: 'ready' };

export function toLine(message: OutputMessage): string {
  return JSON.stringify(message) + '\n';
}
