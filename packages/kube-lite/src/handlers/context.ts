/** What a request handler gets: the server's state and the parsed request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/io';
import type { ResourceRequest } from '../http/request-info';
import type { Ctx } from '../rest/objects';
import type { KubeObject, ResourceType } from '../types';
import { apiVersionOf } from '../types';
import type { WatchHub } from '../watch/hub';

export interface ServerState extends Ctx {
  hub: WatchHub;
  /** The server's bearer token: it also presents it to nodes, whose log endpoints accept the API server's token. */
  token: string;
}

export interface HandlerRequest {
  state: ServerState;
  info: ResourceRequest;
  type: ResourceType;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}

/** Answers a write once it is durable (group commit: the disk write of this event-loop turn). */
export async function sendDurable(
  h: HandlerRequest,
  code: number,
  body: unknown,
  warnings: string[] = [],
): Promise<void> {
  await h.state.store.durable();
  sendJson(h.res, code, body, warnings);
}

/** The object as this endpoint's version shows it (custom resources of several versions share storage). */
export function present(type: ResourceType, obj: KubeObject): KubeObject {
  const apiVersion = apiVersionOf(type);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

export function partialMetadata(obj: KubeObject, version = 'v1'): unknown {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}
