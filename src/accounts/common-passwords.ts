// The 10,000 most common passwords (ASVS 5.0 6.2.4), taken from the frequency-ranked list that
// @zxcvbn-ts/language-common ships, so the list is maintained upstream rather than by hand.
import { dictionary } from '@zxcvbn-ts/language-common';

const ranked = (dictionary as unknown as Record<string, string[]>)['passwords-common']!;

export const commonPasswords: ReadonlySet<string> = new Set(ranked.slice(0, 10_000).map((p) => p.toLowerCase()));
