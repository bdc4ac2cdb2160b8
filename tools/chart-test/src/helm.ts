/** Finds the real helm (PATH, or where `go install` puts it) and runs it. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const INSTALL_HINT = 'go install helm.sh/helm/v3/cmd/helm@v3.22.0';

export function findHelm(): string | undefined {
  for (const candidate of ['helm', join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin', 'helm')]) {
    try {
      execFileSync(candidate, ['version', '--short'], { stdio: 'pipe' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return existsSync('/usr/local/bin/helm') ? '/usr/local/bin/helm' : undefined;
}

export function helm(binary: string, args: string[]): string {
  return execFileSync(binary, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
