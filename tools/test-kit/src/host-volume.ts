import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Resources, type KubeClient } from '@kruise-agents/kube-runtime';

export interface HostVolume {
  /** The host directory behind the PersistentVolume. */
  dir: string;
  /** Removes the directory (the PersistentVolume goes with the test's API server). */
  remove(): void;
}

/**
 * A hostPath PersistentVolume named `name` whose directory holds `files`. Not under /tmp: the local node gives each
 * pod a private /tmp. `mode` is the directory's (files get it without the execute bits): sandbox commands run as an
 * unprivileged user, so a volume they must write to needs 0o777.
 */
export async function createHostVolume(
  kube: KubeClient,
  name: string,
  files: Record<string, string>,
  mode = 0o755,
): Promise<HostVolume> {
  const dir = fs.mkdtempSync(path.join(fs.existsSync('/var/tmp') ? '/var/tmp' : os.homedir(), `${name}-`));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.chmodSync(dir, mode);
    for (const [file, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, file), content);
      fs.chmodSync(path.join(dir, file), mode & 0o666);
    }
    await kube.resource(Resources.PersistentVolume).create({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany'], hostPath: { path: dir } },
    } as never);
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, remove };
}
