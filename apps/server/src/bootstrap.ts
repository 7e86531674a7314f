import { randomToken } from '@sreworks/kernel';
import type { IdentityService } from './identity/service.js';

/**
 * First start: create `admin` with SREWORKS_ADMIN_PASSWORD, or a generated password printed
 * once. No default password exists anywhere.
 */
export async function ensureAdmin(identity: IdentityService, password: string | undefined, print: (line: string) => void): Promise<void> {
  if ((await identity.userCount()) > 0) return;
  const pw = password ?? randomToken(15);
  try {
    await identity.createUser({ username: 'admin', password: pw, displayName: 'Administrator', platformRole: 'admin' });
  } catch (e) {
    if ((e as { code?: string }).code === 'IAM_USER_EXISTS') return; // a concurrent first start won
    throw e;
  }
  if (!password) {
    print('');
    print('  First start: created user "admin" with the generated password:');
    print(`      ${pw}`);
    print('  It is shown once. Change it after logging in (user menu → password).');
    print('');
  }
}
