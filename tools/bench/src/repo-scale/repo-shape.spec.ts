import { REPO_SHAPE, repoWorkers } from './repo-shape';

describe('repoWorkers (the shape of the workers repository)', () => {
  const workers = repoWorkers();
  const of = (kind: string) => workers.filter((w) => w.kind === kind);

  it('has 70 workers: 52 release binaries, 10 bundles, 8 images, with unique names', () => {
    expect(workers).toHaveLength(70);
    expect([of('release-binary').length, of('bundle').length, of('image').length]).toEqual([52, 10, 8]);
    expect(new Set(workers.map((w) => w.name)).size).toBe(70);
  });

  it('spreads release assets over 5–60 MB and functions over 5–200, some workers with trigger types', () => {
    const mb = of('release-binary').map((w) => w.assetBytes / 1024 / 1024);
    expect(Math.min(...mb)).toBeCloseTo(REPO_SHAPE.minAssetMb, 1);
    expect(Math.max(...mb)).toBeCloseTo(REPO_SHAPE.maxAssetMb, 1);
    const counts = workers.map((w) => w.functions);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...counts)).toBeLessThanOrEqual(200);
    expect(Math.max(...counts)).toBeGreaterThan(100);
    const withTriggers = workers.filter((w) => w.triggerTypes > 0).length;
    expect(withTriggers).toBeGreaterThan(5);
    expect(withTriggers).toBeLessThan(70);
  });

  it('is the same workspace every run (seeded)', () => {
    expect(repoWorkers()).toEqual(workers);
    expect(repoWorkers(14)).not.toEqual(workers);
  });
});
