import { ConflictError } from '../../src/errors';
import { UsersService } from '../../src/services/users.service';

describe('UsersService', () => {
  it('creates a member with a normalised email', () => {
    const users = new UsersService();
    const user = users.create('  Ada@Example.com ', 'Ada');
    expect(user).toMatchObject({ email: 'ada@example.com', role: 'member', active: true });
    expect(users.get(user.id)).toBe(user);
  });

  it('refuses a second account with the same email', () => {
    const users = new UsersService();
    users.create('ada@example.com', 'Ada');
    expect(() => users.create('ADA@example.com', 'Ada again')).toThrow(ConflictError);
  });
});
