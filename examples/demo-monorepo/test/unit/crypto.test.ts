import { hashPassword, signToken, verifyPassword, verifyToken } from '../../src/utils/crypto';

const secret = 'a-test-secret-that-is-long-enough-0123';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', () => {
    const hash = hashPassword('correct horse 1');
    expect(hash).toMatch(/^scrypt\$/);
    expect(verifyPassword('correct horse 1', hash)).toBe(true);
    expect(verifyPassword('wrong horse 1', hash)).toBe(false);
  });

  it('salts every hash', () => {
    expect(hashPassword('same password 1')).not.toBe(hashPassword('same password 1'));
  });
});

describe('tokens', () => {
  it('round-trips the subject and role', () => {
    const claims = verifyToken(signToken('user-1', 'admin', secret), secret);
    expect(claims).toMatchObject({ sub: 'user-1', role: 'admin' });
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyToken(signToken('user-1', 'admin', secret), `${secret}-other`)).toBeNull();
  });
});
