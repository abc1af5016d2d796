import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import { jobProgress, jobView, listJobs, resumeJob, startJob, watchJob } from '../../core/jobs.ts';
import { isLoopback, isLoopbackHost } from '../../core/net.ts';
import type { JobManager } from '../../core/job-manager.ts';
import type { AddVideosResponse, JobList } from '../../core/contract/api.ts';
import { httpErrors } from '../errors.ts';
import { streamSse } from '../sse.ts';

export interface JobRouteDeps {
  jobs: JobManager;
  /** EPISODIC_ADMIN_TOKEN: lets clients other than this machine start jobs. Unset: loopback only. */
  adminToken?: string;
}

/** What the mutation check looks at; a plain object so the rule is testable without a server. */
export interface MutationRequest {
  remoteAddress: string | undefined;
  authorization?: string;
  origin?: string;
  /** A proxy header (Forwarded / X-Forwarded-For): the loopback peer speaks for someone else. */
  forwarded?: boolean;
}

/**
 * Why a request may not start jobs, or undefined when it may. Allowed: a matching
 * `Authorization: Bearer <token>`, or a loopback peer that is not a proxy and, if a browser sent
 * it, comes from a loopback page (so another site cannot drive a local server). A wrong token
 * is refused even from loopback.
 */
export function mutationRefusal(req: MutationRequest, adminToken: string | undefined): string | undefined {
  if (req.authorization !== undefined) {
    const token = /^Bearer\s+(.+)$/i.exec(req.authorization.trim())?.[1];
    if (adminToken && token !== undefined && sameSecret(token, adminToken)) return undefined;
    return adminToken ? 'invalid admin token' : 'this server has no admin token (EPISODIC_ADMIN_TOKEN is not set)';
  }
  const local = isLoopback(req.remoteAddress) && !req.forwarded && (req.origin === undefined || isLoopbackOrigin(req.origin));
  if (local) return undefined;
  return adminToken
    ? 'adding or removing videos needs Authorization: Bearer <EPISODIC_ADMIN_TOKEN> from other machines'
    : 'adding or removing videos is only allowed from this machine (set EPISODIC_ADMIN_TOKEN on the server to allow others)';
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** Compares digests so neither the length nor the content leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Who is asking, as mutationRefusal reads it: address, credentials, page origin, proxy headers. */
export function callerOf(req: Request): Parameters<typeof mutationRefusal>[0] {
  return {
    remoteAddress: req.socket.remoteAddress,
    authorization: req.get('authorization'),
    origin: req.get('origin'),
    forwarded: req.get('forwarded') !== undefined || req.get('x-forwarded-for') !== undefined,
  };
}

/** Lets a mutation through for loopback clients or the admin token; 403 with the reason otherwise. */
export function requireAdmin(adminToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    const refusal = mutationRefusal(callerOf(req), adminToken);
    if (refusal) res.status(403).json({ error: refusal });
    else next();
  };
}

/** POST /api/videos, /api/jobs/:id/resume (loopback or admin token); GET /api/jobs, /api/jobs/:id and its SSE events. */
export function jobRoutes(deps: JobRouteDeps): Router {
  const r = Router();
  const admin = requireAdmin(deps.adminToken);

  r.post('/api/videos', admin, (req, res) => {
    const jobId = startJob(deps.jobs, req.body ?? {});
    res.status(202).location(`/api/jobs/${jobId}`).json({ jobId } satisfies AddVideosResponse);
  });

  r.post('/api/jobs/:id/resume', admin, (req, res) => {
    const jobId = resumeJob(deps.jobs, req.params.id);
    res.status(202).location(`/api/jobs/${jobId}`).json({ jobId } satisfies AddVideosResponse);
  });

  r.get('/api/jobs', (_req, res) => {
    res.json({ jobs: listJobs(deps.jobs) } satisfies JobList);
  });

  r.get('/api/jobs/:id', (req, res) => {
    res.json(jobView(jobProgress(deps.jobs, req.params.id)));
  });

  r.get('/api/jobs/:id/events', async (req, res) => {
    const id = jobProgress(deps.jobs, req.params.id).jobId; // an unknown job is a 404, not a stream
    await streamSse(res, (stream) => watchJob(deps.jobs, id, (view, finished) => stream.send(finished ? 'done' : 'progress', view), stream.signal));
  });
  r.use(httpErrors);
  return r;
}
