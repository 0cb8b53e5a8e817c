import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { isApiError } from './api.ts';
import { getMe, logout } from './endpoints.ts';
import { qk } from './queryKeys.ts';
import { isTillStop } from './till.ts';
import type { Me, Membership, Role } from './types.ts';

const LAST_COMPANY_KEY = 'comptoir.company';

/**
 * The signed-in user and their memberships; null when signed out. On a shared till
 * where nobody acts (or locked out) it fails with `till.pin_required` / `till.locked`
 * (see isTillStop): the guards send the device to its PIN pad.
 */
export function useMe() {
  return useQuery<Me | null>({
    queryKey: qk.me,
    queryFn: async () => {
      try {
        return await getMe();
      } catch (err) {
        if (isTillStop(err)) throw err;
        if (isApiError(err) && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 30_000,
  });
}

export function findMembership(me: Me | null | undefined, companyId: string | undefined): Membership | undefined {
  return me?.memberships.find((m) => m.companyId === companyId);
}

export function hasRole(role: Role | undefined, roles: readonly Role[]): boolean {
  return role !== undefined && roles.includes(role);
}

export function rememberCompany(companyId: string) {
  try {
    localStorage.setItem(LAST_COMPANY_KEY, companyId);
  } catch {
    // storage may be unavailable (private mode); nothing to remember then
  }
}

/** Where a signed-in user lands: the last company used, else the first, else company creation. */
export function homePath(me: Me): string {
  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST_COMPANY_KEY);
  } catch {
    last = null;
  }
  const target = me.memberships.find((m) => m.companyId === last) ?? me.memberships[0];
  return target ? `/c/${target.companyId}` : '/companies/new';
}

/**
 * Signs out on the server (best effort), then reloads on /login so nothing of the
 * previous user (cache, stream, form state) survives in memory.
 */
export function useSignOut() {
  return useCallback(async () => {
    try {
      await logout();
    } catch {
      // already signed out or offline: leave anyway
    }
    window.location.replace('/login');
  }, []);
}
