import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ImageMap, ImageMapError, agentRuntimeMapping, loadImageMapFile, parseImageMap } from './image-map';

const fallback = agentRuntimeMapping(['agent-runtime']);

describe('ImageMap', () => {
  const map = new ImageMap(
    {
      images: {
        'python:*': { command: ['python3'] },
        'python:3.12': { command: ['python3.12'] },
        'registry.local/*/agent:v*': { command: ['/opt/agent'] },
      },
    },
    fallback,
  );

  it.each([
    ['python:3.12', ['python3.12']], // exact beats glob
    ['python:3.11', ['python3']],
    ['registry.local/team/agent:v2', ['/opt/agent']],
    ['registry.local/team/agent:latest', ['agent-runtime']],
    ['busybox', ['agent-runtime']], // unlisted → the default, the agent-runtime
  ])('%s runs %j', (image, command) => {
    expect(map.resolve(image).mapping.command).toEqual(command);
  });

  it('gives a stable imageID that changes with the image or its mapping', () => {
    const a = map.resolve('python:3.11').imageID;
    expect(a).toMatch(/^local-node:\/\/sha256:[0-9a-f]{64}$/);
    expect(map.resolve('python:3.11').imageID).toBe(a);
    expect(map.resolve('python:3.10').imageID).not.toBe(a);
    const other = new ImageMap({ images: { 'python:*': { command: ['python3', '-u'] } } }, fallback);
    expect(other.resolve('python:3.11').imageID).not.toBe(a);
  });

  it('runs the agent-runtime on the pod IP and sandbox root by default', () => {
    expect(fallback.env).toEqual({ AGENT_RUNTIME_HOST: '$(POD_IP)', AGENT_RUNTIME_ROOT: '$(SANDBOX_ROOT)' });
    const withDefault = new ImageMap({ default: { command: ['other'] } }, fallback);
    expect(withDefault.resolve('x').mapping.command).toEqual(['other']);
  });
});

describe('parseImageMap', () => {
  it('reads the JSON file format', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'image-map-'));
    const file = path.join(dir, 'images.json');
    writeFileSync(file, JSON.stringify({ images: { 'a:*': { command: ['a'], args: ['--x'], env: { K: 'v' } } } }));
    expect(loadImageMapFile(file).images?.['a:*']).toEqual({ command: ['a'], args: ['--x'], env: { K: 'v' } });
  });

  it.each([
    ['not json', /not JSON/],
    ['[]', /must be an object/],
    ['{"images": []}', /must map image patterns/],
    ['{"images": {"a": {}}}', /images\["a"\]\.command must be a non-empty array/],
    ['{"images": {"a": {"command": []}}}', /non-empty/],
    ['{"images": {"a": {"command": ["x"], "args": [1]}}}', /args must be an array of strings/],
    ['{"images": {"a": {"command": ["x"], "env": {"K": 1}}}}', /env must map names to strings/],
    ['{"default": {"command": "x"}}', /default\.command/],
  ])('rejects %s', (text, message) => {
    expect(() => parseImageMap(text)).toThrow(ImageMapError);
    expect(() => parseImageMap(text)).toThrow(message);
  });
});
