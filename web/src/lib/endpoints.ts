import { API_BASE, api } from './api.ts';
import type {
  ApiToken,
  Company,
  CompanyPatch,
  CreatedApiToken,
  Me,
  Member,
  NewCompany,
  NewMember,
  Page,
  Role,
  User,
} from './types.ts';

/** One function per server endpoint. Paths are relative to /api/v1. */

const enc = encodeURIComponent;
const companyPath = (companyId: string) => `/companies/${enc(companyId)}`;

// Auth and account
export const register = (body: { name: string; email: string; password: string }) =>
  api.post<{ user: User }>('/auth/register', body);
export const login = (body: { email: string; password: string }) => api.post<{ user: User }>('/auth/login', body);
export const logout = () => api.post<void>('/auth/logout');
export const getMe = () => api.get<Me>('/me');
export const changePassword = (body: { currentPassword: string; newPassword: string }) =>
  api.post<void>('/auth/password', body);
export const requestPasswordReset = (email: string) => api.post<void>('/auth/password-reset/request', { email });
export const confirmPasswordReset = (body: { token: string; password: string }) =>
  api.post<void>('/auth/password-reset/confirm', body);

// Companies
export const createCompany = (body: NewCompany) => api.post<Company>('/companies', body);
export const getCompany = (companyId: string) => api.get<Company>(companyPath(companyId));
export const updateCompany = (companyId: string, patch: CompanyPatch) =>
  api.patch<Company>(companyPath(companyId), patch);

// Members
export const listMembers = (companyId: string, page: { limit?: number; cursor?: string | null } = {}) =>
  api.get<Page<Member>>(`${companyPath(companyId)}/members`, { query: page });
export const addMember = (companyId: string, body: NewMember) =>
  api.post<Member>(`${companyPath(companyId)}/members`, body);
export const updateMemberRole = (companyId: string, userId: string, role: Role) =>
  api.patch<Member>(`${companyPath(companyId)}/members/${enc(userId)}`, { role });
export const removeMember = (companyId: string, userId: string) =>
  api.delete(`${companyPath(companyId)}/members/${enc(userId)}`);
export const setMemberPassword = (companyId: string, userId: string, password: string) =>
  api.put<void>(`${companyPath(companyId)}/members/${enc(userId)}/password`, { password });

// API tokens
export const listApiTokens = (companyId: string, page: { limit?: number; cursor?: string | null } = {}) =>
  api.get<Page<ApiToken>>(`${companyPath(companyId)}/api-tokens`, { query: page });
export const createApiToken = (companyId: string, body: { name: string; role: Role }) =>
  api.post<CreatedApiToken>(`${companyPath(companyId)}/api-tokens`, body);
export const revokeApiToken = (companyId: string, tokenId: string) =>
  api.delete(`${companyPath(companyId)}/api-tokens/${enc(tokenId)}`);

// Live stream (Server-Sent Events, consumed with EventSource)
export const streamUrl = (companyId: string) => `${API_BASE}${companyPath(companyId)}/stream`;
