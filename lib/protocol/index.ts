/**
 * The protocol between content scripts, extension pages and the worker: every feature's messages in one table.
 * A new feature adds its module beside the others and one entry below; nothing else changes.
 */
import * as z from 'zod/mini';
import type { MessageSpecs } from './common';
import { workflowMessages } from './workflow';
import { exportMessages } from './export';
import { viewerMessages } from './viewer';
import { importMessages } from './import';
import { bulkMessages } from './bulk';
import { libraryMessages } from './library';

export const MESSAGES = {
  ...workflowMessages,
  ...exportMessages,
  ...viewerMessages,
  ...importMessages,
  ...bulkMessages,
  ...libraryMessages,
} satisfies MessageSpecs;

export type MessageType = keyof typeof MESSAGES;
export type RequestOf<K extends MessageType> = { type: K } & z.infer<(typeof MESSAGES)[K]['request']>;
export type ResponseOf<K extends MessageType> = z.infer<(typeof MESSAGES)[K]['response']>;
export type WorkerRequest = { [K in MessageType]: RequestOf<K> }[MessageType];

function isMessageType(type: unknown): type is MessageType {
  return typeof type === 'string' && Object.hasOwn(MESSAGES, type);
}

/** The request, checked against its type's schema; null for anything else (another listener's message, garbage). */
export function parseRequest(message: unknown): WorkerRequest | null {
  if (typeof message !== 'object' || message === null) return null;
  const type = (message as { type?: unknown }).type;
  if (!isMessageType(type)) return null;
  const parsed = MESSAGES[type].request.safeParse(message);
  return parsed.success ? ({ ...(parsed.data as object), type } as WorkerRequest) : null;
}

export * from './common';
export * from './workflow';
export * from './export';
export * from './viewer';
export * from './import';
export * from './bulk';
export * from './library';
export * from './tab';
