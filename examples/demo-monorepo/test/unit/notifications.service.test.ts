import { NotificationsService } from '../../src/services/notifications.service';

describe('NotificationsService', () => {
  it('counts unread notifications until they are read', () => {
    const notifications = new NotificationsService();
    const first = notifications.notify('user-1', 'Welcome!', 'welcome');
    notifications.notify('user-1', 'A new member joined', 'membership');
    notifications.notify('user-2', 'Not yours');
    expect(notifications.unreadCount('user-1')).toBe(2);
    notifications.markRead(first.id);
    expect(notifications.unreadCount('user-1')).toBe(1);
    expect(notifications.markAllRead('user-1')).toBe(1);
    expect(notifications.unreadCount('user-1')).toBe(0);
  });
});
