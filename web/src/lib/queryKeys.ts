/**
 * React Query keys. Everything about one company starts with ['company', id] so a
 * stream `reset` (or polling) can invalidate it with one prefix.
 */
export const qk = {
  me: ['me'] as const,
  company: (companyId: string) => ['company', companyId] as const,
  companyDetail: (companyId: string) => ['company', companyId, 'detail'] as const,
  members: (companyId: string) => ['company', companyId, 'members'] as const,
  apiTokens: (companyId: string) => ['company', companyId, 'api-tokens'] as const,
};
