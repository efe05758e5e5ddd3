import { compareText } from './introspection-order';

/** The namespace of every worker that declares none, of in-process workers, and of everything before 0.23. */
export const DEFAULT_NAMESPACE = 'default';

const keyOf = (namespace: string, id: string) => `${namespace}\u0000${id}`;

/**
 * A registry keyed by `(namespace, id)`, as the engine's function and trigger-type registries are since 0.23.
 * Lookups without a namespace mean `default`, so the generations before 0.23 (where everything is in `default`)
 * read it like a plain map by id.
 */
export class NamespacedMap<T extends { id: string; namespace: string }> {
  private readonly entries = new Map<string, T>();

  get(id: string, namespace = DEFAULT_NAMESPACE): T | undefined {
    return this.entries.get(keyOf(namespace, id));
  }

  has(id: string, namespace = DEFAULT_NAMESPACE): boolean {
    return this.entries.has(keyOf(namespace, id));
  }

  set(entry: T): void {
    this.entries.set(keyOf(entry.namespace, entry.id), entry);
  }

  delete(id: string, namespace = DEFAULT_NAMESPACE): boolean {
    return this.entries.delete(keyOf(namespace, id));
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }

  /** The namespaces an id is registered in, sorted. */
  namespacesOf(id: string): string[] {
    return [...this.entries.values()].filter((e) => e.id === id).map((e) => e.namespace).sort(compareText);
  }
}
