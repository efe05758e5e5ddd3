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
  /** The namespaces each id is registered in: `namespacesOf` must not scan every entry (50,000 functions). */
  private readonly namespacesById = new Map<string, Set<string>>();

  get(id: string, namespace = DEFAULT_NAMESPACE): T | undefined {
    return this.entries.get(keyOf(namespace, id));
  }

  has(id: string, namespace = DEFAULT_NAMESPACE): boolean {
    return this.entries.has(keyOf(namespace, id));
  }

  set(entry: T): void {
    this.entries.set(keyOf(entry.namespace, entry.id), entry);
    let namespaces = this.namespacesById.get(entry.id);
    if (!namespaces) this.namespacesById.set(entry.id, (namespaces = new Set()));
    namespaces.add(entry.namespace);
  }

  delete(id: string, namespace = DEFAULT_NAMESPACE): boolean {
    if (!this.entries.delete(keyOf(namespace, id))) return false;
    const namespaces = this.namespacesById.get(id)!;
    namespaces.delete(namespace);
    if (namespaces.size === 0) this.namespacesById.delete(id);
    return true;
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }

  /** The namespaces an id is registered in, sorted. */
  namespacesOf(id: string): string[] {
    return [...(this.namespacesById.get(id) ?? [])].sort(compareText);
  }
}
