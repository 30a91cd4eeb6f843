import { ConflictError } from '../../src/errors';
import { UsersService } from '../../src/services/users.service';

describe('UsersService', () => {
  it('creates a member with a normalised email', () => {
    const users = new UsersService();
    const user = users.create({ email: '  Ada@Example.com ', name: 'Ada' });
    expect(user).toMatchObject({ email: 'ada@example.com', role: 'member', active: true });
    expect(users.get(user.id)).toBe(user);
  });

  it('refuses a second account with the same email', () => {
    const users = new UsersService();
    users.create({ email: 'ada@example.com', name: 'Ada' });
    expect(() => users.create({ email: 'ADA@example.com', name: 'Ada again' })).toThrow(ConflictError);
  });
});
