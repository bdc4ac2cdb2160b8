/**
 * The image table: which local command a container image runs. There are no images here, so a pod's image names an
 * entry of this table; images it does not list run the default entry (the project's agent-runtime). Container
 * command/args/env/workingDir override the entry the way they override an image's ENTRYPOINT/CMD/ENV/WORKDIR.
 *
 * File format (JSON, also accepted inline and as the `images.json` key of a ConfigMap):
 *
 *   {
 *     "images": {
 *       "python:*":      { "command": ["python3"], "args": ["-m", "http.server", "--bind", "$(POD_IP)", "49983"] },
 *       "my/agent:v1":   { "command": ["/opt/agent/run.sh"], "env": { "MODE": "local" } }
 *     },
 *     "default": { "command": ["$(NODE)", "/path/to/agent-runtime/dist/main.js"] }
 *   }
 *
 * Keys match the whole image reference; `*` matches any run of characters. An exact key wins, then globs in order.
 * `$(VAR)` in command, args and env values expands from the container's environment (POD_IP, SANDBOX_ROOT, POD_NAME,
 * POD_NAMESPACE, HOSTNAME and the pod's env) plus NODE, the node binary the local node runs on.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface ImageMapping {
  /** The entrypoint: the program and its fixed arguments. */
  command: string[];
  /** Default arguments (the image's CMD), replaced by the container's args. */
  args?: string[];
  /** Environment the image sets; the container's env wins. */
  env?: Record<string, string>;
  /** Host directory to run in when the container names no workingDir; the sandbox root otherwise. */
  workingDir?: string;
}

export interface ImageMapConfig {
  images?: Record<string, ImageMapping>;
  /** For images the table does not list; the agent-runtime when omitted. */
  default?: ImageMapping;
}

export class ImageMapError extends Error {
  override readonly name = 'ImageMapError';
}

/** The entry that runs the agent-runtime with its listen address and root from the environment (see its config.ts). */
export function agentRuntimeMapping(command: string[]): ImageMapping {
  return {
    command,
    env: { AGENT_RUNTIME_HOST: '$(POD_IP)', AGENT_RUNTIME_ROOT: '$(SANDBOX_ROOT)' },
  };
}

export interface ResolvedImage {
  image: string;
  mapping: ImageMapping;
  /** Stands in for the image digest: changes whenever the image or what it maps to changes. */
  imageID: string;
}

export class ImageMap {
  private readonly exact = new Map<string, ImageMapping>();
  private readonly globs: Array<{ pattern: RegExp; mapping: ImageMapping }> = [];

  constructor(
    config: ImageMapConfig,
    private readonly fallback: ImageMapping,
  ) {
    for (const [key, mapping] of Object.entries(config.images ?? {})) {
      validateMapping(mapping, `images["${key}"]`);
      if (key.includes('*')) this.globs.push({ pattern: globToRegExp(key), mapping });
      else this.exact.set(key, mapping);
    }
    if (config.default) {
      validateMapping(config.default, 'default');
      this.fallback = config.default;
    }
  }

  resolve(image: string): ResolvedImage {
    const mapping = this.exact.get(image) ?? this.globs.find((g) => g.pattern.test(image))?.mapping ?? this.fallback;
    const digest = createHash('sha256').update(JSON.stringify({ image, mapping })).digest('hex');
    return { image, mapping, imageID: `local-node://sha256:${digest}` };
  }
}

/** Parses the JSON table (file contents, a ConfigMap value or an inline object) and checks its shape. */
export function parseImageMap(source: string | ImageMapConfig, where = 'image map'): ImageMapConfig {
  let config: unknown = source;
  if (typeof source === 'string') {
    try {
      config = JSON.parse(source);
    } catch (error) {
      throw new ImageMapError(`${where}: not JSON: ${(error as Error).message}`);
    }
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ImageMapError(`${where}: must be an object with "images" and/or "default"`);
  }
  const { images, default: fallback } = config as ImageMapConfig;
  if (images !== undefined && (typeof images !== 'object' || images === null || Array.isArray(images))) {
    throw new ImageMapError(`${where}: "images" must map image patterns to entries`);
  }
  try {
    for (const [key, mapping] of Object.entries(images ?? {})) validateMapping(mapping, `images["${key}"]`);
    if (fallback !== undefined) validateMapping(fallback, 'default');
  } catch (error) {
    throw new ImageMapError(`${where}: ${(error as Error).message}`);
  }
  return { images, default: fallback };
}

export function loadImageMapFile(path: string): ImageMapConfig {
  return parseImageMap(readFileSync(path, 'utf8'), path);
}

function validateMapping(mapping: unknown, where: string): asserts mapping is ImageMapping {
  const m = mapping as Partial<ImageMapping> | null;
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (typeof m !== 'object' || m === null) throw new ImageMapError(`${where} must be an object`);
  if (!strings(m.command) || m.command!.length === 0) {
    throw new ImageMapError(`${where}.command must be a non-empty array of strings`);
  }
  if (m.args !== undefined && !strings(m.args)) throw new ImageMapError(`${where}.args must be an array of strings`);
  if (m.env !== undefined && !Object.values(m.env).every((v) => typeof v === 'string')) {
    throw new ImageMapError(`${where}.env must map names to strings`);
  }
  if (m.workingDir !== undefined && typeof m.workingDir !== 'string') {
    throw new ImageMapError(`${where}.workingDir must be a string`);
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}
