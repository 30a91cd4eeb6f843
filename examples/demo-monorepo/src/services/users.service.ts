/**
 * Users: sign-up data, profile changes, roles and deactivation.
 */
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { InMemoryRepository } from '../repositories/memory';
import type { PublicUser, Role, User } from '../types';
import { isRole, parsePagination, requireEmail, requireString } from '../utils/validation';

/** A user without the password hash. */
export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

export class UsersService {
  constructor(private readonly users: InMemoryRepository<User> = new InMemoryRepository<User>()) {}

  create(emailAddress: string, displayName: string, role: Role = 'member', passwordHash?: string): User {
    const email = requireEmail(emailAddress);
    const name = requireString(displayName, 'name', 1, 100);
    if (!isRole(role)) throw new ValidationError(`role must be admin, member or viewer`, 'role');
    if (this.findByEmail(email)) throw new ConflictError(`a user with email ${email} already exists`);
    const now = new Date();
    return this.users.insert({ id: this.users.nextId(), email, name, role, active: true, passwordHash, createdAt: now, updatedAt: now });
  }

  get(id: string): User {
    const user = this.users.findById(id);
    if (!user) throw new NotFoundError('user', id);
    return user;
  }

  find(id: string): User | undefined {
    return this.users.findById(id);
  }

  findByEmail(email: string): User | undefined {
    const wanted = email.trim().toLowerCase();
    return this.users.findOne((user) => user.email === wanted);
  }

  list(limit?: number, offset?: number, role?: Role): User[] {
    const page = parsePagination(limit, offset);
    return this.users
      .findMany((user) => role === undefined || user.role === role)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(page.offset, page.offset + page.limit);
  }

  rename(id: string, name: string): User {
    this.get(id);
    return this.users.update(id, { name: requireString(name, 'name', 1, 100), updatedAt: new Date() })!;
  }

  changeRole(id: string, role: string): User {
    if (!isRole(role)) throw new ValidationError(`role must be admin, member or viewer`, 'role');
    const user = this.get(id);
    if (user.role === 'admin' && role !== 'admin' && this.countAdmins() === 1) {
      throw new ConflictError('cannot demote the last admin');
    }
    return this.users.update(id, { role, updatedAt: new Date() })!;
  }

  setPasswordHash(id: string, passwordHash: string): User {
    this.get(id);
    return this.users.update(id, { passwordHash, updatedAt: new Date() })!;
  }

  deactivate(id: string): User {
    this.get(id);
    return this.users.update(id, { active: false, updatedAt: new Date() })!;
  }

  remove(id: string): void {
    if (!this.users.delete(id)) throw new NotFoundError('user', id);
  }

  countAdmins(): number {
    return this.users.findMany((user) => user.role === 'admin' && user.active).length;
  }

  count(): number {
    return this.users.count();
  }
}
