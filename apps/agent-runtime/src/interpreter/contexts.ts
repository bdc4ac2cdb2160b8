/**
 * Code contexts: one executor (kernel) per context, created lazily, plus a default context per language.
 * The execution counter is per context, like a Jupyter kernel's.
 */
import crypto from 'node:crypto';
import type { RuntimeState } from '../envd/state';
import { RuntimeError } from '../envd/errors';
import { bashExecutor } from './bash';
import { javascriptKernel } from './javascript/kernel';
import type { KernelEvent } from './messages';
import { pythonKernel } from './python/kernel';

export const LANGUAGES = ['python', 'javascript', 'typescript', 'bash'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Executor {
  execute(command: Record<string, unknown>, sink: (event: KernelEvent) => void, signal: AbortSignal): Promise<void>;
  shutdown(): void;
}

export interface CodeContext {
  id: string;
  language: Language;
  cwd: string;
  executionCount: number;
  executor: Executor;
}

/** Normalises a client language name (js → javascript, ts → typescript); throws for ones we cannot run. */
export function normaliseLanguage(raw: unknown): Language {
  if (raw === undefined || raw === null || raw === '') return 'python';
  if (typeof raw !== 'string') throw new RuntimeError('invalid_argument', 'language must be a string');
  const lower = raw.toLowerCase();
  const aliased = lower === 'js' ? 'javascript' : lower === 'ts' ? 'typescript' : lower === 'sh' ? 'bash' : lower;
  if (!(LANGUAGES as readonly string[]).includes(aliased)) {
    throw new RuntimeError(
      'invalid_argument',
      `language "${raw}" is not supported (supported: ${LANGUAGES.join(', ')})`,
    );
  }
  return aliased as Language;
}

export class ContextRegistry {
  private readonly contexts = new Map<string, CodeContext>();
  private readonly defaults = new Map<Language, string>();

  constructor(private readonly state: RuntimeState) {}

  create(language: Language, cwd?: string): CodeContext {
    const user = this.state.user(undefined);
    const sandboxCwd = cwd ? this.state.fs.sandboxPath(cwd, user.home) : this.state.workdir(user);
    const executor =
      language === 'python'
        ? pythonKernel(this.state, user, sandboxCwd)
        : language === 'bash'
          ? bashExecutor(this.state, user, sandboxCwd)
          : javascriptKernel(this.state, user, sandboxCwd, language === 'typescript');
    const context: CodeContext = { id: crypto.randomUUID(), language, cwd: sandboxCwd, executionCount: 0, executor };
    this.contexts.set(context.id, context);
    return context;
  }

  defaultFor(language: Language): CodeContext {
    const id = this.defaults.get(language);
    const existing = id ? this.contexts.get(id) : undefined;
    if (existing) return existing;
    const context = this.create(language);
    this.defaults.set(language, context.id);
    return context;
  }

  get(id: string): CodeContext {
    const context = this.contexts.get(id);
    if (!context) throw new RuntimeError('not_found', `context ${id} not found`);
    return context;
  }

  list(): CodeContext[] {
    return [...this.contexts.values()];
  }

  restart(id: string): void {
    const context = this.get(id);
    context.executor.shutdown();
    context.executionCount = 0;
  }

  remove(id: string): void {
    this.get(id).executor.shutdown();
    this.contexts.delete(id);
    for (const [language, defaultId] of this.defaults) if (defaultId === id) this.defaults.delete(language);
  }

  closeAll(): void {
    for (const context of this.contexts.values()) context.executor.shutdown();
    this.contexts.clear();
    this.defaults.clear();
  }
}
