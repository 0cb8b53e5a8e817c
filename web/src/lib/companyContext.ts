import { createContext, useContext } from 'react';
import type { Membership, Role, User } from './types.ts';

export type CompanyContextValue = {
  companyId: string;
  membership: Membership;
  role: Role;
  user: User;
  memberships: Membership[];
};

export const CompanyContext = createContext<CompanyContextValue | null>(null);

/** The company of the current /c/:companyId page and the signed-in user's role in it. */
export function useCompanyContext(): CompanyContextValue {
  const ctx = useContext(CompanyContext);
  if (!ctx) throw new Error('useCompanyContext must be used under /c/:companyId');
  return ctx;
}
