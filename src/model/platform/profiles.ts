/** The named platform profiles a scenario can start from. */
import type { PlatformProfile } from './profile.ts';
import { heroku2013 } from './heroku2013.ts';
import { heroku2025 } from './heroku2025.ts';

export const PROFILES: Readonly<Record<string, PlatformProfile>> = Object.freeze({
  'heroku-2013': heroku2013,
  'heroku-2025': heroku2025,
});

export const PROFILE_NAMES = Object.keys(PROFILES) as readonly string[];

/** The profile of a scenario that names none. */
export const DEFAULT_PROFILE = 'heroku-2025';
