/**
 * The sandbox's core: state, sessions, authentication, permissions, jobs and persistence.
 * Routes (api.ts, public-api.ts) call into this; server.ts wires it to node:http.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { Faults } from './faults.ts';
import { HttpError, forbidden, notFound, parseCookies, unauthenticated, type Ctx } from './http.ts';
import { newAuditId, newDockStatusId, newToken } from './ids.ts';
import type { JobProblem } from './import.ts';
import { can, type ToolPermission } from './roles.ts';
import { generatedWorkflows, parseWorkflowCount } from './scale.ts';
import { createSeedState } from './seed.ts';
import type { Job, JsonObject, SandboxState, Session, ToolRole, User, Version, Workflow } from './types.ts';

export const SESSION_COOKIE = 'afp_session';
export const CSRF_HEADER = 'x-csrf-token';
const FILE_TTL_MS = 24 * 60 * 60 * 1000;

export interface Principal {
  user: User;
  via: 'apiKey' | 'session';
  session?: Session;
}

export interface SandboxOptions {
  statePath?: string;
  /** How long a job stays IN_PROGRESS; default a random 50–150 ms. */
  jobDelayMs?: number;
  /** How many generated workflows (scale.ts) to seed after the five; default none. */
  workflows?: number;
}

/** A failure inside a job (ends as FAILED with this error). */
export class JobFailure extends Error {
  constructor(readonly problem: JobProblem) {
    super(problem.message);
  }
}

export class Sandbox {
  state: SandboxState;
  sessions = new Map<string, Session>();
  readonly faults = new Faults();
  /** Built export zips, by exportJobId (not persisted; rebuilt on demand). */
  readonly exports = new Map<string, { bytes: Uint8Array; fileName: string }>();
  private timers = new Set<NodeJS.Timeout>();
  private saveTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private readonly generatedCount: number;

  constructor(readonly options: SandboxOptions = {}) {
    this.generatedCount = parseWorkflowCount(options.workflows ?? 0);
    this.state = this.seeded();
    if (options.statePath && existsSync(options.statePath)) {
      const saved = JSON.parse(readFileSync(options.statePath, 'utf8')) as {
        state?: SandboxState;
        sessions?: Session[];
      };
      if (saved.state) this.state = saved.state;
      for (const s of saved.sessions ?? []) this.sessions.set(s.id, s);
      // Jobs interrupted by a stop never finish; mark them failed.
      for (const job of this.state.jobs) {
        if (job.status === 'IN_PROGRESS') {
          job.status = 'FAILED';
          job.error = { code: 'INTERNAL', message: 'The sandbox stopped while this job was running.' };
        }
      }
    }
  }

  // ------------------------------------------------------------ persistence

  changed() {
    if (!this.options.statePath || this.closed) return;
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, 100);
  }

  saveNow() {
    const path = this.options.statePath;
    if (!path) return;
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(
      tmp,
      JSON.stringify({ version: 1, state: this.state, sessions: [...this.sessions.values()] }),
    );
    renameSync(tmp, path);
  }

  /** The seeded five, then the generated workflows asked for. */
  private seeded(): SandboxState {
    const state = createSeedState();
    state.workflows.push(...generatedWorkflows(this.generatedCount));
    return state;
  }

  reset() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.state = this.seeded();
    this.exports.clear();
    this.faults.clear();
    this.changed();
  }

  close() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.saveNow();
    this.closed = true;
  }

  // ------------------------------------------------------------ authentication

  sessionFromRequest(ctx: Ctx): Session | undefined {
    const id = parseCookies(ctx.req.headers.cookie)[SESSION_COOKIE];
    return id ? this.sessions.get(id) : undefined;
  }

  /** Resolves the caller; 401 without credentials; 403 when a session mutation lacks the CSRF token. */
  authenticate(ctx: Ctx, opts: { mutation?: boolean } = {}): Principal {
    const apiKey = ctx.req.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) {
      const entry = this.state.managementApiKeys.find((k) => k.key === apiKey);
      const user = entry && this.state.users.find((u) => u.id === entry.userId);
      if (!user) throw unauthenticated('The API key is not valid.');
      return { user, via: 'apiKey' };
    }
    const session = this.sessionFromRequest(ctx);
    const user = session && this.state.users.find((u) => u.id === session.userId);
    if (!session || !user) throw unauthenticated();
    if (opts.mutation ?? !['GET', 'HEAD'].includes(ctx.method)) {
      const token = ctx.req.headers[CSRF_HEADER];
      if (typeof token !== 'string' || !safeEqual(token, session.csrfToken)) {
        throw forbidden(
          'Missing or invalid CSRF token (send the x-csrf-token header from GET /api/session).',
          { reason: 'CSRF' },
        );
      }
    }
    return { user, via: 'session', session };
  }

  createSession(user: User): Session {
    const session: Session = {
      id: newToken(32),
      userId: user.id,
      csrfToken: newToken(32),
      createdAt: Date.now(),
    };
    this.sessions.set(session.id, session);
    this.changed();
    return session;
  }

  endSession(id: string) {
    this.sessions.delete(id);
    this.changed();
  }

  // ------------------------------------------------------------ workflows and permissions

  roleOf(user: User, workflow: Workflow): ToolRole | null {
    return workflow.sharing.find((s) => s.userId === user.id)?.role ?? null;
  }

  /** The workflow, or 404 when it does not exist or the caller has no role on it. */
  workflowFor(principal: Principal, id: string): { workflow: Workflow; role: ToolRole } {
    const workflow = this.state.workflows.find((w) => w.id === id);
    const role = workflow ? this.roleOf(principal.user, workflow) : null;
    if (!workflow || !role) throw notFound('Workflow not found.');
    return { workflow, role };
  }

  require(role: ToolRole, permission: ToolPermission, message: string) {
    if (!can(role, permission)) throw forbidden(message, { role, permission });
  }

  inDevelopment(workflow: Workflow): Version | undefined {
    return workflow.versions.find((v) => v.state === 'in-development');
  }

  deployed(workflow: Workflow): Version | undefined {
    return workflow.deployedVersionId
      ? workflow.versions.find((v) => v.id === workflow.deployedVersionId)
      : undefined;
  }

  status(workflow: Workflow): 'Deployed' | 'In Development' {
    return workflow.deployedVersionId ? 'Deployed' : 'In Development';
  }

  nameTaken(name: string): boolean {
    const key = normaliseName(name);
    return this.state.workflows.some((w) => normaliseName(w.name) === key);
  }

  audit(workflow: Workflow, user: User, event: string, description: string, metadata: JsonObject = {}) {
    workflow.auditLogs.push({
      id: newAuditId(),
      event,
      category: 'Workflow Management',
      user: user.email,
      at: new Date().toISOString(),
      description,
      metadata: { 'Agent ID': workflow.id, ...metadata },
    });
  }

  // ------------------------------------------------------------ files

  liveFile(id: unknown) {
    if (typeof id !== 'string') return undefined;
    const file = this.state.files.find((f) => f.id === id);
    return file && Date.now() - file.uploadedAt <= FILE_TTL_MS ? file : undefined;
  }

  pruneFiles() {
    const now = Date.now();
    this.state.files = this.state.files.filter((f) => now - f.uploadedAt <= FILE_TTL_MS);
  }

  // ------------------------------------------------------------ jobs

  jobDelay(): number {
    return this.options.jobDelayMs ?? 50 + Math.floor(Math.random() * 100);
  }

  /**
   * Creates an IN_PROGRESS job and runs `work` after a short timer. `work` returns warnings/result or throws
   * JobFailure (or HttpError) to end FAILED. Atomicity is the work's duty: it must check before it mutates.
   */
  startJob(
    fields: Pick<Job, 'workflowId' | 'action' | 'userId'> & Partial<Job>,
    work: () => { warnings?: JobProblem[]; result?: JsonObject } | void,
  ): Job {
    const job: Job = {
      _id: newDockStatusId(),
      jobType: 'WORKFLOWS',
      status: 'IN_PROGRESS',
      createdAt: new Date().toISOString(),
      ...fields,
    };
    this.state.jobs.push(job);
    if (this.state.jobs.length > 500) this.state.jobs.splice(0, this.state.jobs.length - 500);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        const outcome = work();
        job.status = 'SUCCESS';
        if (outcome?.warnings?.length) job.warnings = outcome.warnings;
        if (outcome?.result) job.result = outcome.result;
      } catch (error) {
        job.status = 'FAILED';
        if (error instanceof JobFailure) job.error = error.problem;
        else if (error instanceof HttpError)
          job.error = {
            code: error.code,
            message: error.message,
            ...(error.details !== undefined ? { details: error.details } : {}),
          };
        else job.error = { code: 'INTERNAL', message: (error as Error)?.message ?? 'Internal error' };
      }
      job.completedAt = new Date().toISOString();
      this.changed();
    }, this.jobDelay());
    this.timers.add(timer);
    this.changed();
    return job;
  }
}

export function normaliseName(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
