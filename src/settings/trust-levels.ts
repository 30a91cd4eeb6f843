/** The trust levels a settings layer may give a plan (kept apart from the zod schema, so reading the environment loads no zod). */
export const TRUST_LEVELS = ['trusted', 'untrusted'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];
