import { credentialHeaders } from './session';
import { t } from './i18n/i18n';

/*
 * The one way the explorer talks to the service: the public API, with the visitor's credentials
 * when signed in. Problem details (RFC 9457) become an ApiError whose message is the problem's own
 * title and detail, which is what a person can act on.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type?: string,
  ) {
    super(message);
  }
}

export interface ApiAnswer<T> {
  readonly body: T;
  readonly headers: Headers;
  readonly status: number;
}

export async function apiFetch<T>(path: string, init: RequestInit & { accept?: string; json?: unknown } = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { Accept: init.accept ?? 'application/json', ...credentialHeaders(), ...(init.headers as Record<string, string>) };
  let body = init.body;
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, body });
  } catch (error) {
    throw new ApiError(0, t('networkError', { message: (error as Error).message }));
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) throw problemOf(response.status, parsed);
  return { body: parsed as T, headers: response.headers, status: response.status };
}

/** GET, the body only. */
export async function apiGet<T>(path: string, accept?: string): Promise<T> {
  return (await apiFetch<T>(path, { accept })).body;
}

export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { body } = await apiFetch<{ data?: T; errors?: { message: string }[] }>('/graphql', { method: 'POST', json: { query, variables } });
  if (body.errors?.length) throw new ApiError(200, body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

function problemOf(status: number, body: unknown): ApiError {
  const problem = (body ?? {}) as { title?: string; detail?: string; type?: string; errors?: { message: string }[] };
  const message = [problem.title, problem.detail].filter(Boolean).join(': ') || problem.errors?.[0]?.message || `HTTP ${status}`;
  return new ApiError(status, message, problem.type);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  return search.toString();
}
