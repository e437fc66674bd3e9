/**
 * Following one job from a view: the worker pushes every step, and a view also asks for the job's state now and
 * then, because a worker stopped mid-job pushes nothing until something wakes it (asking does, and the woken
 * worker resumes the job). Updates can arrive before the call that started the job has answered with its id, so
 * the latest one of every job is kept. The export panel and the import dialog both follow their jobs this way.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { WorkerResponse } from '../../lib/protocol';

export interface TrackedJob {
  id: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
}

export interface JobChannel<S extends TrackedJob> {
  /** Calls `listener` with every update the worker pushes to this view; returns the unsubscribe function. */
  subscribe(listener: (job: S) => void): () => void;
  status(jobId: string): Promise<WorkerResponse<S>>;
}

export const STATUS_POLL_MS = 2000;

export interface JobFollower<S extends TrackedJob> {
  /** Follows this job from now on; `show` gets the newest state known of it at once. */
  follow(job: S): void;
  /** Stops following (the user moved on); later updates of that job are ignored. */
  forget(): void;
  followedId(): string | null;
}

export function useJob<S extends TrackedJob>(channel: JobChannel<S>, show: (job: S) => void): JobFollower<S> {
  const followed = useRef<string | null>(null);
  const latest = useRef(new Map<string, S>());
  const showRef = useRef(show);
  showRef.current = show;
  const poll = useRef<ReturnType<typeof setInterval> | null>(null);

  const stopPolling = () => {
    if (poll.current) clearInterval(poll.current);
    poll.current = null;
  };

  const present = (job: S) => {
    if (job.status !== 'running') stopPolling();
    showRef.current(job);
  };

  useEffect(() => {
    const unsubscribe = channel.subscribe((job) => {
      latest.current.set(job.id, job);
      if (job.id === followed.current) present(job);
    });
    return () => {
      unsubscribe();
      stopPolling();
    };
  }, []);

  const follow = (job: S) => {
    followed.current = job.id;
    stopPolling();
    const newest = latest.current.get(job.id) ?? job;
    present(newest);
    if (newest.status !== 'running') return;
    poll.current = setInterval(() => {
      const id = followed.current;
      if (!id) return stopPolling();
      void channel.status(id).then((answer) => {
        if (answer.ok && answer.data.id === followed.current && answer.data.status !== 'running')
          present(answer.data);
      });
    }, STATUS_POLL_MS);
  };

  return {
    follow,
    forget() {
      followed.current = null;
      stopPolling();
    },
    followedId: () => followed.current,
  };
}
