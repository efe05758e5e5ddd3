import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * When this variable names a folder, every fixture worker writes `<fixture>.<pid>.started` into it as it starts, and
 * built-greeter's build writes `built-greeter.build.<pid>`: evidence of what ran (and what never did).
 */
export const MARKER_DIR_ENV = 'NXWP_E2E_MARKER_DIR';

/** What a fixture records about itself: never an environment variable's value, only the names. */
export interface FixtureMarkerDetails {
  /** The working directory it was started in (start markers). */
  cwd?: string;
  /** The names of the environment variables it received (start markers). */
  envNames?: string[];
  /** built-greeter: the greeting baked into the binary that ran, or that the build used. */
  greeting?: string;
}

export interface FixtureMarker {
  fixture: string;
  event: 'started' | 'build';
  pid: number;
  details: FixtureMarkerDetails;
}

const MARKER_FILE = /^(.+)\.(?:(\d+)\.started|build\.(\d+))$/;

export function readFixtureMarkers(markerDir: string): FixtureMarker[] {
  let files: string[];
  try {
    files = readdirSync(markerDir);
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    const match = MARKER_FILE.exec(file);
    if (!match) return [];
    const event = match[2] ? 'started' : 'build';
    const details = JSON.parse(readFileSync(join(markerDir, file), 'utf8')) as FixtureMarkerDetails;
    return [{ fixture: match[1], event, pid: Number(match[2] ?? match[3]), details }];
  });
}

/** The markers one fixture left for one kind of event. */
export function markersOf(markerDir: string, fixture: string, event: FixtureMarker['event'] = 'started'): FixtureMarker[] {
  return readFixtureMarkers(markerDir).filter((marker) => marker.fixture === fixture && marker.event === event);
}

/** The fixtures that started (or, with `event: 'build'`, were built), once per process. */
export function fixturesThat(markerDir: string, event: FixtureMarker['event']): string[] {
  return readFixtureMarkers(markerDir)
    .filter((marker) => marker.event === event)
    .map((marker) => marker.fixture)
    .sort();
}
