/**
 * One queue for all dynos: a request waits at the router until any worker of any dyno is
 * free (the "intelligent routing" Heroku had before 2010 and users asked back for in
 * 2013). The web tier serves it from a single FIFO; `choose` is never asked.
 */
import type { RouterPolicy } from './RouterPolicy.ts';

export function sharedQueuePolicy(): RouterPolicy {
  return {
    name: 'shared-queue',
    sharedQueue: true,
    choose(): number {
      throw new Error('shared-queue routing has no per-request choice');
    },
  };
}
