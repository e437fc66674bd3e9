/** The sandbox's in-memory state (also what `--state FILE` holds as JSON). */
export type AccountRole = 'Master Admin' | 'Admin' | 'Member' | 'Viewer';
export type ToolRole = 'tool admin' | 'tool manager' | 'tool editor' | 'tool viewer';
export type VersionState = 'in-development' | 'deployed' | 'saved';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface User {
  id: string;
  email: string;
  name: string;
  password: string;
  accountRole: AccountRole;
}

export interface ApiKey {
  id: string;
  name: string;
  key: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface SharingEntry {
  userId: string;
  email: string;
  role: ToolRole;
}

export interface AuditLog {
  id: string;
  event: string;
  category: string;
  user: string;
  at: string;
  description: string;
  metadata: JsonObject;
}

export interface EnvVariable {
  name: string;
  value: string;
  secure: boolean;
  notes: string;
  [key: string]: Json;
}

export interface Version {
  id: string;
  name: string;
  description: string;
  state: VersionState;
  createdAt: string;
  updatedAt: string;
  /** app_definition.json minus `schemaVersion`, `workflow` and `version` (composed on read). */
  app: JsonObject;
  /** flow_definition.json as a whole (schemaVersion, nodes, any unknown keys). */
  flow: JsonObject;
  /** env_variables.json as a whole ({schemaVersion, variables}). */
  env: { schemaVersion: string; variables: EnvVariable[]; [key: string]: Json };
}

export interface Workflow {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  deployedVersionId: string | null;
  apiKeys: ApiKey[];
  sharing: SharingEntry[];
  auditLogs: AuditLog[];
  versions: Version[];
}

export interface StoredFile {
  id: string;
  name: string;
  fileContext: string;
  ownerId: string;
  uploadedAt: number;
  base64: string;
}

export type JobAction = 'IMPORT' | 'EXPORT' | 'DEPLOY' | 'UNDEPLOY';
export type JobStatus = 'IN_PROGRESS' | 'SUCCESS' | 'FAILED';

export interface Job {
  _id: string;
  workflowId: string;
  jobType: 'WORKFLOWS';
  action: JobAction;
  status: JobStatus;
  userId: string;
  createdAt: string;
  completedAt?: string;
  exportJobId?: string;
  versionId?: string;
  fileName?: string;
  error?: { code: string; message: string; details?: Json };
  warnings?: Array<{ code: string; message: string; details?: Json }>;
  result?: JsonObject;
}

export interface Session {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
}

export interface SandboxState {
  account: { id: string; name: string };
  users: User[];
  managementApiKeys: Array<{ key: string; userId: string; name: string }>;
  models: Array<{ id: string; name: string; provider: string }>;
  guardrails: { deployed: string[]; available: string[] };
  customScripts: Array<{ name: string; functions: string[] }>;
  workflows: Workflow[];
  files: StoredFile[];
  jobs: Job[];
}
