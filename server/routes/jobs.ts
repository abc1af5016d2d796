import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { JobManager } from '../../indexer/job-manager.ts';
import { IngestRefError, parseIngestRef, type IngestRef } from '../../indexer/sources/ingest-ref.ts';
import { IndexLockedError } from '../../indexer/store/lock.ts';
import type { JobProgress } from '../../indexer/youtube-ingest.ts';
import { AddVideosRequest, JobId, type AddVideosResponse, type JobList, type JobView } from '../contract/api.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { isLoopback, isLoopbackHost } from '../net.ts';
import { streamSse } from '../sse.ts';
import { parseWith } from '../validate.ts';

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

/** Lets a mutation through for loopback clients or the admin token; 403 with the reason otherwise. */
export function requireAdmin(adminToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    const refusal = mutationRefusal(
      {
        remoteAddress: req.socket.remoteAddress,
        authorization: req.get('authorization'),
        origin: req.get('origin'),
        forwarded: req.get('forwarded') !== undefined || req.get('x-forwarded-for') !== undefined,
      },
      adminToken,
    );
    if (refusal) res.status(403).json({ error: refusal });
    else next();
  };
}

function toJobView(p: JobProgress): JobView {
  return {
    id: p.jobId,
    kind: p.kind,
    mode: p.mode,
    source: p.source,
    status: p.status,
    phase: p.phase,
    done: p.done,
    total: p.total,
    counts: p.counts,
    current: p.current.map((c) => ({ videoId: c.videoId, title: c.title ?? null })),
    message: p.message ?? null,
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
  };
}

function parseRef(source: string): IngestRef {
  try {
    return parseIngestRef(source);
  } catch (err) {
    if (err instanceof IngestRefError) throw badRequest(`source: ${err.message}`);
    throw err;
  }
}

/** Starting a job takes the index's write lock; a CLI `add` holding it is a conflict, not a crash. */
export function lockConflict(err: unknown): never {
  if (err instanceof IndexLockedError) throw new AppError('conflict', 409, err.message);
  throw err;
}

export function jobRoutes(deps: JobRouteDeps): Router {
  const r = Router();
  const admin = requireAdmin(deps.adminToken);
  const progressOf = (raw: unknown) => {
    const id = parseWith(JobId, raw);
    const p = deps.jobs.progress(id);
    if (!p) throw notFound(`job ${id}`);
    return p;
  };

  r.post('/api/videos', admin, (req, res) => {
    const body = parseWith(AddVideosRequest, req.body ?? {});
    const ref = parseRef(body.source);
    let jobId: number;
    try {
      jobId = deps.jobs.start(ref, { lang: body.lang }).id;
    } catch (err) {
      lockConflict(err);
    }
    res.status(202).location(`/api/jobs/${jobId}`).json({ jobId } satisfies AddVideosResponse);
  });

  r.post('/api/jobs/:id/resume', admin, (req, res) => {
    const id = progressOf(req.params.id).jobId;
    let resumed: boolean;
    try {
      resumed = deps.jobs.resume(id) !== undefined;
    } catch (err) {
      lockConflict(err);
    }
    if (!resumed) throw new AppError('conflict', 409, `job ${id} is already done`);
    res.status(202).location(`/api/jobs/${id}`).json({ jobId: id } satisfies AddVideosResponse);
  });

  r.get('/api/jobs', (_req, res) => {
    res.json({ jobs: deps.jobs.list().map(toJobView) } satisfies JobList);
  });

  r.get('/api/jobs/:id', (req, res) => {
    res.json(toJobView(progressOf(req.params.id)));
  });

  r.get('/api/jobs/:id/events', async (req, res) => {
    const id = progressOf(req.params.id).jobId;
    await streamSse(res, async (stream) => {
      await deps.jobs.watch(id, (p) => stream.send(p.phase === 'finished' ? 'done' : 'progress', toJobView(p)), stream.signal);
    });
  });
  return r;
}
