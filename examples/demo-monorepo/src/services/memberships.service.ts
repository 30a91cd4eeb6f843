/**
 * Memberships: who belongs to which community, with what role. A community
 * always keeps at least one owner.
 */
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { InMemoryRepository } from '../repositories/memory';
import type { MemberRole, Membership } from '../types';
import { requireString } from '../utils/validation';

const MEMBER_ROLES: readonly MemberRole[] = ['owner', 'moderator', 'member'];

export class MembershipsService {
  constructor(private readonly memberships: InMemoryRepository<Membership> = new InMemoryRepository<Membership>()) {}

  join(communityId: string, userId: string, role: MemberRole = 'member'): Membership {
    requireString(communityId, 'communityId');
    requireString(userId, 'userId');
    if (!MEMBER_ROLES.includes(role)) throw new ValidationError('role must be owner, moderator or member', 'role');
    if (this.find(communityId, userId)) throw new ConflictError(`user ${userId} is already a member`);
    return this.memberships.insert({ id: this.memberships.nextId(), communityId, userId, role, joinedAt: new Date() });
  }

  find(communityId: string, userId: string): Membership | undefined {
    return this.memberships.findOne((m) => m.communityId === communityId && m.userId === userId);
  }

  leave(communityId: string, userId: string): void {
    const membership = this.find(communityId, userId);
    if (!membership) throw new NotFoundError('membership', `${communityId}/${userId}`);
    if (membership.role === 'owner' && this.owners(communityId).length === 1) {
      throw new ConflictError('the last owner cannot leave; hand ownership over first');
    }
    this.memberships.delete(membership.id);
  }

  changeRole(communityId: string, userId: string, role: MemberRole): Membership {
    if (!MEMBER_ROLES.includes(role)) throw new ValidationError('role must be owner, moderator or member', 'role');
    const membership = this.find(communityId, userId);
    if (!membership) throw new NotFoundError('membership', `${communityId}/${userId}`);
    if (membership.role === 'owner' && role !== 'owner' && this.owners(communityId).length === 1) {
      throw new ConflictError('a community needs an owner');
    }
    return this.memberships.update(membership.id, { role })!;
  }

  members(communityId: string): Membership[] {
    return this.memberships.findMany((m) => m.communityId === communityId);
  }

  owners(communityId: string): Membership[] {
    return this.members(communityId).filter((m) => m.role === 'owner');
  }

  communitiesOf(userId: string): string[] {
    return this.memberships.findMany((m) => m.userId === userId).map((m) => m.communityId);
  }

  /** True when the user may moderate the community (owner or moderator). */
  canModerate(communityId: string, userId: string): boolean {
    const role = this.find(communityId, userId)?.role;
    return role === 'owner' || role === 'moderator';
  }
}
