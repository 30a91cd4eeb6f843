/**
 * Communities: creation with a unique slug, search, visibility and archiving.
 */
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { InMemoryRepository } from '../repositories/memory';
import type { Community, Visibility } from '../types';
import { parsePagination, requireString, slugify } from '../utils/validation';

export class CommunitiesService {
  constructor(private readonly communities: InMemoryRepository<Community> = new InMemoryRepository<Community>()) {}

  create(communityName: string, ownerId: string, description = '', visibility: Visibility = 'public'): Community {
    const name = requireString(communityName, 'name', 3, 80);
    const slug = slugify(name);
    if (slug === '') throw new ValidationError('name must contain letters or digits', 'name');
    if (this.findBySlug(slug)) throw new ConflictError(`a community named ${slug} already exists`);
    if (visibility !== 'public' && visibility !== 'private') throw new ValidationError('visibility must be public or private', 'visibility');
    return this.communities.insert({
      id: this.communities.nextId(),
      name,
      slug,
      description: requireString(description, 'description', 0, 2000),
      visibility,
      ownerId: requireString(ownerId, 'ownerId'),
      archived: false,
      createdAt: new Date(),
    });
  }

  get(id: string): Community {
    const community = this.communities.findById(id);
    if (!community) throw new NotFoundError('community', id);
    return community;
  }

  findBySlug(slug: string): Community | undefined {
    return this.communities.findOne((c) => c.slug === slug);
  }

  /** Public, unarchived communities whose name or description contains `query`. */
  search(query = '', limit?: number, offset?: number): Community[] {
    const needle = query.trim().toLowerCase();
    const page = parsePagination(limit, offset);
    return this.communities
      .findMany((c) => !c.archived && c.visibility === 'public')
      .filter((c) => needle === '' || c.name.toLowerCase().includes(needle) || c.description.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(page.offset, page.offset + page.limit);
  }

  update(id: string, changes: { name?: string; description?: string; visibility?: Visibility }): Community {
    const current = this.get(id);
    if (current.archived) throw new ConflictError('an archived community cannot be changed');
    const next: Partial<Community> = {};
    if (changes.name !== undefined) {
      next.name = requireString(changes.name, 'name', 3, 80);
      next.slug = slugify(next.name);
    }
    if (changes.description !== undefined) next.description = requireString(changes.description, 'description', 0, 2000);
    if (changes.visibility !== undefined) next.visibility = changes.visibility;
    return this.communities.update(id, next)!;
  }

  archive(id: string): Community {
    this.get(id);
    return this.communities.update(id, { archived: true })!;
  }

  ownedBy(userId: string): Community[] {
    return this.communities.findMany((c) => c.ownerId === userId);
  }
}
