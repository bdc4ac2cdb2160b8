/**
 * Who a request runs as. Clients name a user (Basic auth or ?username=); when the daemon is root and that user
 * exists in /etc/passwd, processes get its uid/gid and files its ownership. Otherwise (a dev machine, or a
 * template without the user) everything runs as the daemon's own user and only HOME/USER reflect the name.
 */
import fs from 'node:fs';
import os from 'node:os';
import { RuntimeError } from './errors';

export interface SandboxUser {
  name: string;
  /** Sandbox path of the home directory. */
  home: string;
  /** Set only when the daemon can and does switch to this user. */
  uid?: number;
  gid?: number;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

const NAME = /^[a-z_][a-z0-9_.-]{0,31}\$?$/i;

export class UserDirectory {
  private readonly canSwitch = typeof process.getuid === 'function' && process.getuid() === 0;
  private passwd: Map<string, PasswdEntry> | undefined;
  private names: { users: Map<number, string>; groups: Map<number, string> } | undefined;

  /**
   * @param switchUsers only when the daemon owns the machine's users (root "/"): with a path-mapped root,
   *   the host's /etc/passwd says nothing about the sandbox.
   */
  constructor(private readonly switchUsers: boolean) {}

  get switching(): boolean {
    return this.switchUsers && this.canSwitch;
  }

  lookup(name: string, isDefault: boolean): SandboxUser {
    if (!NAME.test(name)) throw new RuntimeError('unauthenticated', `invalid user "${name}"`);
    const fallbackHome = name === 'root' ? '/root' : `/home/${name}`;
    if (!this.switching) return { name, home: fallbackHome };
    const entry = this.readPasswd().get(name);
    if (entry) return { name, home: entry.home || fallbackHome, uid: entry.uid, gid: entry.gid };
    // The default user of a template that never created it: run as ourselves rather than fail every call.
    if (isDefault) return { name, home: fallbackHome };
    throw new RuntimeError('unauthenticated', `user "${name}" does not exist`);
  }

  ownerName(uid: number): string {
    return this.idNames().users.get(uid) ?? String(uid);
  }

  groupName(gid: number): string {
    return this.idNames().groups.get(gid) ?? String(gid);
  }

  private readPasswd(): Map<string, PasswdEntry> {
    // Re-read occasionally is unnecessary: users are created before the daemon serves (envd-run.sh does it first).
    this.passwd ??= new Map(
      parseColonFile('/etc/passwd').map((f) => [
        f[0] ?? '',
        { name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '' },
      ]),
    );
    return this.passwd;
  }

  private idNames(): { users: Map<number, string>; groups: Map<number, string> } {
    if (!this.names) {
      const users = new Map<number, string>();
      const groups = new Map<number, string>();
      for (const f of parseColonFile('/etc/passwd')) if (!users.has(Number(f[2]))) users.set(Number(f[2]), f[0] ?? '');
      for (const f of parseColonFile('/etc/group')) if (!groups.has(Number(f[2]))) groups.set(Number(f[2]), f[0] ?? '');
      const me = os.userInfo();
      if (!users.has(me.uid)) users.set(me.uid, me.username);
      this.names = { users, groups };
    }
    return this.names;
  }
}

function parseColonFile(file: string): string[][] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}
