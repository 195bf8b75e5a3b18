import argon2 from 'argon2';
import type { Config } from '../config';
import { COMMON_PASSWORDS } from './common-passwords';

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common';

/** NIST-style policy: 10 to 128 characters, no composition rules, common passwords refused. */
export function checkPasswordPolicy(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < 10) return 'tooShort';
  if (length > 128) return 'tooLong';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'common';
  return null;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** argon2id with parameters from config (defaults: m=19 MiB, t=2, p=1). */
export function createPasswordHasher(params: Config['argon2']): PasswordHasher {
  const options = {
    type: argon2.argon2id as 2,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
  return {
    hash: (password) => argon2.hash(password, options),
    verify: async (hash, password) => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
  };
}
