import type { AddVideosRequest, AddVideosResponse, JobEvent, JobList } from '../../../../core/contract/api.ts';
import { getJson, jsonEvents, postJson, request } from './client.ts';

/** Starts a YouTube ingest job (video, playlist or channel); the server answers 202 with its id. */
export const addVideos = async (body: AddVideosRequest, signal?: AbortSignal) => (await postJson<AddVideosResponse>('/api/videos', body, signal)).jobId;

/** The newest jobs, newest first. */
export const listJobs = async (signal?: AbortSignal) => (await getJson<JobList>('/api/jobs', signal)).jobs;

/** Queues a paused or failed job again. */
export const resumeJob = (id: number, signal?: AbortSignal) => postJson<AddVideosResponse>(`/api/jobs/${id}/resume`, {}, signal);

const EVENTS = new Set<JobEvent['event']>(['progress', 'done', 'error']);

/** The job's progress as it happens: `progress`*, then `done` (or `error`); a finished job sends `done` at once. */
export async function* watchJob(id: number, signal?: AbortSignal): AsyncGenerator<JobEvent> {
  const res = await request(`/api/jobs/${id}/events`, { signal, headers: { Accept: 'text/event-stream' } });
  yield* jsonEvents<JobEvent>(res, EVENTS, 'job progress');
}
