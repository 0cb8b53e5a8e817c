/**
 * An expected refusal: a code the web app translates, the params the user needs,
 * and the HTTP status it maps to. Business code never builds sentences.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 502;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: ErrorStatus,
    readonly params: Record<string, unknown> = {},
    readonly fieldErrors?: Array<{ field: string; code: string }>,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export const notFound = (what = 'not_found') => new DomainError(what, 404);
export const conflict = (code: string, params: Record<string, unknown> = {}) => new DomainError(code, 409, params);
export const forbidden = (code = 'auth.forbidden', params: Record<string, unknown> = {}) =>
  new DomainError(code, 403, params);
export const unauthenticated = () => new DomainError('auth.unauthenticated', 401);
export const invalid = (field: string, code: string) =>
  new DomainError('validation', 400, {}, [{ field, code }]);
