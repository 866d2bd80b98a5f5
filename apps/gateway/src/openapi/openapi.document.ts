import { authenticateRequestSchema, changeEmailRequestSchema, registerUserRequestSchema, updateProfileRequestSchema } from '#libs/contracts';
import { z } from 'zod';
import { mediaOpenApi } from '../media/media.openapi.js';

/** A request body's JSON Schema, generated from the very zod schema the route validates with. */
const bodySchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const jsonBody = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: bodySchema(schema) } } });

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } };

const common = {
  '400': errorResponse('A field is invalid: `error.fields` lists each one with the reason.'),
  '429': { ...errorResponse('Too many requests from this client.'), headers: retryAfter },
  '503': { ...errorResponse('A service or the session store cannot be reached; the change is safe to retry. Code CIRCUIT_OPEN: the service\'s circuit is open and the request was not sent, so nothing was changed.'), headers: retryAfter },
};
const authenticated = { '401': errorResponse('No session, or an unknown or expired one.') };

const profile = { description: 'The profile.', content: { 'application/json': { schema: { $ref: '#/components/schemas/UserProfile' } } } };
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes a retried command a no-op: resend the same key after a timeout. Defaults to the request id.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
};

/** The gateway's public API as OpenAPI 3.1, served at `GET /v1/openapi.json`. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'faultline public API',
      version: '1',
      description:
        'The lab\'s system under test. Every response carries `X-Request-Id` (send your own to trace a request) and `X-Served-By` (the gateway instance).',
    },
    components: {
      securitySchemes: { session: { type: 'http', scheme: 'bearer', description: 'A token from POST /v1/sessions.' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'requestId'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', examples: ['VALIDATION_FAILED', 'EMAIL_TAKEN', 'SERVICE_UNAVAILABLE', 'CIRCUIT_OPEN'] },
                message: { type: 'string' },
                fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
              },
            },
            requestId: { type: 'string' },
          },
        },
        ...mediaOpenApi.schemas,
        UserProfile: {
          type: 'object',
          required: ['id', 'email', 'name', 'version', 'registeredAt', 'updatedAt'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            email: { type: 'string', format: 'email' },
            name: { type: 'string' },
            version: { type: 'integer', description: 'The version of the user\'s event stream this profile reflects.' },
            registeredAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
    paths: {
      '/v1/users': {
        post: {
          summary: 'Register a user',
          parameters: [idempotencyKey],
          requestBody: jsonBody(registerUserRequestSchema.omit({ requestId: true })),
          responses: {
            '201': { description: 'Registered.', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } } } },
            '409': errorResponse('The email address belongs to another account.'),
            ...common,
          },
        },
      },
      '/v1/users/{id}': {
        get: {
          summary: "Read a profile (the owner's reads see the owner's latest write)",
          security: [{ session: [] }],
          parameters: [idParameter],
          responses: { '200': profile, '404': errorResponse('No such user.'), ...authenticated, ...common },
        },
        patch: {
          summary: "Change one's own profile",
          security: [{ session: [] }],
          parameters: [idParameter, idempotencyKey],
          requestBody: jsonBody(updateProfileRequestSchema.pick({ name: true })),
          responses: { '200': profile, '403': errorResponse('Not your profile.'), '404': errorResponse('No such user.'), ...authenticated, ...common },
        },
      },
      '/v1/users/{id}/email': {
        put: {
          summary: "Change one's own email address",
          security: [{ session: [] }],
          parameters: [idParameter, idempotencyKey],
          requestBody: jsonBody(changeEmailRequestSchema.pick({ email: true })),
          responses: {
            '200': profile,
            '403': errorResponse('Not your profile.'),
            '409': errorResponse('The address belongs to another account.'),
            ...authenticated,
            ...common,
          },
        },
      },
      '/v1/sessions': {
        post: {
          summary: 'Log in',
          requestBody: jsonBody(authenticateRequestSchema),
          responses: {
            '201': {
              description: 'A session; send the token as `Authorization: Bearer <token>`. Any gateway instance accepts it.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { token: { type: 'string' }, tokenType: { const: 'Bearer' }, userId: { type: 'string' }, expiresInSeconds: { type: 'integer' } },
                  },
                },
              },
            },
            '401': errorResponse('Unknown email or wrong password (the same answer for both).'),
            ...common,
          },
        },
      },
      ...mediaOpenApi.paths({ errorResponse, common, authenticated, idempotencyKey }),
      '/v1/sessions/current': {
        delete: { summary: 'Log out', security: [{ session: [] }], responses: { '204': { description: 'Logged out everywhere.' }, ...authenticated, ...common } },
      },
    },
  };
}
