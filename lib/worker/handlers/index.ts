/** Every feature's handlers in one map, keyed by message type; the type checker makes sure none is missing. */
import type { MessageType } from '../../protocol';
import type { Handlers } from './types';
import { workflowHandlers } from './workflow';
import { exportHandlers } from './export';
import { viewerHandlers } from './viewer';
import { importHandlers } from './import';
import { bulkHandlers } from './bulk';
import { libraryHandlers } from './library';

export const HANDLERS: Handlers<MessageType> = {
  ...workflowHandlers,
  ...exportHandlers,
  ...viewerHandlers,
  ...importHandlers,
  ...bulkHandlers,
  ...libraryHandlers,
};
