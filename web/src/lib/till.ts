import { useQuery } from '@tanstack/react-query';
import { type ApiError, api, isApiError } from './api.ts';
import type { Role } from './types.ts';

/**
 * Staff PINs and till mode (shared till where staff switch user with their PIN). The
 * server's design is described at the top of src/modules/tenancy/till.ts.
 */

export type TillState = {
  companyName: string;
  /** This device is a till of the company. */
  enabled: boolean;
  /** Off a till: the signed-in user may turn this device into one. */
  canEnable: boolean;
  till: {
    id: string;
    label: string;
    enabledBy: { userId: string; name: string };
    expiresAt: string;
    acting: { userId: string; name: string; role: Role } | null;
    failuresLeft: number;
    maxFailures: number;
    pinHolders: Array<{ userId: string; name: string }>;
  } | null;
};

const enc = encodeURIComponent;
const base = (companyId: string) => `/companies/${enc(companyId)}`;

export const PIN_PATTERN = /^\d{4,6}$/;

export const tillKey = (companyId: string) => ['company', companyId, 'till'] as const;

export const getTill = (companyId: string) => api.get<TillState>(`${base(companyId)}/till`);
export const enableTill = (companyId: string, label: string) => api.post<TillState>(`${base(companyId)}/till`, { label });
export const disableTill = (companyId: string) => api.delete(`${base(companyId)}/till`);
export const switchTillUser = (companyId: string, pin: string) => api.post<TillState>(`${base(companyId)}/till/switch`, { pin });
export const lockTill = (companyId: string) => api.post<void>(`${base(companyId)}/till/lock`);

export const setMemberPin = (companyId: string, userId: string, pin: string) =>
  api.put<void>(`${base(companyId)}/members/${enc(userId)}/pin`, { pin });
export const clearMemberPin = (companyId: string, userId: string) => api.delete(`${base(companyId)}/members/${enc(userId)}/pin`);
export const setMyPin = (companyId: string, pin: string) => api.put<void>(`${base(companyId)}/me/pin`, { pin });
export const clearMyPin = (companyId: string) => api.delete(`${base(companyId)}/me/pin`);

/** The device's till state for a company (till mode or not, who acts). */
export function useTillState(companyId: string, enabled = true) {
  return useQuery({ queryKey: tillKey(companyId), queryFn: () => getTill(companyId), enabled, staleTime: 5_000 });
}

/** Answers from the server that mean "this device is a till waiting for a PIN, or locked out". */
export function isTillStop(err: unknown): err is ApiError {
  return isApiError(err, 'till.pin_required') || isApiError(err, 'till.locked');
}

/** Where a till device goes when nobody acts on it (the PIN pad), with where to come back to. */
export function padPath(companyId: string, next?: string): string {
  const path = `/c/${enc(companyId)}/till`;
  return next && next !== path ? `${path}?next=${enc(next)}` : path;
}

/** Who may set another member's PIN (mirrors the server): an owner anyone's, a manager cashiers' and servers'. */
export function mayManagePin(viewer: Role, target: Role): boolean {
  if (viewer === 'owner') return true;
  if (viewer === 'manager') return target === 'cashier' || target === 'server';
  return false;
}
