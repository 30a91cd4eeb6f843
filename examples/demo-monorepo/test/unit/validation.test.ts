import { ValidationError } from '../../src/errors';
import { isEmail, parsePagination, requireString, slugify } from '../../src/utils/validation';

describe('validation', () => {
  it('recognises email addresses', () => {
    expect(isEmail('ada@example.com')).toBe(true);
    expect(isEmail('ada@example')).toBe(false);
  });

  it('makes slugs from names', () => {
    expect(slugify('  Rust Users! ')).toBe('rust-users');
  });

  it('sanitises strings and enforces their length', () => {
    expect(requireString('  <b>Ada</b>  ', 'name')).toBe('bAda/b');
    expect(() => requireString('', 'name')).toThrow(ValidationError);
  });

  it('clamps pagination', () => {
    expect(parsePagination('500', '-3')).toEqual({ limit: 100, offset: 0 });
  });
});
