/**
 * Notifications: messages to users, read state and unread counts.
 */
import { NotFoundError } from '../errors';
import { InMemoryRepository } from '../repositories/memory';
import type { Notification, NotificationKind } from '../types';
import { requireString } from '../utils/validation';

export class NotificationsService {
  constructor(private readonly notifications: InMemoryRepository<Notification> = new InMemoryRepository<Notification>()) {}

  notify(userId: string, message: string, kind: NotificationKind = 'system'): Notification {
    return this.notifications.insert({
      id: this.notifications.nextId(),
      userId: requireString(userId, 'userId'),
      kind,
      message: requireString(message, 'message', 1, 500),
      read: false,
      createdAt: new Date(),
    });
  }

  /** Notify each user once; returns how many were sent. */
  broadcast(userIds: string[], message: string, kind: NotificationKind = 'system'): number {
    const unique = [...new Set(userIds)];
    for (const userId of unique) this.notify(userId, message, kind);
    return unique.length;
  }

  listFor(userId: string, unreadOnly = false): Notification[] {
    return this.notifications
      .findMany((n) => n.userId === userId && (!unreadOnly || !n.read))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  markRead(id: string): Notification {
    const updated = this.notifications.update(id, { read: true });
    if (!updated) throw new NotFoundError('notification', id);
    return updated;
  }

  markAllRead(userId: string): number {
    const unread = this.listFor(userId, true);
    for (const n of unread) this.notifications.update(n.id, { read: true });
    return unread.length;
  }

  unreadCount(userId: string): number {
    return this.listFor(userId, true).length;
  }
}
