import type { Actor } from './events/event-map.ts';

export const actorSystem = (id?: string): Actor => ({ type: 'system', id });
export const actorJob = (name: string): Actor => ({ type: 'job', id: name });
