import { subject } from '@casl/ability';
import type { SessionUser } from '../session-user.js';
import { abilityFor } from './case-ability.js';

const user = (roles: SessionUser['roles'], accounts: string[] | null, id = 'u'): SessionUser => ({
  id,
  name: id,
  email: null,
  roles,
  accounts,
  via: 'token',
});

describe(abilityFor.name, () => {
  it('should share one ability between users with the same roles and accounts', () => {
    expect(abilityFor(user(['engineer'], null, 'a'))).toBe(
      abilityFor(user(['engineer'], null, 'b')),
    );
    expect(abilityFor(user(['partner'], ['Acme'], 'a'))).toBe(
      abilityFor(user(['partner'], ['Acme'], 'b')),
    );
  });

  it('should not share an ability across different roles or accounts', () => {
    const acme = abilityFor(user(['partner'], ['Acme']));
    const initech = abilityFor(user(['partner'], ['Initech']));
    expect(acme).not.toBe(initech);
    expect(acme.can('read', subject('Case', { account: 'Acme' }))).toBe(true);
    expect(acme.can('read', subject('Case', { account: 'Initech' }))).toBe(false);
    expect(initech.can('read', subject('Case', { account: 'Initech' }))).toBe(true);
    expect(abilityFor(user(['engineer'], null)).can('read', 'Stats')).toBe(false);
    expect(abilityFor(user(['lead'], null)).can('read', 'Stats')).toBe(true);
  });
});
