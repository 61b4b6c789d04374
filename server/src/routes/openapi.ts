import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { ErrorResponseSchema } from '../contract/http.js';

declare module 'fastify' {
  interface FastifySchema {
    /** a body that is not JSON: content type -> what it holds (read by the route itself) */
    uploads?: Record<string, string>;
    /** with ?format=csv the success reply is text/csv instead of JSON */
    csv?: boolean;
    /** the 200 reply is a file of this type */
    file?: string;
  }
}

const DESCRIPTION: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  400: 'BAD_REQUEST (the message names the field), BANK_INVALID (details: the whole report) or BANK_TOO_SMALL',
  401: 'UNAUTHORIZED (no session, or it ended), INVALID_CREDENTIALS, TOKEN_REQUIRED or TOKEN_INVALID',
  403: 'FORBIDDEN: the account may not do this',
  404: 'NOT_FOUND',
  409: 'CONFLICT (the id exists already), INVALID_STATE (not in this state), ALREADY_CONNECTED, SITTING_NOT_OPEN or SITTING_CLOSED',
  413: 'PAYLOAD_TOO_LARGE: the body is larger than the route takes (refused before it is read)',
  415: 'UNSUPPORTED_MEDIA_TYPE: the body is of a Content-Type the route does not read',
  423: 'LOGIN_LOCKED: details.retryAfterMs for a staff account',
  429: 'RATE_LIMITED: details.retryAfterMs and a Retry-After header',
  503: 'UNAVAILABLE: with several nodes, the node that runs the sitting cannot be reached just now; send the same request again (Retry-After)',
  500: 'INTERNAL: nothing was changed that was not acknowledged',
};

/** The error replies a route can give, each in the one error shape. A route that reads a body (413) also refuses one of a type it does not read (415). */
export function errors(...codes: number[]): Record<number, typeof ErrorResponseSchema> {
  return Object.fromEntries([...codes, ...(codes.includes(413) ? [415] : []), 500].map((c) => [c, ErrorResponseSchema]));
}

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type Out = { schema: Record<string, unknown> & { response?: Record<string, Record<string, unknown>> }; url: string };

/**
 * The zod transform, plus what zod schemas do not say: bodies that are files (bank uploads,
 * CSV rosters), replies that are CSV or a zip, and a description for every status code.
 */
export function openapiTransform(input: TransformInput): Out {
  const { uploads, csv, file, ...schema } = (input.schema ?? {}) as Record<string, unknown> & { uploads?: Record<string, string>; csv?: boolean; file?: string };
  const out = jsonSchemaTransform({ ...input, schema } as TransformInput) as Out;
  if (!input.schema || out.schema.hide) return out;
  if (uploads) {
    out.schema.body = { content: Object.fromEntries(Object.entries(uploads).map(([type, description]) => [type, { schema: { type: 'string', format: type === 'text/csv' ? undefined : 'binary', description } }])) };
  }
  const response = (out.schema.response ??= {});
  if (file) response[200] = { description: `the file (${file})`, content: { [file]: { schema: { type: 'string', format: 'binary' } } } };
  for (const [code, r] of Object.entries(response)) {
    if (csv && (code === '200' || code === '201')) {
      response[code] = { description: 'JSON, or CSV with ?format=csv', content: { 'application/json': { schema: r }, 'text/csv': { schema: { type: 'string' } } } };
    } else if (!('description' in r) || r.description === undefined) {
      response[code] = { ...r, description: DESCRIPTION[code] ?? 'reply' };
    }
  }
  return out;
}

/** The named schemas as components, without the input twins of reply schemas nothing takes in. */
export function openapiComponents(input: Parameters<typeof jsonSchemaTransformObject>[0]): ReturnType<typeof jsonSchemaTransformObject> {
  const doc = jsonSchemaTransformObject(input) as { paths?: unknown; components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas;
  if (schemas) {
    // drop unreferenced input twins until none is left (one may be referenced only by another)
    for (let dropped = true; dropped; ) {
      dropped = false;
      const used = JSON.stringify(doc.paths ?? {}) + Object.values(schemas).map((x) => JSON.stringify({ ...(x as object), $id: undefined })).join('');
      for (const name of Object.keys(schemas)) {
        if (name.endsWith('Input') && !used.includes(`"#/components/schemas/${name}"`)) {
          delete schemas[name];
          dropped = true;
        }
      }
    }
  }
  return doc as ReturnType<typeof jsonSchemaTransformObject>;
}

export const API_TAGS = [
  { name: 'auth', description: 'Staff sessions (bearer tokens)' },
  { name: 'candidate', description: 'Candidate login; the exam itself runs over socket.io (/candidate)' },
  { name: 'scoreboard', description: 'The public board (also live over socket.io: /scoreboard)' },
  { name: 'banks', description: 'Question banks: upload with a validation report, browse, retire, QTI 3.0 export (docs/bank-format.md)' },
  { name: 'templates', description: 'Exam templates: sections, scoring, threshold sets, candidate groups (docs/templates.md)' },
  { name: 'sittings', description: 'Sittings: create, change before they open, assign proctors' },
  { name: 'rosters', description: 'Candidates of a sitting: CSV check and import, PINs shown once' },
  { name: 'accounts', description: 'Admin and proctor accounts' },
  { name: 'results', description: 'Results, the berita acara and the audit log' },
  { name: 'server', description: 'Operator figures' },
];
