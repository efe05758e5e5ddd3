/** What the stand-in stores: immutable versions per worker, in publication order, and the channel pointers. */
export type StoredPayload = Record<string, unknown>;

export class RegistryState {
  private readonly versions = new Map<string, Map<string, StoredPayload>>();
  private readonly channels = new Map<string, Map<string, string>>();
  private readonly skills = new Map<string, { path: string; content: string }[]>();

  has(worker: string): boolean {
    return this.versions.has(worker);
  }

  get(worker: string, version: string): StoredPayload | undefined {
    return this.versions.get(worker)?.get(version);
  }

  /** Stores a version; false when that version is already there (versions are immutable). */
  store(payload: StoredPayload): boolean {
    const worker = String(payload.worker_name);
    const version = String(payload.version);
    const byVersion = this.versions.get(worker) ?? new Map<string, StoredPayload>();
    if (byVersion.has(version)) return false;
    byVersion.set(version, structuredClone(payload));
    this.versions.set(worker, byVersion);
    return true;
  }

  versionsOf(worker: string): string[] {
    return [...(this.versions.get(worker)?.keys() ?? [])];
  }

  channel(worker: string, tag: string): string | null {
    return this.channels.get(worker)?.get(tag) ?? null;
  }

  setChannel(worker: string, tag: string, version: string): void {
    const byTag = this.channels.get(worker) ?? new Map<string, string>();
    byTag.set(tag, version);
    this.channels.set(worker, byTag);
  }

  /** The full snapshot of one version replaces the previous one; an empty list clears it. */
  setSkills(worker: string, version: string, rows: { path: string; content: string }[]): void {
    this.skills.set(`${worker}@${version}`, rows);
  }

  skillsOf(worker: string, version: string): { path: string; content: string }[] | undefined {
    return this.skills.get(`${worker}@${version}`);
  }

  tagsOf(worker: string, version: string): string[] {
    return [...(this.channels.get(worker)?.entries() ?? [])].filter(([, v]) => v === version).map(([tag]) => tag).sort();
  }
}

/** `GET /w/<w>?version=` as the registry answers it (spec publish-pipeline-later §6.1). */
export function versionDetail(payload: StoredPayload, tags: string[]): Record<string, unknown> {
  const install: Record<string, unknown> =
    payload.type === 'binary'
      ? { supported_targets: Object.keys((payload.binaries as Record<string, unknown>) ?? {}).sort() }
      : payload.type === 'image'
        ? { image: payload.image_tag }
        : { archive_url: payload.archive_url, sha256: payload.sha256 };
  return {
    worker: {
      name: payload.worker_name,
      version: payload.version,
      type: payload.type,
      description: payload.description,
      license: payload.license ?? null,
      repo: payload.repo,
      config: payload.config,
      readme: payload.readme,
      dependencies: payload.dependencies,
      functions: payload.functions,
      triggers: payload.triggers,
      tags: payload.tags ?? [],
      experimental: payload.experimental,
      ...install,
      channels: tags,
      total_downloads: 0,
      author: null,
    },
  };
}

/** `POST /resolve` for one exact version: the root node with what installs (spec publish-pipeline-later §6.1). */
export function resolvedGraph(payload: StoredPayload): Record<string, unknown> {
  const install: Record<string, unknown> =
    payload.type === 'binary'
      ? { binaries: payload.binaries }
      : payload.type === 'image'
        ? { image: payload.image_tag }
        : { archive_url: payload.archive_url, sha256: payload.sha256 };
  const dependencies = Object.fromEntries(((payload.dependencies as { name: string; version: string }[]) ?? []).map((d) => [d.name, d.version]));
  const node = { name: payload.worker_name, version: payload.version, type: payload.type, repo: payload.repo, config: payload.config, dependencies, ...install };
  return { root: { name: payload.worker_name, version: payload.version }, graph: [node], edges: [] };
}
