/**
 * Authentication: registration with a hashed password, login, and the
 * tokens the auth middleware verifies.
 */
import { getConfig } from '../config';
import { UnauthorizedError } from '../errors';
import type { PublicUser } from '../types';
import { hashPassword, signToken, verifyPassword, verifyToken, type TokenPayload } from '../utils/crypto';
import { requirePassword } from '../utils/validation';
import { toPublicUser, UsersService } from './users.service';

export interface Session {
  token: string;
  expiresIn: number;
  user: PublicUser;
}

export class AuthService {
  constructor(
    private readonly users: UsersService = new UsersService(),
    private readonly secret: string = getConfig().jwtSecret,
    private readonly ttlSeconds: number = getConfig().tokenTtlSeconds,
  ) {}

  register(email: string, name: string, password: string): Session {
    const user = this.users.create(email, name, 'member', hashPassword(requirePassword(password)));
    return this.session(user.id);
  }

  login(email: string, password: string): Session {
    const user = this.users.findByEmail(email);
    // The same answer for an unknown email and a wrong password: no account enumeration.
    if (!user || !user.passwordHash || !verifyPassword(password, user.passwordHash)) {
      throw new UnauthorizedError('email or password is wrong');
    }
    if (!user.active) throw new UnauthorizedError('this account is deactivated');
    return this.session(user.id);
  }

  /** The claims of a valid token whose user still exists and is active. */
  authenticate(token: string): TokenPayload {
    const claims = verifyToken(token, this.secret);
    if (!claims) throw new UnauthorizedError('invalid or expired token');
    const user = this.users.find(claims.sub);
    if (!user?.active) throw new UnauthorizedError('this account no longer exists or is deactivated');
    return { ...claims, role: user.role };
  }

  changePassword(userId: string, current: string, next: string): void {
    const user = this.users.get(userId);
    if (!user.passwordHash || !verifyPassword(current, user.passwordHash)) throw new UnauthorizedError('current password is wrong');
    this.users.setPasswordHash(userId, hashPassword(requirePassword(next, 'newPassword')));
  }

  private session(userId: string): Session {
    const user = this.users.get(userId);
    return { token: signToken(user.id, user.role, this.secret, this.ttlSeconds), expiresIn: this.ttlSeconds, user: toPublicUser(user) };
  }
}
