/**
 * What the import views need from the worker, for one target (a new workflow, or a new version of one workflow).
 * `importApi` builds it on any sending function: the content script's, or an extension page's (the package viewer
 * names the host it imports into; pages get no pushed updates, so they follow the job by asking).
 */
import type {
  ImportCheck,
  ImportContext,
  ImportSnapshot,
  ImportSourceMessage,
  ImportTargetMessage,
  WorkerResponse,
} from '../../lib/protocol';
import type { SendToWorker } from '../../lib/protocol/channel';

export interface ImportChoices {
  checkId: string;
  name?: string;
  backup: boolean;
  envChoices: Record<string, 'overwrite' | 'keep'>;
  /** Typed by the user; handed straight to the worker, never kept by the view after sending. */
  secureValues: Record<string, string>;
}

export interface ImportApi {
  target: ImportTargetMessage;
  context(): Promise<WorkerResponse<ImportContext>>;
  check(source: ImportSourceMessage): Promise<WorkerResponse<ImportCheck>>;
  apply(choices: ImportChoices): Promise<WorkerResponse<ImportSnapshot>>;
  cancel(jobId: string): Promise<WorkerResponse<ImportSnapshot>>;
  status(jobId: string): Promise<WorkerResponse<ImportSnapshot>>;
  /** The import this tab has under way (or just finished); pages without a tab answer null. */
  current(): Promise<WorkerResponse<ImportSnapshot | null>>;
  subscribe(listener: (job: ImportSnapshot) => void): () => void;
}

export function importApi(
  send: SendToWorker,
  target: ImportTargetMessage,
  options: {
    /** The platform to import into, for an extension page (the viewer); a platform page imports into its own. */
    host?: string;
    subscribe?: ImportApi['subscribe'];
  } = {},
): ImportApi {
  const { host } = options;
  return {
    target,
    context: () => send({ type: 'import:context', target, host }),
    check: (source) => send({ type: 'import:check', source, target, host }),
    apply: (choices) => send({ type: 'import:apply', ...choices, host }),
    cancel: (jobId) => send({ type: 'import:cancel', jobId }),
    status: (jobId) => send({ type: 'import:status', jobId }),
    current: async () => (host ? { ok: true, data: null } : send({ type: 'import:current', target })),
    subscribe: options.subscribe ?? (() => () => undefined),
  };
}
