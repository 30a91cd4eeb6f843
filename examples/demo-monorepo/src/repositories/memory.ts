/**
 * In-memory repository: the store every service uses by default. The API has
 * no database yet (see scripts/migrate.js for the schema it will have), so
 * rows live in a Map for the life of the process.
 */
import { randomUUID } from 'node:crypto';

export interface Entity {
  id: string;
}

export class InMemoryRepository<T extends Entity> {
  private readonly rows = new Map<string, T>();

  /** A new id for a row. */
  nextId(): string {
    return randomUUID();
  }

  insert(row: T): T {
    this.rows.set(row.id, row);
    return row;
  }

  findById(id: string): T | undefined {
    return this.rows.get(id);
  }

  findOne(predicate: (row: T) => boolean): T | undefined {
    for (const row of this.rows.values()) if (predicate(row)) return row;
    return undefined;
  }

  findMany(predicate: (row: T) => boolean = () => true): T[] {
    return [...this.rows.values()].filter(predicate);
  }

  update(id: string, changes: Partial<T>): T | undefined {
    const current = this.rows.get(id);
    if (current === undefined) return undefined;
    const next = { ...current, ...changes, id };
    this.rows.set(id, next);
    return next;
  }

  delete(id: string): boolean {
    return this.rows.delete(id);
  }

  count(): number {
    return this.rows.size;
  }

  clear(): void {
    this.rows.clear();
  }
}
